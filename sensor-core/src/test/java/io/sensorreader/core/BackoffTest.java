package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5),
            RandomGenerator.of("L64X128MixRandom"));

    @Test
    void growsWithinBoundsAndNeverPassesTheCap() {
        for (int i = 1; i <= 20; i++) {
            Duration wait = backoff.failed(Optional.empty());
            long ceiling = Math.min(300_000, 10_000L << i);
            assertThat(wait.toMillis()).isBetween(10_000L, ceiling);
        }
    }

    @Test
    void honoursRetryAfterAboveTheDrawnWait() {
        assertThat(backoff.failed(Optional.of(Duration.ofSeconds(120)))).isGreaterThanOrEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void returnsToTheBaseAfterASuccess() {
        for (int i = 0; i < 8; i++) {
            backoff.failed(Optional.empty());
        }
        backoff.succeeded();
        assertThat(backoff.failed(Optional.empty()).toMillis()).isBetween(10_000L, 20_000L);
    }
}
