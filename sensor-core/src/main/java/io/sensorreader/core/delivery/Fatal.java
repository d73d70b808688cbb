package io.sensorreader.core.delivery;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.LoggerFactory;

/**
 * What the agent does on an {@link OutOfMemoryError} anywhere: it does not limp on with a heap
 * that cannot be trusted, it exits at once with {@link #OUT_OF_MEMORY} (71), and the launcher's
 * supervisor (systemd, {@code Restart=always}) starts it afresh. Nothing is lost: every batch not
 * yet delivered is in the spool, which is durable on each append.
 */
public final class Fatal {

    /** The exit code after an {@link OutOfMemoryError} (EX_OSERR: the system ran out of a resource). */
    public static final int OUT_OF_MEMORY = 71;

    private static final AtomicReference<IntConsumer> EXIT = new AtomicReference<>(code -> Runtime.getRuntime().halt(code));

    private Fatal() {
    }

    /**
     * Logs (if it still can) and ends the process. Returns only when a test replaced the exit,
     * with the error to rethrow.
     */
    public static Error outOfMemory(String doing, OutOfMemoryError e) {
        try {
            LoggerFactory.getLogger(Fatal.class).error("out of memory while {}; exiting with {} so that the agent is"
                    + " started afresh (nothing is lost: undelivered batches are in the spool)", doing, OUT_OF_MEMORY);
        } catch (Throwable ignored) {
            // no memory even to log: exit all the same
        }
        EXIT.get().accept(OUT_OF_MEMORY);
        return e;
    }

    /** For tests: what "exit" does instead of halting the JVM. */
    public static void exitWith(IntConsumer exit) {
        EXIT.set(exit);
    }
}
