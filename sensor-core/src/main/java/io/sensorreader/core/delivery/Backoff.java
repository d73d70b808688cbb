package io.sensorreader.core.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The agent's one backoff: exponential with full jitter. After the n-th consecutive failure the
 * wait is drawn uniformly from [floor, min(cap, base × 2^n)]; a server's {@code Retry-After} hint
 * raises it, but never above the cap, whatever the hint (absurd, negative or overflowing values
 * included). A success resets it. Used by the spool drain and the token keeper. Not thread-safe:
 * one owner.
 */
public final class Backoff {

    /** The shortest wait ever drawn, so that a zero draw does not spin. */
    static final Duration FLOOR = Duration.ofMillis(100);

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int failures;

    /**
     * @param base the first ceiling (e.g. {@code RETRY_INTERVAL})
     * @param cap the highest wait ({@code RETRY_MAX_BACKOFF})
     */
    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("base " + base + " and cap " + cap + ": expected 0 < base <= cap");
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The wait before the next attempt after one more failure, within [floor, cap]. */
    public Duration failed(Optional<Duration> hint) {
        failures = Math.min(failures + 1, 30);
        long capMillis = cap.toMillis();
        long ceiling = Math.min(capMillis, base.toMillis() << Math.min(failures, 20));
        long floor = Math.min(FLOOR.toMillis(), ceiling);
        long wait = ceiling <= floor ? floor : random.nextLong(floor, ceiling + 1);
        return Duration.ofMillis(Math.max(wait, clamp(hint.orElse(Duration.ZERO), cap).toMillis()));
    }

    /** A hint from a server, clamped to [0, cap]. */
    public static Duration clamp(Duration hint, Duration cap) {
        if (hint == null || hint.isNegative()) {
            return Duration.ZERO;
        }
        return hint.compareTo(cap) > 0 ? cap : hint;
    }

    /** Back to the first step. */
    public void succeeded() {
        failures = 0;
    }

    /** Consecutive failures so far. */
    public int failures() {
        return failures;
    }
}
