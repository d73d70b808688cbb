package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Secret;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CourierTest {

    private static final RetrySettings FAST = new RetrySettings(Duration.ofMillis(20), Duration.ofMillis(80), 5_000,
            1 << 20, Duration.ofSeconds(1));

    private final Clock clock = Clock.systemUTC();
    private final MemorySpool spool = new MemorySpool(clock, 100_000);
    private final ScriptedExporter collector = new ScriptedExporter();
    private final AtomicReference<Secret> token = new AtomicReference<>(Secret.of("first"));
    private Courier courier;

    @AfterEach
    void stop() {
        if (courier != null) {
            courier.close();
        }
    }

    private Courier courier(TokenRenewal renewal, RetrySettings settings) {
        courier = new Courier(collector, List.of(), spool, () -> Optional.ofNullable(token.get()), renewal, settings, clock,
                RandomGenerator.of("L64X128MixRandom"));
        return courier;
    }

    private static SensorBatch batch(long t, String... ids) {
        List<Reading> readings = new ArrayList<>();
        for (String id : ids) {
            readings.add(new Reading(id, "FloatSensor", "level", 1.0, null, t, Map.of()));
        }
        return new SensorBatch(t, readings);
    }

    private static Reading at(Reading r, long t) {
        return new Reading(r.sensorId(), r.type(), r.description(), r.value(), r.unit(), t, r.extras());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void deliversLiveBatchesWithoutTouchingTheSpool() throws Exception {
        courier(TokenRenewal.NONE, FAST).start();
        courier.submit(batch(100, "a", "b"));
        courier.submit(new DeviceStatus(100, Map.of("cpu_usage_percent", 1.5)));

        await(() -> collector.storedStatuses.size() == 1);
        assertThat(collector.storedTimestamps()).containsExactly(100L, 100L);
        assertThat(spool.stats().batches()).isZero();
        assertThat(courier.stats().deliveredReadings()).isEqualTo(2);
    }

    @Test
    void everyReadingArrivesExactlyOnceAcrossAnOutage() throws Exception {
        collector.down(7);
        courier(TokenRenewal.NONE, FAST).start();
        for (long t = 1; t <= 40; t++) {
            courier.submit(batch(t, "s" + t));
            Thread.sleep(3);
        }

        await(() -> collector.stored.size() == 40 && spool.stats().batches() == 0);
        Thread.sleep(100);
        assertThat(collector.storedTimestamps()).hasSize(40).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(courier.stats().spooledBatches()).isPositive();
    }

    @Test
    void coalescesSpooledSensorBatchesIntoOneRequest() throws Exception {
        for (long t = 1; t <= 10; t++) {
            spool.append(batch(t, "x" + t, "y" + t), 503);
        }
        spool.append(new DeviceStatus(11, Map.of("cpu_usage_percent", 3.0)), 503);

        RetryWorker.Pass pass = courier(TokenRenewal.NONE, FAST).drainOnce(RetryWorker.Progress.NONE);

        assertThat(pass.delivered()).isEqualTo(11);
        assertThat(pass.left()).isZero();
        assertThat(collector.requests).hasSize(2);
        assertThat(((SensorBatch) collector.requests.get(0)).readings()).hasSize(20);
        assertThat(collector.requests.get(1)).isInstanceOf(DeviceStatus.class);
    }

    @Test
    void respectsTheReadingLimitOfACoalescedRequest() throws Exception {
        for (long t = 1; t <= 10; t++) {
            spool.append(batch(t, "x" + t, "y" + t, "z" + t), 503);
        }
        courier(TokenRenewal.NONE, new RetrySettings(FAST.interval(), FAST.maxBackoff(), 7, 1 << 20, FAST.renewWait()))
                .drainOnce(RetryWorker.Progress.NONE);

        assertThat(collector.requests).allSatisfy(b -> assertThat(((SensorBatch) b).readings()).hasSizeLessThanOrEqualTo(7));
        assertThat(collector.stored).hasSize(30);
    }

    @Test
    void deadLettersOnlyTheBadBatchOfACoalescedRequest() throws Exception {
        for (long t = 1; t <= 9; t++) {
            spool.append(batch(t, t == 6 ? "bad" : "ok" + t), 503);
        }
        collector.rejectSensor("bad");

        RetryWorker.Pass pass = courier(TokenRenewal.NONE, FAST).drainOnce(RetryWorker.Progress.NONE);

        assertThat(pass.deadLettered()).isEqualTo(1);
        assertThat(pass.left()).isZero();
        assertThat(collector.storedTimestamps()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L);
        List<DeadLetter> dead = spool.deadLetters(10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(422);
            assertThat(d.body()).contains("\"bad\"");
            assertThat(d.reason()).startsWith("0 metrics valid, 1 dropped.");
        });
    }

    @Test
    void sendsTheKnownTypesAndDeadLettersTheUnknownOneWithoutAnotherFailedRoundTrip() throws Exception {
        collector.unknownType("PressureSensor");
        courier(TokenRenewal.NONE, FAST).start();
        Reading pressure = new Reading("p1", "PressureSensor", "tank", 2.5, "bar", 5, Map.of());
        Reading level = new Reading("f1", "FloatSensor", "tank", 1.0, null, 5, Map.of());
        courier.submit(new SensorBatch(5, List.of(pressure, level)));
        await(() -> collector.stored.size() == 1);
        int requestsAfterFirst = collector.requests.size();

        courier.submit(new SensorBatch(10, List.of(at(pressure, 10), at(level, 10))));
        await(() -> collector.stored.size() == 2);

        assertThat(requestsAfterFirst).isEqualTo(2);
        assertThat(collector.requests).hasSize(3);
        assertThat(collector.stored).extracting(Reading::sensorId).containsExactly("f1", "f1");
        assertThat(spool.deadLetters(10)).hasSize(2).allSatisfy(d -> assertThat(d.body()).contains("\"p1\""));
        assertThat(spool.stats().batches()).isZero();
    }

    @Test
    void aSpooledBatchOfOnlyUnknownTypesIsDeadLetteredNotCountedDelivered() throws Exception {
        collector.unknownType("PressureSensor");
        spool.append(new SensorBatch(7, List.of(new Reading("p1", "PressureSensor", "tank", 2.5, "bar", 7, Map.of()))), 503);

        RetryWorker.Pass pass = courier(TokenRenewal.NONE, FAST).drainOnce(RetryWorker.Progress.NONE);

        assertThat(pass.delivered()).isZero();
        assertThat(pass.deadLettered()).isEqualTo(1);
        assertThat(pass.left()).isZero();
        assertThat(courier.stats().deliveredBatches()).isZero();
        assertThat(spool.deadLetters(10)).singleElement().satisfies(d -> assertThat(d.body()).contains("\"p1\""));
    }

    @Test
    void unauthorizedLeadsToOneRenewalAndOneResend() throws Exception {
        AtomicInteger renewals = new AtomicInteger();
        collector.rule = b -> token.get().reveal().equals("first")
                ? new io.sensorreader.api.RetryLater(io.sensorreader.api.RetryLater.Cause.REAUTHENTICATE, 401, "Token expired",
                        Optional.empty())
                : null;
        TokenRenewal renewal = (rejected, wait) -> {
            renewals.incrementAndGet();
            token.set(Secret.of("second"));
            return true;
        };
        courier(renewal, FAST).start();
        courier.submit(batch(1, "a"));

        await(() -> collector.stored.size() == 1);
        assertThat(renewals).hasValue(1);
        assertThat(collector.requests).hasSize(2);
        assertThat(spool.stats().batches()).isZero();
    }

    @Test
    void keepsBatchesInTheSpoolWhileNotRegistered() throws Exception {
        token.set(null);
        collector.rule = b -> token.get() == null
                ? new io.sensorreader.api.RetryLater(io.sensorreader.api.RetryLater.Cause.NOT_REGISTERED, 0, "no token",
                        Optional.empty())
                : null;
        courier(TokenRenewal.NONE, FAST).start();
        courier.submit(batch(1, "a"));
        await(() -> spool.stats().batches() == 1);

        token.set(Secret.of("now"));
        await(() -> collector.stored.size() == 1 && spool.stats().batches() == 0);
        assertThat(spool.deadLetters(10)).isEmpty();
    }

    @Test
    void shutdownSpoolsTheBatchInFlightAndTheQueuedOnesWithinTwoSeconds() throws Exception {
        collector.block = new CountDownLatch(1);
        courier(TokenRenewal.NONE, FAST).start();
        courier.submit(batch(1, "a"));
        await(() -> collector.requests.size() == 1);
        courier.submit(batch(2, "b"));
        courier.submit(new DeviceStatus(2, Map.of("cpu_usage_percent", 1.0)));

        long start = System.nanoTime();
        courier.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        List<Batch> kept = spool.batches();
        assertThat(kept).hasSize(3);
        assertThat(kept).extracting(Batch::timestamp).containsExactlyInAnyOrder(1L, 2L, 2L);
        courier = null;
    }

    @Test
    void passIsBusyWhileAnotherDrainerHoldsTheLock() throws Exception {
        spool.append(batch(1, "a"), 503);
        try (Spool.DrainLock held = spool.tryLockDrain().orElseThrow()) {
            RetryWorker.Pass pass = courier(TokenRenewal.NONE, FAST).drainOnce(RetryWorker.Progress.NONE);
            assertThat(pass.busy()).isTrue();
            assertThat(collector.requests).isEmpty();
        }
    }

    @Test
    void stopsThePassWhenTheCollectorFailsAndKeepsTheRest() throws Exception {
        for (long t = 1; t <= 3; t++) {
            spool.append(new DeviceStatus(t, Map.of("cpu_usage_percent", 1.0)), 503);
        }
        collector.down(1);
        RetryWorker.Pass pass = courier(TokenRenewal.NONE, FAST).drainOnce(RetryWorker.Progress.NONE);

        assertThat(pass.stoppedBy()).isPresent();
        assertThat(pass.left()).isEqualTo(3);
        assertThat(spool.oldest(1).get(0).attempts()).isEqualTo(1);
    }
}
