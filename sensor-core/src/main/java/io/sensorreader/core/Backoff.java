package io.sensorreader.core;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after the n-th consecutive failure, a wait drawn
 * uniformly from [base, min(cap, base * 2^n)], never below a server's {@code Retry-After} hint.
 * A success resets it. Not thread-safe: one owner.
 */
final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The wait before the next attempt after one more failure. */
    Duration failed(Optional<Duration> hint) {
        failures = Math.min(failures + 1, 30);
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures, 20));
        long wait = ceiling <= base.toMillis() ? base.toMillis() : random.nextLong(base.toMillis(), ceiling + 1);
        long hinted = hint.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.min(Math.max(wait, hinted), Math.max(cap.toMillis(), hinted)));
    }

    void succeeded() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
