package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.SensorBatch;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpeningSpoolTest {

    private final Clock clock = Clock.systemUTC();

    @Test
    void callsWaitUntilTheSpoolIsOpenThenReachIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MemorySpool real = new MemorySpool(clock, 10);
        OpeningSpool spool = new OpeningSpool(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real;
        }, () -> new MemorySpool(clock, 10), "/data");
        assertThat(spool.ready()).isFalse();
        assertThat(spool.location()).isEqualTo("/data");

        release.countDown();
        spool.append(new SensorBatch(1, List.of()), 503);

        assertThat(spool.ready()).isTrue();
        assertThat(real.stats().batches()).isEqualTo(1);
        assertThat(spool.location()).isEqualTo(real.location());
    }

    @Test
    void aSpoolThatCannotOpenLeavesTheFallbackInItsPlace() throws Exception {
        MemorySpool fallback = new MemorySpool(clock, 10);
        OpeningSpool spool = new OpeningSpool(() -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
        }, () -> fallback, "/data");

        spool.append(new SensorBatch(1, List.of()), 0);

        assertThat(fallback.stats().batches()).isEqualTo(1);
    }
}
