package io.sensorreader.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move by hand, safe to read from any thread. Shared with every module's tests
 * through sensor-api's test-jar.
 */
public final class ManualClock extends Clock {

    private volatile Instant now;

    /** @param start the first instant */
    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Jumps to an instant, also backwards. */
    public void set(Instant instant) {
        now = instant;
    }

    /** Moves on by {@code duration}. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Moves on by {@code millis} milliseconds. */
    public void advanceMillis(long millis) {
        now = now.plusMillis(millis);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
