package io.sensorreader.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5),
            RandomGenerator.of("L64X128MixRandom"));

    @Test
    void fullJitterWithinTheGrowingCeilingAndNeverPastTheCap() {
        for (int i = 1; i <= 40; i++) {
            Duration wait = backoff.failed(Optional.empty());
            long ceiling = Math.min(300_000, 10_000L << Math.min(i, 20));
            assertThat(wait.toMillis()).isBetween(Backoff.FLOOR.toMillis(), ceiling);
        }
    }

    @Test
    void retryAfterRaisesTheWaitButNeverAboveTheCap() {
        assertThat(backoff.failed(Optional.of(Duration.ofSeconds(120)))).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.failed(Optional.of(Duration.ofSeconds(99_999_999_999L)))).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.failed(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)))).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.failed(Optional.of(Duration.ofSeconds(-5))).toMillis()).isBetween(100L, 300_000L);
    }

    @Test
    void returnsToTheFirstCeilingAfterASuccess() {
        for (int i = 0; i < 8; i++) {
            backoff.failed(Optional.empty());
        }
        backoff.succeeded();
        assertThat(backoff.failed(Optional.empty()).toMillis()).isBetween(100L, 20_000L);
    }
}
