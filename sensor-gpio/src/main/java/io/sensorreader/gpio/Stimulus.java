package io.sensorreader.gpio;

import java.time.Instant;

/**
 * Drives a simulated input up to a moment, called by a sensor at the start of {@code read()}: the
 * signal is made lazily, so there is no thread and a test with a stepped clock is deterministic.
 * On real hardware there is nothing to drive.
 */
@FunctionalInterface
interface Stimulus {

    /** Nothing to drive: live hardware, or a test that drives the mock input itself. */
    Stimulus NONE = now -> { };

    /** Makes the input show what the simulated device did up to {@code now}. */
    void advance(Instant now);
}
