package io.sensorreader.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Waits on a monitor against a {@link Clock}, in slices of at most a second so that a clock set
 * by NTP while waiting is noticed.
 */
final class ClockPacer implements Pacer {

    private static final long SLICE_MILLIS = 1_000;

    private final Clock clock;
    private boolean stopped;

    ClockPacer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean awaitUntil(Instant due) throws InterruptedException {
        while (!stopped) {
            long millis = Duration.between(clock.instant(), due).toMillis();
            if (millis <= 0) {
                return true;
            }
            wait(Math.min(millis, SLICE_MILLIS));
        }
        return false;
    }

    @Override
    public synchronized void awaitReads(Instant deadline, Supplier<Set<String>> pending) throws InterruptedException {
        while (!stopped && !pending.get().isEmpty()) {
            long millis = Duration.between(clock.instant(), deadline).toMillis();
            if (millis <= 0) {
                return;
            }
            wait(Math.min(millis, SLICE_MILLIS));
        }
    }

    @Override
    public synchronized void wake() {
        notifyAll();
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
