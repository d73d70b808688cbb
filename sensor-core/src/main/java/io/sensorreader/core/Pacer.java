package io.sensorreader.core;

import java.time.Instant;

/** How the sampling loop waits for its next tick; tests pass one that moves a fake clock. */
interface Pacer {

    /**
     * Waits until the clock reaches {@code due}, or until {@link #stop()}.
     *
     * @return false when stopped
     */
    boolean awaitUntil(Instant due) throws InterruptedException;

    /** Wakes the waiter for good; thread-safe. */
    void stop();
}
