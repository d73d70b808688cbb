package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.core.Agent;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.StateFile;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery under faults, through the distribution's own wiring: the assembled {@link Agent} (mock
 * GPIO sensors from a sensor file, the http exporter, the LMDB spool, the token keeper) against the
 * in-process {@link TestCollector} over loopback. Cycles run with {@link Agent#runOnce()} on a
 * {@link ManualClock}; the drain's schedule runs on that clock too, so waiting for it means moving
 * the clock ({@link #awaitTicking}). "Exactly once" is asserted after the agent has closed.
 */
class DeliveryFaultsTest {

    private static final long T0 = 1_764_190_000L;
    private static final String TWO_FLOATS = """
            sensors:
              io:
                float_sensors:
                  - id: tank_top
                    description: Water tank top level
                    pin: 17
                  - id: tank_bottom
                    description: Water tank bottom level
                    pin: 27
            """;

    @TempDir
    Path work;
    TestCollector collector;
    final ManualClock clock = new ManualClock(Instant.ofEpochSecond(T0));
    CapturedLog log;

    @BeforeEach
    void start() {
        collector = TestCollector.start();
        log = new CapturedLog();
        FlakyExporterFactory.THROW_FIRST.set(0);
        FlakyExporterFactory.THREADS.clear();
    }

    @AfterEach
    void stop() {
        log.close();
        collector.close();
    }

    private Settings settings(String device, String sensorFile, String... extra) throws Exception {
        Path dir = Files.createDirectories(work.resolve(device));
        Files.writeString(dir.resolve("sensors.yaml"), sensorFile);
        Map<String, String> env = new HashMap<>(Map.of(
                "SENSOR_READER_DEVICE_ID", device,
                "SENSOR_READER_COLLECTOR_HOST", collector.url(),
                "SENSOR_READER_DATA_DIR", dir.resolve("data").toString(),
                "SENSOR_READER_SENSOR_CONFIG", dir.resolve("sensors.yaml").toString(),
                "SENSOR_READER_LIVE_SENSORS_ENABLED", "false",
                "SENSOR_READER_HTTP_REQUEST_TIMEOUT", "2s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        Settings settings = Settings.load(env, Map.of(), dir, "test-host");
        Files.createDirectories(settings.dataDir());
        return settings;
    }

    private Agent agent(Settings settings) {
        return Agent.assemble(settings, new Agent.Options(false, new PrintWriter(new StringWriter()), "test", clock,
                Path.of("/"), getClass().getClassLoader()), Shipping.outboxes(() -> { }));
    }

    /** One cycle, {@code 5 s} after the last; returns its timestamp. */
    private long cycle(Agent agent) {
        clock.advance(Duration.ofSeconds(5));
        agent.runOnce();
        return clock.instant().getEpochSecond();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Waits while the agent's clock moves on by 1 s per poll; returns the agent time it took. */
    private Duration awaitTicking(BooleanSupplier done) throws InterruptedException {
        Instant from = clock.instant();
        await(() -> {
            if (done.getAsBoolean()) {
                return true;
            }
            clock.advance(Duration.ofSeconds(1));
            return false;
        });
        return Duration.between(from, clock.instant());
    }

    private List<DeadLetter> deadLetters(Settings settings) throws Exception {
        try (Shipping s = Shipping.open(settings, "test", clock, Shipping.Need.SPOOL)) {
            return s.spool().deadLetters(1_000);
        }
    }

    private long queued(Settings settings) throws Exception {
        try (Shipping s = Shipping.open(settings, "test", clock, Shipping.Need.SPOOL)) {
            return s.spool().stats().batches();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Map<String, Long> arrivals(String device) {
        return collector.metrics().stream().filter(m -> m.deviceId().equals(device)).collect(Collectors.groupingBy(
                m -> m.sensorId() + "@" + (long) m.timestamp(), Collectors.counting()));
    }

    @Test
    void sharedSensorIdsArePoisonDeadLetteredWithinAMinuteWhileStatusesAndOtherSensorsArrive() throws Exception {
        Settings a = settings("pi-a", TWO_FLOATS);
        try (Agent first = agent(a)) {
            cycle(first);
            await(() -> collector.metrics().size() == 2);
        }
        Settings b = settings("pi-b", TWO_FLOATS + """
                      - id: b_only
                        description: Device B's own sensor
                        pin: 22
                """);
        List<Long> cycles = new ArrayList<>();
        Instant start = clock.instant();
        Duration deadLettered;
        try (Agent agent = agent(b)) {
            for (int i = 0; i < 12; i++) {
                cycles.add(cycle(agent));
                long t = cycles.get(cycles.size() - 1);
                await(() -> collector.statuses().stream().anyMatch(s -> s.deviceId().equals("pi-b") && (long) s.timestamp() == t));
            }
            awaitTicking(() -> log.lines().stream().anyMatch(l -> l.contains("dead letters (poison sensor-batch")));
            deadLettered = Duration.between(start, clock.instant());
            cycles.add(cycle(agent));
            long last = cycles.get(cycles.size() - 1);
            await(() -> arrivals("pi-b").containsKey("b_only@" + last) && collector.statuses().stream()
                    .anyMatch(st -> st.deviceId().equals("pi-b") && (long) st.timestamp() == last));
        }

        assertThat(deadLettered).as("the first poison dead letter").isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(collector.statuses().stream().filter(s -> s.deviceId().equals("pi-b")).map(s -> (long) s.timestamp()))
                .as("every status of device B").containsAll(cycles);
        assertThat(arrivals("pi-b").keySet()).as("device B's own sensor, live, every cycle")
                .containsAll(cycles.stream().map(t -> "b_only@" + t).toList());
        assertThat(arrivals("pi-b").values()).allMatch(n -> n == 1);
        assertThat(collector.metrics()).filteredOn(m -> m.deviceId().equals("pi-b")).extracting(StoredMetric::sensorId)
                .containsOnly("b_only");
        List<DeadLetter> dead = deadLetters(b);
        assertThat(dead).isNotEmpty().allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(500);
            assertThat(d.reason()).contains("likely cause: a sensor id owned by another device")
                    .containsPattern("give tank_(top|bottom)(, tank_top)? (an id of its own|ids of their own)");
            assertThat(d.body()).doesNotContain("b_only");
        });
    }

    @Test
    void afterALongOutageTheFirstLiveReadingArrivesWithinOneIntervalAndTheBacklogSoonAfter() throws Exception {
        Settings settings = settings("pi-out", TWO_FLOATS, "SENSOR_READER_RETRY_MAX_BACKOFF", "5m");
        List<Long> cycles = new ArrayList<>();
        try (Agent agent = agent(settings)) {
            cycles.add(cycle(agent));
            await(() -> collector.metrics().size() == 2);
            collector.failNext(1_000_000, 503);
            for (int i = 0; i < 60; i++) { // five minutes of outage
                cycles.add(cycle(agent));
            }
            long outageEnd = cycles.get(cycles.size() - 1);
            await(() -> collector.requests().stream().anyMatch(r -> r.bodyText().contains("\"timestamp\": " + outageEnd)));

            // A status that tells the truth: state.json, then 'sensor-reader status' (non-zero).
            Path state = new StateFile(settings.dataDir()).path();
            await(() -> read(state).contains("\"delivering\": false"));
            assertThat(read(state)).contains("\"not_delivering\": \"nothing delivered for ").contains(
                    "collector unreachable (/");
            CommandRun status = CommandRun.of(Map.of("SENSOR_READER_DATA_DIR", settings.dataDir().toString()), work,
                    "status");
            assertThat(status.code()).as("%s", status).isEqualTo(1);
            assertThat(status.out()).contains("not delivering: nothing delivered for ")
                    .contains(": collector unreachable (");
            collector.clearFaults();

            Instant recovered = clock.instant();
            long first = cycle(agent);
            cycles.add(first);
            await(() -> arrivals("pi-out").containsKey("tank_top@" + first));
            assertThat(Duration.between(recovered, clock.instant())).as("the first live reading after recovery")
                    .isLessThanOrEqualTo(Duration.ofSeconds(5));

            // The drain starts at most 30 s after the first success (the live reading at 'first'): move
            // the agent's clock there, then stop it; the whole backlog must arrive without any more
            // waiting on the clock (full speed).
            clock.set(Instant.ofEpochSecond(first).plusSeconds(30));
            await(() -> collector.metrics().size() >= 2 * cycles.size() && collector.statuses().size() >= cycles.size());
        }
        assertThat(arrivals("pi-out")).hasSize(2 * cycles.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(collector.statuses()).hasSize(cycles.size());
        assertThat(queued(settings)).isZero();
        assertThat(deadLetters(settings)).as("an outage dead-letters nothing").isEmpty();
    }

    @Test
    void anAbsurdRetryAfterIsClampedToTheCapAndDeliveryGoesOn() throws Exception {
        retryAfterIsClamped("99999999999");
    }

    @Test
    void aRetryAfterDateFarAheadIsClampedToTheCapAndDeliveryGoesOn() throws Exception {
        retryAfterIsClamped("Fri, 31 Dec 9999 23:59:59 GMT");
    }

    private void retryAfterIsClamped(String retryAfter) throws Exception {
        Settings settings = settings("pi-ra", TWO_FLOATS, "SENSOR_READER_RETRY_MAX_BACKOFF", "1m");
        List<Long> cycles = new ArrayList<>();
        try (Agent agent = agent(settings)) {
            cycles.add(cycle(agent));
            await(() -> collector.metrics().size() == 2);
            collector.failNext(1_000, 503);
            for (int i = 0; i < 3; i++) {
                cycles.add(cycle(agent));
            }
            long last = cycles.get(cycles.size() - 1);
            // The last cycle has been tried (live, or from the spool once the outage's backoff ran out:
            // whether the live path offers it depends on how far the test's clock ran ahead of it).
            awaitTicking(() -> collector.requests().stream().filter(r -> r.bodyText().contains("\"timestamp\": " + last))
                    .count() >= 2);
            collector.clearFaults();
            // The drain's next request gets the absurd hint; the one after it delivers the backlog.
            collector.failNext(1, 503, retryAfter);
            Duration took = awaitTicking(() -> collector.metrics().size() >= 2 * cycles.size()
                    && collector.statuses().size() >= cycles.size());
            // The backoff of the outage, then one wait for the hint, each within the cap (and the
            // agent time that passes while the test ticks the clock during the requests).
            assertThat(took).isLessThanOrEqualTo(Duration.ofSeconds(240));
        }
        assertThat(arrivals("pi-ra")).hasSize(2 * cycles.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(log.lines()).noneMatch(l -> l.contains("overflow") || l.contains("99999999999"))
                .anyMatch(l -> l.contains("answered 503") && l.matches(".*next spool retry in 60000 ms"));
    }

    @Test
    void aTwentyMegabyteAnswerIsNotReadWholeAndTheBatchArrivesOnce() throws Exception {
        Settings settings = settings("pi-big", TWO_FLOATS);
        List<Long> cycles = new ArrayList<>();
        try (Agent agent = agent(settings)) {
            cycles.add(cycle(agent));
            await(() -> collector.metrics().size() == 2);
            collector.answerHugeBodyNext(2, 20 << 20);
            cycles.add(cycle(agent));
            cycles.add(cycle(agent));
            awaitTicking(() -> collector.metrics().size() >= 2 * cycles.size() && collector.statuses().size() >= 3);
        }
        assertThat(arrivals("pi-big")).hasSize(2 * cycles.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(log.lines()).noneMatch(l -> l.contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    }

    @Test
    void aSpooledRecordTooLargeToEverSendIsDeadLetteredAndTheRestDelivered() throws Exception {
        Settings settings = settings("pi-huge", TWO_FLOATS, "SENSOR_READER_RETRY_MAX_BYTES", "65536");
        try (Shipping s = Shipping.open(settings, "test", clock, Shipping.Need.SPOOL)) {
            s.spool().append(new SensorBatch(T0 - 20, List.of(new Reading("old", "FloatSensor", "before", 1.0, null,
                    T0 - 20, Map.of()))), 503);
            s.spool().append(new SensorBatch(T0 - 10, List.of(new Reading("long", "FloatSensor", "d".repeat(200_000), 1.0,
                    null, T0 - 10, Map.of()))), 503);
            s.spool().append(new SensorBatch(T0 - 5, List.of(new Reading("after", "FloatSensor", "after", 1.0, null,
                    T0 - 5, Map.of()))), 503);
        }
        collector.register("pi-huge", "test");
        long t;
        try (Agent agent = agent(settings)) {
            t = cycle(agent);
            awaitTicking(() -> arrivals("pi-huge").containsKey("after@" + (T0 - 5)) && arrivals("pi-huge").containsKey(
                    "tank_top@" + t) && collector.statuses().size() == 1);
        }
        assertThat(arrivals("pi-huge")).containsOnlyKeys("old@" + (T0 - 20), "after@" + (T0 - 5), "tank_top@" + t,
                "tank_bottom@" + t).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(deadLetters(settings)).singleElement().satisfies(d -> {
            assertThat(d.reason()).startsWith("too large to send: ").endsWith("bytes, more than RETRY_MAX_BYTES (65536)");
            assertThat(d.body()).contains("\"long\"");
        });
        assertThat(queued(settings)).isZero();
    }

    @Test
    void anErrorThrownByThePrimaryExporterOrATapEndsNothing() throws Exception {
        Settings settings = settings("pi-err", TWO_FLOATS, "SENSOR_READER_EXPORTERS", "flaky,boom");
        FlakyExporterFactory.THROW_FIRST.set(3);
        List<Long> cycles = new ArrayList<>();
        try (Agent agent = agent(settings)) {
            for (int i = 0; i < 4; i++) {
                cycles.add(cycle(agent));
            }
            awaitTicking(() -> collector.metrics().size() >= 2 * cycles.size() && collector.statuses().size() >= 4);
            cycles.add(cycle(agent));
            awaitTicking(() -> collector.metrics().size() >= 2 * cycles.size());
        }
        assertThat(arrivals("pi-err")).hasSize(2 * cycles.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(FlakyExporterFactory.THREADS).as("never the sampling thread")
                .doesNotContain(Thread.currentThread().getName()).contains("delivery").anyMatch(n -> n.startsWith("tap-"));
        assertThat(log.lines()).anyMatch(l -> l.contains("flaky exporter bug"))
                .anyMatch(l -> l.contains("boom exporter bug"));
    }

    @RepeatedTest(5)
    void atAFirstStartTheGoodReadingsOfTheFirstCycleAreDeliveredBesideAnUnknownType() throws Exception {
        Settings settings = settings("pi-type", TWO_FLOATS + """
                  analog:
                    pressure_sensors:
                      - id: main_line
                        description: Main line pressure
                        channel: 0
                        min_pressure: 0
                        max_pressure: 10
                        unit: bar
                """);
        List<Long> cycles = new ArrayList<>();
        try (Agent agent = agent(settings)) {
            for (int i = 0; i < 3; i++) {
                cycles.add(cycle(agent));
            }
            await(() -> collector.metrics().size() >= 2 * cycles.size() && collector.statuses().size() >= 3);
        }
        assertThat(arrivals("pi-type")).hasSize(2 * cycles.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        List<DeadLetter> dead = deadLetters(settings);
        assertThat(dead).hasSize(cycles.size()).allSatisfy(d -> {
            assertThat(d.body()).contains("\"main_line\"").doesNotContain("tank_");
            assertThat(d.reason()).startsWith("Unknown sensor type");
        });
        assertThat(log.lines().stream().filter(l -> l.contains("does not know the sensor type 'PressureSensor'"))).hasSize(1)
                .allMatch(l -> l.contains("sensor-reader spool requeue --type PressureSensor"));
        assertThat(log.lines().stream().filter(l -> l.contains("dead letters (Unknown sensor type"))).hasSize(1);
    }

    @Test
    void aTokenEchoedByTheServerReachesNoLogNoStateFileAndNoDeadLetter() throws Exception {
        Settings settings = settings("pi-echo", TWO_FLOATS);
        List<Long> cycles = new ArrayList<>();
        String token;
        try (Agent agent = agent(settings)) {
            cycles.add(cycle(agent));
            await(() -> collector.metrics().size() == 2);
            token = collector.requests("/metrics").get(0).header("X-API-KEY").orElseThrow();
            collector.echoTokenNext(1, 500);
            collector.echoTokenNext(1, 422);
            collector.echoTokenNext(2, 503);
            for (int i = 0; i < 3; i++) {
                cycles.add(cycle(agent));
            }
            // Which request meets which fault depends on timing; wait until the four faults are used
            // and the spool has drained what they left (a fifth cycle's status arrives after them).
            long last = cycle(agent);
            awaitTicking(() -> collector.requests().stream().filter(r -> r.answered() >= 400).count() == 4
                    && collector.statuses().stream().anyMatch(st -> (long) st.timestamp() == last));
            Instant settled = clock.instant().plusSeconds(40); // the drain starts within 30 s of the recovery
            awaitTicking(() -> !clock.instant().isBefore(settled));
        }
        String state = Files.readString(new StateFile(settings.dataDir()).path());
        assertThat(log.lines()).isNotEmpty().noneMatch(l -> l.contains(token));
        assertThat(state).doesNotContain(token);
        assertThat(deadLetters(settings)).isNotEmpty().allSatisfy(d -> assertThat(d.reason()).doesNotContain(token)
                .contains("[redacted]"));
        assertThat(log.lines()).anyMatch(l -> l.contains("[redacted]"));
    }
}
