package io.sensorreader.cli;

import io.sensorreader.api.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.core.Agent;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * The whole agent (simulated sensors, the courier, the LMDB spool, the token keeper and the http
 * exporter) against the in-process collector over loopback: every reading arrives exactly once
 * through outages, restarts and Python leftovers. Cycles are driven with {@link Agent#runOnce()} on
 * a stepped clock, so each cycle has its own timestamp.
 */
class DeliveryEndToEndTest {

    private static final long T0 = 1_764_190_000L;

    @TempDir
    Path work;
    TestCollector collector;
    final ManualClock clock = new ManualClock(Instant.ofEpochSecond(T0));

    @BeforeEach
    void start() {
        collector = TestCollector.start();
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    private Settings settings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SENSOR_READER_DEVICE_ID", "pi-e2e",
                "SENSOR_READER_COLLECTOR_HOST", collector.url(),
                "SENSOR_READER_DATA_DIR", work.resolve("data").toString(),
                "SENSOR_READER_RETRY_INTERVAL", "100ms",
                "SENSOR_READER_RETRY_MAX_BACKOFF", "300ms",
                "SENSOR_READER_HTTP_REQUEST_TIMEOUT", "500ms"));
        env.putAll(extra);
        return Settings.load(env, Map.of(), work, "test-host");
    }

    private Agent agent(Settings settings) throws Exception {
        Files.createDirectories(settings.dataDir());
        return Agent.assemble(settings, new Agent.Options(false, new PrintWriter(new StringWriter()), "test", clock,
                Path.of("/"), getClass().getClassLoader()), Shipping.outboxes(() -> { }));
    }

    private void cycles(Agent agent, int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(5));
            agent.runOnce();
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits while the agent's clock moves on by 1 s every 20 ms of waiting (no sampling cycle runs). */
    private void awaitTicking(BooleanSupplier done) throws InterruptedException {
        await(() -> {
            clock.advance(Duration.ofSeconds(1));
            return done.getAsBoolean();
        });
    }

    /** (sensor, timestamp) pairs the collector stored, each counted. */
    private Map<String, Long> arrivals() {
        return collector.metrics().stream().collect(Collectors.groupingBy(
                m -> m.sensorId() + "@" + (long) m.timestamp(), Collectors.counting()));
    }

    private static Set<Long> cycleTimes(int first, int count) {
        return LongStream.rangeClosed(first, first + count - 1).map(i -> T0 + 5 * i).boxed().collect(Collectors.toSet());
    }

    /**
     * Issue 13, 1 and 8: every run under the stable launcher reports its health (N cycles and a delivery),
     * with the self-update off as by default, and says why it cannot deliver during an outage.
     */
    @Test
    void everyRunReportsItsHealthToTheLauncherWithTheRefresherOff() throws Exception {
        Path releases = Files.createDirectories(work.resolve("releases"));
        Path health = releases.resolve("health");
        try (Agent agent = agent(settings(Map.of("SENSOR_READER_RELEASE_ROOT", releases.toString())))) {
            cycles(agent, 2);
            await(() -> collector.statuses().size() >= 2);
            assertThat(health).doesNotExist();
            cycles(agent, 1);
            await(() -> read(health).contains("healthy_at=" + (T0 + 15) + "\n"));
            assertThat(read(health)).startsWith("tag=test\nstarted=" + T0 + "\nhealthy_at=" + (T0 + 15)
                    + "\ndelivering=yes\ncause=\n");

            collector.failNext(1000, 503);
            for (int i = 0; i < 40 && !read(health).contains("delivering=no"); i++) {
                cycles(agent, 1);
                Thread.sleep(50);
            }
            assertThat(read(health)).contains("healthy_at=" + (T0 + 15) + "\ndelivering=no\ncause=transient 503\n");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void everyReadingArrivesExactlyOnceThroughAnOutage() throws Exception {
        try (Agent agent = agent(settings(Map.of()))) {
            cycles(agent, 1);
            await(() -> collector.metrics().size() == 2);
            collector.failNext(12, 503);
            collector.dropNext(3);
            cycles(agent, 29);
            // The drain's backoff and its start after the outage run on the agent's clock: let it tick.
            awaitTicking(() -> collector.metrics().size() >= 60 && collector.statuses().size() >= 30);
            Thread.sleep(300);
        }

        Map<String, Long> arrived = arrivals();
        assertThat(arrived.values()).allMatch(n -> n == 1);
        assertThat(arrived).hasSize(60);
        assertThat(collector.metrics().stream().map(m -> (long) m.timestamp()).collect(Collectors.toSet()))
                .isEqualTo(cycleTimes(1, 30));
        assertThat(collector.statuses()).hasSize(30);
        assertThat(collector.registrations()).isEqualTo(1);
    }

    @Test
    void batchesSpooledAtShutdownAreDeliveredByTheNextRun() throws Exception {
        Settings settings = settings(Map.of());
        try (Agent first = agent(settings)) {
            cycles(first, 3);
            await(() -> collector.metrics().size() == 6);
            collector.failNext(1_000, 503);
            cycles(first, 5);
            Thread.sleep(300);
        }
        assertThat(collector.metrics()).hasSize(6);
        collector.clearFaults();

        try (Agent second = agent(settings)) {
            cycles(second, 2);
            await(() -> collector.metrics().size() >= 20);
            Thread.sleep(300);
        }
        assertThat(arrivals()).hasSize(20).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(collector.registrations()).as("the second run reuses the stored token").isEqualTo(1);
    }

    @Test
    void liveReadingsArriveWhileABacklogIsStillDraining() throws Exception {
        Settings settings = settings(Map.of("SENSOR_READER_RETRY_MAX_READINGS", "100"));
        Files.createDirectories(settings.dataDir());
        try (Shipping shipping = Shipping.open(settings, "test", clock, Shipping.Need.SPOOL)) {
            for (int i = 0; i < 600; i++) {
                List<io.sensorreader.api.Reading> readings = new java.util.ArrayList<>();
                for (int r = 0; r < 20; r++) {
                    readings.add(new io.sensorreader.api.Reading("old-" + r, "FloatSensor", "backlog", 1.0, null,
                            T0 - 100_000 + i, Map.of()));
                }
                shipping.spool().append(new io.sensorreader.api.SensorBatch(T0 - 100_000 + i, readings), 503);
            }
        }
        collector.register("pi-e2e", "e2e");
        collector.delayNext(10_000, Duration.ofMillis(25));
        try (Agent agent = agent(settings)) {
            await(() -> collector.metrics().size() >= 100);
            clock.advance(Duration.ofSeconds(5));
            agent.runOnce();
            long live = clock.instant().getEpochSecond();
            await(() -> collector.metrics().stream().anyMatch(m -> (long) m.timestamp() == live));
            long backlogSoFar = collector.metrics().stream().filter(m -> m.sensorId().startsWith("old-")).count();

            assertThat(backlogSoFar).as("the live cycle arrived before the backlog was through").isLessThan(12_000);
            collector.clearFaults();
            await(() -> collector.metrics().stream().filter(m -> m.sensorId().startsWith("old-")).count() == 12_000);
        }
        assertThat(arrivals()).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void deliversTheLeftoversOfThePythonAgentsSpool() throws Exception {
        Settings settings = settings(Map.of());
        Path lmdb = settings.dataDir().resolve("data.lmdb");
        Files.createDirectories(lmdb);
        String sensorBody = "[{\"id\": \"py_float_1\", \"description\": \"FloatSensor: Water tank top level\","
                + " \"value\": 1.0, \"timestamp\": 1764100000}]";
        String statusBody = "{\"timestamp\": 1764100000, \"metrics\": {\"cpu_usage_percent\": 12.5,"
                + " \"memory_usage_percent\": 41.0, \"temperature_celsius\": null}}";
        try (Env<ByteBuffer> env = Env.create().setMapSize(256L << 20).setMaxDbs(1).open(lmdb.toFile())) {
            Dbi<ByteBuffer> db = env.openDbi((String) null, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                db.put(txn, bytes("sensor-batch-1764100000"), bytes("{\"payload\": " + sensorBody
                        + ", \"status_code\": 503, \"metric_type\": \"sensor-batch\"}"));
                db.put(txn, bytes("device-status-1764100000"), bytes("{\"payload\": " + statusBody
                        + ", \"status_code\": null, \"metric_type\": \"device-status\"}"));
                db.put(txn, bytes("batch-1764000000"), bytes("{\"payload\": [{\"id\": \"py_float_2\", \"description\":"
                        + " \"FloatSensor: old\", \"value\": 0.0, \"timestamp\": 1764000000}], \"status_code\": null,"
                        + " \"metric_type\": \"sensor-batch\"}"));
                txn.commit();
            }
        }

        try (Agent agent = agent(settings)) {
            cycles(agent, 1);
            await(() -> collector.metrics().stream().anyMatch(m -> m.sensorId().equals("py_float_2"))
                    && collector.metrics().stream().anyMatch(m -> m.sensorId().equals("py_float_1")));
            Thread.sleep(300);
        }

        List<StoredMetric> python = collector.metrics().stream().filter(m -> m.sensorId().startsWith("py_")).toList();
        assertThat(python).extracting(StoredMetric::sensorId, m -> (long) m.timestamp(), StoredMetric::description)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("py_float_1", 1764100000L, "FloatSensor: Water tank top level"),
                        org.assertj.core.groups.Tuple.tuple("py_float_2", 1764000000L, "FloatSensor: old"));
        assertThat(collector.statuses()).anySatisfy(s -> assertThat((long) s.timestamp()).isEqualTo(1764100000L));
    }

    private static ByteBuffer bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

}
