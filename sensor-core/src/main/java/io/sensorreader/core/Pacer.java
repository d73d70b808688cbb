package io.sensorreader.core;

import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/** How the sampling loop waits: for its next tick, and for a cycle's reads; tests pass one that moves a fake clock. */
interface Pacer {

    /**
     * Waits until the clock reaches {@code due}, or until {@link #stop()}.
     *
     * @return false when stopped
     */
    boolean awaitUntil(Instant due) throws InterruptedException;

    /**
     * Waits until no read is pending or the clock reaches {@code deadline}, or until {@link #stop()}.
     *
     * @param pending the ids of the sensors whose reads of this cycle have not ended; asked again
     *     after every {@link #wake()}
     */
    void awaitReads(Instant deadline, Supplier<Set<String>> pending) throws InterruptedException;

    /** A read finished: re-check what {@link #awaitReads} waits for. Thread-safe. */
    void wake();

    /** Wakes the waiter for good; thread-safe. */
    void stop();
}
