package io.sensorreader.core;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import io.sensorreader.core.delivery.DeliveryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The core's update parts: jitter, the lock, the health report, the update-check logic. */
class SelfUpdatePartsTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void jitterSpreadsTheFirstRoundOverOneIntervalAndLaterOnesByTwentyPercent() {
        Duration interval = Duration.ofMinutes(30);

        assertThat(UpdateSchedule.delay(interval, true, 0.0)).isEqualTo(Duration.ofMillis(1));
        assertThat(UpdateSchedule.delay(interval, true, 0.5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(UpdateSchedule.delay(interval, false, 0.0)).isEqualTo(Duration.ofMinutes(24));
        assertThat(UpdateSchedule.delay(interval, false, 0.5)).isEqualTo(Duration.ofMinutes(30));
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            assertThat(UpdateSchedule.delay(interval, true, random.nextDouble())).isBetween(Duration.ofMillis(1), interval);
            assertThat(UpdateSchedule.delay(interval, false, random.nextDouble()))
                    .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
        }
    }

    /** One lock between run's rounds and update-check --apply: whoever comes second skips. */
    @Test
    void roundIsSkippedWhileUpdateCheckApplyHoldsTheLock() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Updater updater = new Updater() {
            @Override
            public UpdateCheck check() {
                checks.incrementAndGet();
                return new UpdateCheck("a", "a", false);
            }

            @Override
            public UpdateResult apply(Progress progress) {
                throw new AssertionError();
            }
        };
        UpdateSchedule schedule = new UpdateSchedule(updater, Duration.ofMinutes(30), clock, () -> { }, dir, new Random(1));
        StringWriter err = new StringWriter();

        try (UpdateLock held = UpdateLock.tryAcquire(dir).orElseThrow()) {
            assertThat(schedule.runOnce()).isEqualTo(UpdateSchedule.Round.BUSY);
            assertThat(new UpdateCommand(updater, new PrintWriter(new StringWriter()), new PrintWriter(err)).apply(dir))
                    .isEqualTo(UpdateCommand.Outcome.BUSY);
        }
        assertThat(checks).hasValue(0);
        assertThat(err.toString()).isEqualTo("update-check: another update is in progress (the agent's own round, or"
                + " another update-check --apply); try again in a few minutes\n");
        assertThat(schedule.runOnce()).isEqualTo(UpdateSchedule.Round.UP_TO_DATE);
        schedule.close();
    }

    @Test
    void healthIsReportedAfterTheCyclesAndOneDelivery() throws Exception {
        ReleaseHealth health = new ReleaseHealth(dir, "v1.1.0", 3, clock);
        DeliveryStats stats = new DeliveryStats();
        long start = clock.instant().getEpochSecond();

        health.cycle(stats);
        health.cycle(stats);
        assertThat(dir.resolve("health")).doesNotExist();
        health.cycle(stats);
        assertThat(Files.readString(dir.resolve("health"))).isEqualTo("tag=v1.1.0\nstarted=" + start
                + "\nhealthy_at=\ndelivering=unknown\ncause=\nat=" + start + "\n");
        clock.advance(Duration.ofSeconds(5));
        stats.delivered(new io.sensorreader.api.SensorBatch(0, List.of()), clock.instant());
        health.cycle(stats);

        assertThat(Files.readString(dir.resolve("health"))).isEqualTo("tag=v1.1.0\nstarted=" + start + "\nhealthy_at="
                + (start + 5) + "\ndelivering=yes\ncause=\nat=" + (start + 5) + "\n");
    }

    @Test
    void versionThatCannotDeliverSaysWhyAndStaysHealthyOnceItWas() throws Exception {
        ReleaseHealth health = new ReleaseHealth(dir, "v1.1.0", 1, clock);
        DeliveryStats stats = new DeliveryStats();
        long start = clock.instant().getEpochSecond();
        RetryLater refused = RetryLater.transientFailure("connection refused");

        stats.failed(refused.detail(), DeliveryStats.kind(refused));
        health.cycle(stats);
        assertThat(Files.readString(dir.resolve("health"))).contains("healthy_at=\ndelivering=no\ncause=transient\n");

        stats.delivered(new io.sensorreader.api.SensorBatch(0, List.of()), clock.instant());
        health.cycle(stats);
        stats.failed("503", "transient 503");
        health.cycle(stats);
        assertThat(Files.readString(dir.resolve("health"))).contains("healthy_at=" + start
                + "\ndelivering=no\ncause=transient 503\n");
    }

    @Test
    void checkPrintsTheNotesThatBlockAnUpdate() {
        StringWriter out = new StringWriter();
        Updater updater = new Updater() {
            @Override
            public UpdateCheck check() {
                return new UpdateCheck("v1.0.0", "v1.1.0", false, List.of("v1.1.0 is marked bad at 2026-01-01T00:00:00Z: it"
                        + " exited 78 (a configuration error) on start 1; sensor-reader update-check --forget-bad v1.1.0"
                        + " allows it again"));
            }

            @Override
            public UpdateResult apply(Progress progress) throws UpdateException {
                throw new UpdateException("x", "y");
            }
        };

        assertThat(new UpdateCommand(updater, new PrintWriter(out), new PrintWriter(new StringWriter())).check())
                .isEqualTo(UpdateCommand.Outcome.UP_TO_DATE);
        assertThat(out.toString()).isEqualTo("running:   v1.0.0\navailable: v1.1.0\nnote: v1.1.0 is marked bad at"
                + " 2026-01-01T00:00:00Z: it exited 78 (a configuration error) on start 1; sensor-reader update-check"
                + " --forget-bad v1.1.0 allows it again\nup to date\n");
    }

    @Test
    void tagIsTheFolderUnderVersions() throws Exception {
        Path version = Files.createDirectories(dir.resolve("versions/v1.1.0"));
        Files.createSymbolicLink(dir.resolve("current"), Path.of("versions/v1.1.0"));

        assertThat(ReleaseHealth.tag(dir.resolve("current"), "1.1.0")).isEqualTo("v1.1.0");
        assertThat(ReleaseHealth.tag(dir, "1.1.0")).isEqualTo("1.1.0");
        assertThat(Optional.of(version)).isPresent();
    }
}
