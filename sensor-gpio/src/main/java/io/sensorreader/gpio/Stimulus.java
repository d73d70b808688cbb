package io.sensorreader.gpio;

import java.time.Clock;
import java.time.Instant;

/**
 * Drives a simulated input up to a moment, called by a sensor at the start of {@code read()}: the
 * signal is made lazily, so there is no thread and a test with a stepped clock is deterministic.
 * On real hardware there is nothing to drive.
 */
@FunctionalInterface
interface Stimulus {

    /** Nothing to drive: live hardware, or a test that drives the input itself. */
    Stimulus NONE = now -> { };

    /** Makes the input show what the simulated device did up to {@code now}. */
    void advance(Instant now);

    /**
     * The instant of an edge seen now: the simulated moment while a stimulus replays edges that
     * happened between two reads ({@link #at}), the clock's instant otherwise.
     */
    static Instant edgeTime(Clock clock) {
        Instant simulated = EdgeTime.REPLAYING.get();
        return simulated != null ? simulated : clock.instant();
    }

    /** Runs {@code edge} (which changes a simulated input) as if it happened at {@code at}. */
    static void at(Instant at, Runnable edge) {
        EdgeTime.REPLAYING.set(at);
        try {
            edge.run();
        } finally {
            EdgeTime.REPLAYING.remove();
        }
    }

    /** Holder of the replayed instant (simulated inputs call their listeners on the thread that drives them). */
    final class EdgeTime {
        static final ThreadLocal<Instant> REPLAYING = new ThreadLocal<>();

        private EdgeTime() {
        }
    }
}
