package io.sensorreader.gpio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test says so. */
final class SteppableClock extends Clock {

    private Instant now;

    SteppableClock(Instant start) {
        this.now = start;
    }

    SteppableClock() {
        this(Instant.parse("2025-11-26T20:00:00Z"));
    }

    void step(Duration by) {
        now = now.plus(by);
    }

    void stepMillis(long millis) {
        step(Duration.ofMillis(millis));
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
