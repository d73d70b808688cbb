package io.sensorreader.core;

import io.sensorreader.api.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.Batch;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.SensorReadException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SamplingLoopTest {

    private static final Instant START = Instant.parse("2025-11-26T20:00:00.400Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final List<Batch> submitted = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(SamplingLoop.class)).addAppender(logs);
    }

    /** Holds the hung sensor's read until the test ends. */
    private final CountDownLatch hang = new CountDownLatch(1);

    @AfterEach
    void releaseHungReads() {
        hang.countDown();
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(SamplingLoop.class)).detachAppender(logs);
    }

    /**
     * Moves the fake clock to each tick at once; stops after {@code ticks} waits. Waits for a cycle's
     * reads (on their monitor, woken by each read's end) until every read has ended, or, when some
     * are expected to hang, until only those are left: then the clock jumps to the deadline.
     */
    private class Steps implements Pacer {
        private int left;
        private boolean stopped;
        final List<Instant> deadlines = new ArrayList<>();
        Set<String> mayHang = Set.of();

        Steps(int ticks) {
            left = ticks;
        }

        @Override
        public boolean awaitUntil(Instant due) throws InterruptedException {
            if (stopped || left-- == 0) {
                return false;
            }
            if (clock.instant().isBefore(due)) {
                clock.set(due);
            }
            return true;
        }

        @Override
        public synchronized void awaitReads(Instant deadline, Supplier<Set<String>> pending)
                throws InterruptedException {
            deadlines.add(deadline);
            while (!mayHang.containsAll(pending.get())) {
                wait(); // woken by every read's end; a read that never ends would fail the test by timeout
            }
            if (!pending.get().isEmpty() && clock.instant().isBefore(deadline)) {
                clock.set(deadline);
            }
        }

        @Override
        public synchronized void wake() {
            notifyAll();
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private record Named(String id, Sensor sensor) {
    }

    private static Named sensor(String id, SensorBody body) {
        return new Named(id, new Sensor() {
            @Override
            public String type() {
                return "FloatSensor";
            }

            @Override
            public Measurement read() throws SensorReadException {
                try {
                    return body.read();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SensorReadException("interrupted");
                }
            }
        });
    }

    private interface SensorBody {
        Measurement read() throws SensorReadException, InterruptedException;
    }

    private SamplingLoop loop(List<Named> sensors, Pacer pacer) {
        List<SensorSet.Loaded> loaded = sensors.stream()
                .map(s -> new SensorSet.Loaded(s.sensor(), s.id(), s.id(), "FloatSensor", getClass().getClassLoader(), "test")).toList();
        Outbox outbox = new Outbox() {
            @Override
            public void submit(Batch batch) {
                submitted.add(batch);
            }

            @Override
            public void close() {
            }
        };
        return new SamplingLoop(loaded, new DeviceHealth(dir, dir, clock, "test"), outbox, clock,
                Duration.ofSeconds(5), pacer, Duration.ofMinutes(10));
    }

    private List<Long> sensorBatchTimes() {
        return submitted.stream().filter(b -> b instanceof SensorBatch).map(Batch::timestamp).toList();
    }

    @Test
    void ticksAtOnceThenOnWholeSecondsAtAFixedRateWithoutDriftOverAnHour() {
        // Each cycle takes 300 ms of clock time: a fixed-delay loop would drift 216 s in an hour.
        loop(List.of(sensor("a", () -> {
            clock.advance(Duration.ofMillis(300));
            return Measurement.of(1);
        })), new Steps(720)).run();
        long first = START.getEpochSecond();
        List<Long> times = sensorBatchTimes();
        assertThat(times).hasSize(720);
        for (int k = 0; k < times.size(); k++) {
            assertThat(times.get(k)).isEqualTo(first + 5L * k);
        }
    }

    @Test
    void sendsOneSensorBatchThenOneDeviceStatusPerCycleAllStampedWithTheTick() {
        loop(List.of(sensor("a", () -> Measurement.of(1)), sensor("b", () -> Measurement.of(0, "bar"))),
                new Steps(2)).run();
        long first = START.getEpochSecond();
        assertThat(submitted).hasSize(4);
        assertThat(submitted.get(0)).isInstanceOfSatisfying(SensorBatch.class, b -> {
            assertThat(b.timestamp()).isEqualTo(first);
            assertThat(b.readings()).extracting(r -> r.timestamp()).containsExactly(first, first);
        });
        assertThat(submitted.get(1)).isInstanceOfSatisfying(DeviceStatus.class,
                s -> assertThat(s.timestamp()).isEqualTo(first));
        assertThat(submitted.get(2).toJson()).isEqualTo("[{\"id\": \"a\", \"description\": \"FloatSensor: a\","
                + " \"value\": 1.0, \"timestamp\": " + (first + 5) + "}, {\"id\": \"b\", \"description\":"
                + " \"FloatSensor: b\", \"value\": 0.0, \"timestamp\": " + (first + 5) + ", \"unit\": \"bar\"}]");
    }

    @Test
    void aSlowSensorCostsTheTicksItOverlapsNotTheSchedule() {
        int[] calls = {0};
        loop(List.of(sensor("slow", () -> {
            if (calls[0]++ == 1) {
                clock.advance(Duration.ofSeconds(12)); // the second cycle hangs for 12 s
            }
            return Measurement.of(1);
        })), new Steps(4)).run();
        long t0 = START.getEpochSecond();
        assertThat(sensorBatchTimes()).containsExactly(t0, t0 + 5, t0 + 20, t0 + 25);
    }

    @Test
    void aThrowingSensorLosesItsReadingNotTheCycleAndIsLoggedOnceInTenMinutes() {
        loop(List.of(sensor("bad", () -> {
            throw new SensorReadException("I2C NACK");
        }), sensor("ok", () -> Measurement.of(3))), new Steps(122)).run(); // just past 10 minutes
        assertThat(submitted.stream().filter(b -> b instanceof SensorBatch).map(b -> (SensorBatch) b))
                .hasSize(122)
                .allSatisfy(b -> assertThat(b.readings()).extracting(r -> r.sensorId()).containsExactly("ok"));
        List<String> warnings = logs.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).containsExactly(
                "sensor 'bad': read failed (SensorReadException: I2C NACK); skipped its reading",
                "sensor 'bad': still failing, 121 more times in the last 604 s; latest: read failed"
                        + " (SensorReadException: I2C NACK); skipped its reading");
    }

    @Test
    void aSensorThatThrowsAnythingAtAllNeverEndsTheLoop() {
        loop(List.of(sensor("npe", () -> {
            throw new NullPointerException();
        }), sensor("err", () -> {
            throw new NoClassDefFoundError("com/acme/Gone");
        })), new Steps(3)).run();
        assertThat(sensorBatchTimes()).hasSize(3);
    }

    @Test
    void logsOneSummaryLineAMinuteAtInfo() {
        loop(List.of(sensor("a", () -> Measurement.of(1))), new Steps(60)).run(); // 5 minutes
        assertThat(logs.list.stream().filter(e -> e.getLevel().toString().equals("INFO"))
                .map(ILoggingEvent::getFormattedMessage))
                .filteredOn(m -> m.startsWith("last minute"))
                .hasSize(4)
                .first().isEqualTo("last minute: 12 cycles, 12 readings, 0 failed reads");
    }

    @Test
    void reanchorsWhenTheClockGoesBack() {
        SamplingLoop loop = loop(List.of(), new Steps(0));
        Instant due = Instant.parse("2025-11-26T20:00:10Z");
        assertThat(loop.next(due, Instant.parse("2025-11-26T19:00:00.500Z")))
                .isEqualTo(Instant.parse("2025-11-26T19:00:01Z"));
        assertThat(loop.next(due, Instant.parse("2025-11-26T20:00:11Z")))
                .isEqualTo(Instant.parse("2025-11-26T20:00:15Z"));
    }

    @Test
    void stopEndsARealWaitAtOnce() throws InterruptedException {
        SamplingLoop loop = new SamplingLoop(List.of(), new DeviceHealth(dir, dir, java.time.Clock.systemUTC(), "t"),
                new DryRunOutbox(new java.io.PrintWriter(java.io.Writer.nullWriter())), java.time.Clock.systemUTC(),
                Duration.ofSeconds(60), new ClockPacer(java.time.Clock.systemUTC()), Duration.ofMinutes(10));
        Thread runner = new Thread(loop::run);
        runner.start();
        Thread.sleep(1_200); // past the first tick, into a 60 s wait
        long before = System.nanoTime();
        loop.stop();
        runner.join(2_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(200));
    }

    private List<SensorBatch> sensorBatches() {
        return submitted.stream().filter(b -> b instanceof SensorBatch).map(b -> (SensorBatch) b).toList();
    }

    private List<String> messages(String level) {
        return logs.list.stream().filter(e -> e.getLevel().toString().equals(level))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aHungReadAndASlowReadBesideAGoodSensorCostOnlyTheirOwnReadings() throws Exception {
        // Fair: a permit released at a tick goes to the slow read queued longest (a late one), never
        // to the next cycle's read barging in, which would then answer in time.
        Semaphore slowMayReturn = new Semaphore(0, true);
        int ticks = 24; // two minutes at 5 s
        Steps pacer = new Steps(ticks) {
            @Override
            public boolean awaitUntil(Instant due) throws InterruptedException {
                if (slowMayReturn.hasQueuedThreads()) {
                    slowMayReturn.release(); // the slow read returns, past its deadline, while the loop waits for the tick
                }
                return super.awaitUntil(due);
            }
        };
        pacer.mayHang = Set.of("hung", "slow");
        SamplingLoop loop = loop(List.of(
                sensor("hung", () -> {
                    hang.await();
                    return Measurement.of(-1);
                }),
                sensor("slow", () -> {
                    slowMayReturn.acquire();
                    return Measurement.of(-2);
                }),
                sensor("good", () -> Measurement.of(1))), pacer);
        loop.run();

        long t0 = START.getEpochSecond();
        List<SensorBatch> batches = sensorBatches();
        assertThat(batches).hasSize(ticks);
        for (int k = 0; k < ticks; k++) {
            SensorBatch batch = batches.get(k);
            assertThat(batch.timestamp()).isEqualTo(t0 + 5L * k);
            assertThat(batch.readings()).extracting(r -> r.sensorId() + "=" + r.value()).containsExactly("good=1.0");
        }
        // Each cycle waited until its deadline, half the 5 s interval after it started, never longer.
        assertThat(pacer.deadlines).hasSize(ticks).first().isEqualTo(START.plusMillis(2_500));
        assertThat(pacer.deadlines.get(1)).isEqualTo(Instant.ofEpochSecond(t0 + 5).plusMillis(2_500));
        assertThat(messages("WARN")).containsExactly(
                "sensor 'hung': missed its read deadline (2500 ms) 3 times in a row; its readings are skipped until"
                        + " it answers in time (set read_timeout in its section to allow more)",
                "sensor 'slow': missed its read deadline (2500 ms) 3 times in a row; its readings are skipped until"
                        + " it answers in time (set read_timeout in its section to allow more)");
        assertThat(messages("INFO")).filteredOn(m -> m.startsWith("last minute")).first()
                .isEqualTo("last minute: 12 cycles, 12 readings, 0 failed reads, 24 missed read deadlines"
                        + " (lagging: hung, slow)");
        assertThat(loop.lagging()).containsOnlyKeys("hung", "slow");
        assertThat(loop.lagging().get("hung")).isEqualTo(ticks);
    }

    @Test
    void aReadThatTakesLongerThanItsReadTimeoutIsDroppedAndOneInTimeIsKept() {
        int[] calls = {0};
        List<SensorSet.Loaded> loaded = List.of(new SensorSet.Loaded(sensor("s", () -> {
            clock.advance(Duration.ofMillis(calls[0]++ == 0 ? 1_500 : 900)); // 1.5 s, then 0.9 s
            return Measurement.of(calls[0]);
        }).sensor(), "s", "s", "FloatSensor", getClass().getClassLoader(), "test", Duration.ofSeconds(1)));
        Outbox outbox = new Outbox() {
            @Override
            public void submit(Batch batch) {
                submitted.add(batch);
            }

            @Override
            public void close() {
            }
        };
        new SamplingLoop(loaded, new DeviceHealth(dir, dir, clock, "test"), outbox, clock, Duration.ofSeconds(5),
                new Steps(2), Duration.ofMinutes(10)).run();
        assertThat(sensorBatches()).extracting(b -> b.readings().size()).containsExactly(0, 1);
    }

    @Test
    void anErrorFromReadCostsThatReadingNeverTheLoop() {
        int[] calls = {0};
        loop(List.of(sensor("oom", () -> {
            if (calls[0]++ == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            return Measurement.of(7);
        }), sensor("deep", () -> {
            throw new StackOverflowError();
        }), sensor("good", () -> Measurement.of(1))), new Steps(3)).run();

        assertThat(sensorBatches()).extracting(b -> b.readings().stream().map(r -> r.sensorId()).toList())
                .containsExactly(List.of("good"), List.of("oom", "good"), List.of("oom", "good"));
        assertThat(messages("WARN")).containsExactly(
                "sensor 'oom': read failed (OutOfMemoryError: Java heap space); skipped its reading",
                "sensor 'deep': read failed (StackOverflowError); skipped its reading");
        assertThat(messages("INFO")).contains("sensor 'oom': works again after 1 failures");
    }
}
