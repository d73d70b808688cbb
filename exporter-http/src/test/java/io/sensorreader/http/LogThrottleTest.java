package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));

    @Test
    void letsOneLinePerKindAndIntervalThroughAndCountsTheRest() {
        LogThrottle throttle = new LogThrottle(clock, Duration.ofMinutes(1));

        assertThat(throttle.admit("garbage")).isZero();
        assertThat(throttle.admit("garbage")).isEqualTo(-1);
        assertThat(throttle.admit("garbage")).isEqualTo(-1);
        assertThat(throttle.admit("misdirected")).isZero();
        clock.advance(Duration.ofSeconds(60));

        long held = throttle.admit("garbage");

        assertThat(held).isEqualTo(2);
        assertThat(LogThrottle.heldBack(held)).isEqualTo(" (2 similar lines held back)");
        assertThat(LogThrottle.heldBack(0)).isEmpty();
    }
}
