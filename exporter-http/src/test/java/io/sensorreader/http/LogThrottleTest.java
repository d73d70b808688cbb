package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void letsOneLinePerKindAndIntervalThroughAndCountsTheRest() {
        LogThrottle throttle = new LogThrottle(clock, Duration.ofMinutes(1));

        assertThat(throttle.admit("garbage")).isZero();
        assertThat(throttle.admit("garbage")).isEqualTo(-1);
        assertThat(throttle.admit("garbage")).isEqualTo(-1);
        assertThat(throttle.admit("misdirected")).isZero();
        now = now.plusSeconds(60);

        long held = throttle.admit("garbage");

        assertThat(held).isEqualTo(2);
        assertThat(LogThrottle.heldBack(held)).isEqualTo(" (2 similar lines held back)");
        assertThat(LogThrottle.heldBack(0)).isEmpty();
    }
}
