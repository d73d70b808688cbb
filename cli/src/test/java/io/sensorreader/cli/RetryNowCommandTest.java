package io.sensorreader.cli;

import static io.sensorreader.cli.SpoolAtHand.floatBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Secret;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sensor-reader retry-now}: the LMDB spool of a temp data folder drained into the in-process collector. */
class RetryNowCommandTest extends CollectorFixture {

    private static final long T = 1_764_190_000L;

    private CommandRun retryNow(Map<String, String> env) {
        return CommandRun.of(env, work, "retry-now");
    }

    /** Registers as provisioning does, so that the token file is in place. */
    private String registered() throws IOException {
        CommandRun run = CommandRun.of(env(), work, "register");
        assertThat(run.code()).as("%s", run).isZero();
        return Files.readString(data.resolve("token")).strip();
    }

    /** Two sensor batches, a device status, a sensor batch: three requests (the first two coalesced). */
    private void spoolFour() throws Exception {
        SpoolAtHand.use(env(), work, spool -> {
            spool.append(floatBatch("f1", 1.0, T), 503);
            spool.append(floatBatch("f1", 2.0, T + 5), 0);
            spool.append(new DeviceStatus(T + 10, Map.of("cpu_usage_percent", 12.5)), 0);
            spool.append(floatBatch("f1", 3.0, T + 15), 0);
            return null;
        });
    }

    private SpoolStats stats() throws Exception {
        return SpoolAtHand.use(env(), work, spool -> spool.stats());
    }

    private List<SpooledBatch> queued() throws Exception {
        return SpoolAtHand.use(env(), work, spool -> spool.oldest(100));
    }

    private static String unusedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void deliversEverySpooledBatchOnceTheSensorBatchesJoinedAcrossTheStatusWithAProgressLinePerRequest() throws Exception {
        String token = registered();
        spoolFour();

        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool: 4 batch(es) to deliver to " + collector.url(),
                "progress: delivered 3, dead-lettered 0, left 1",
                "progress: delivered 4, dead-lettered 0, left 0",
                "delivered 4, dead-lettered 0, left 0");
        assertThat(collector.metrics()).containsExactly(
                new StoredMetric("f1", "FloatSensor: tank", 1.0, T, "pi-cli"),
                new StoredMetric("f1", "FloatSensor: tank", 2.0, T + 5, "pi-cli"),
                new StoredMetric("f1", "FloatSensor: tank", 3.0, T + 15, "pi-cli"));
        assertThat(collector.statuses()).extracting(TestCollector.StoredStatus::timestamp).containsExactly((double) T + 10);
        assertThat(collector.requests()).extracting(TestCollector.RecordedRequest::path)
                .containsExactly("/devices", "/metrics", "/devices/status");
        assertThat(stats().batches()).isZero();
        assertThat(log.lines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void onATerminalProgressIsOneBarRedrawnInPlace() throws Exception {
        registered();
        spoolFour();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new RetryNowCommand(new Invocation(env(), work, CommandRun.HOST), () -> true));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        int code = cli.execute();

        String nl = System.lineSeparator();
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("spool: 4 batch(es) to deliver to " + collector.url() + nl
                + "\r[" + "#".repeat(22) + " ".repeat(8) + "] 3/4"
                + "\r[" + "#".repeat(30) + "] 4/4" + nl
                + "delivered 4, dead-lettered 0, left 0" + nl);
    }

    @Test
    void emptySpoolExits0WithoutAnyRequest() throws Exception {
        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool: 0 batch(es) to deliver to " + collector.url(),
                "delivered 0, dead-lettered 0, left 0");
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void unregisteredDeviceRegistersFirstThenDelivers() throws Exception {
        spoolFour();

        CommandRun run = retryNow(env());

        String token = Files.readString(data.resolve("token")).strip();
        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool: 4 batch(es) to deliver to " + collector.url(),
                "registered device 'pi-cli' (token fingerprint " + Secret.of(token).fingerprint() + ")",
                "progress: delivered 3, dead-lettered 0, left 1",
                "progress: delivered 4, dead-lettered 0, left 0",
                "delivered 4, dead-lettered 0, left 0");
        assertThat(log.lines()).noneMatch(line -> line.contains(token));
        assertThat(collector.registrations()).isEqualTo(1);
        assertThat(collector.metrics()).hasSize(3);
        assertThat(stats().batches()).isZero();
    }

    @Test
    void readingsOfAnUnknownTypeGoToTheDeadLettersAndTheRestIsDelivered() throws Exception {
        registered();
        SpoolAtHand.use(env(), work, spool -> {
            spool.append(floatBatch("f1", 1.0, T), 0);
            spool.append(new SensorBatch(T + 5, List.of(
                    new Reading("f1", "FloatSensor", "tank", 1.5, null, T + 5, Map.of()),
                    new Reading("p1", "PressureSensor", "main line", 2.4, "bar", T + 5, Map.of()))), 0);
            spool.append(floatBatch("f1", 2.0, T + 10), 0);
            return null;
        });

        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).first().isEqualTo("spool: 3 batch(es) to deliver to " + collector.url());
        assertThat(run.outLines()).last().isEqualTo("delivered 3, dead-lettered 1, left 0");
        assertThat(collector.metrics()).extracting(StoredMetric::value).containsExactly(1.0, 1.5, 2.0);
        SpoolStats after = stats();
        assertThat(after.batches()).isZero();
        assertThat(after.deadLetters()).isEqualTo(1);
        List<DeadLetter> dead = SpoolAtHand.use(env(), work, spool -> spool.deadLetters(10));
        assertThat(dead).singleElement()
                .satisfies(d -> {
                    assertThat(d.reason()).isEqualTo("Unknown sensor type: PressureSensor");
                    assertThat(d.body()).contains("\"p1\"").doesNotContain("\"f1\"");
                });
    }

    @Test
    void failingCollectorLeavesTheBatchesQueuedAndExits75() throws Exception {
        registered();
        spoolFour();
        collector.failNext(1, 503);

        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isEqualTo(75);
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool: 4 batch(es) to deliver to " + collector.url(),
                "progress: delivered 0, dead-lettered 0, left 4",
                "delivered 0, dead-lettered 0, left 4",
                "stopped: /metrics answered 503: {\"error\":\"Internal server error\"}");
        assertThat(collector.metrics()).isEmpty();
        // One request carried the three sensor batches; the status was not tried.
        assertThat(queued()).extracting(SpooledBatch::attempts).containsExactly(1, 1, 0, 1);
        assertThat(queued()).extracting(SpooledBatch::lastStatus).containsExactly(503, 503, 0, 503);
    }

    @Test
    void collectorThatStopsAnsweringMidwayKeepsTheRestAndExits75() throws Exception {
        registered();
        spoolFour();
        collector.answerStatusInsteadOf201Next(1, 201);
        collector.failNext(1, 502);

        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isEqualTo(75);
        assertThat(run.outLines()).containsExactly(
                "spool: 4 batch(es) to deliver to " + collector.url(),
                "progress: delivered 3, dead-lettered 0, left 1",
                "progress: delivered 3, dead-lettered 0, left 1",
                "delivered 3, dead-lettered 0, left 1",
                "stopped: /devices/status answered 502: {\"error\":\"Internal server error\"}");
        assertThat(collector.metrics()).extracting(StoredMetric::value).containsExactly(1.0, 2.0, 3.0);
        assertThat(queued()).extracting(s -> s.batch().kind()).containsExactly(io.sensorreader.api.Batch.Kind.DEVICE_STATUS);
    }

    @Test
    void unreachableCollectorExits69AndKeepsEveryBatch() throws Exception {
        registered();
        spoolFour();
        String url = unusedPortUrl();

        CommandRun run = retryNow(env("SENSOR_READER_COLLECTOR_HOST", url));

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.outLines()).containsExactly(
                "spool: 4 batch(es) to deliver to " + url,
                "progress: delivered 0, dead-lettered 0, left 4",
                "delivered 0, dead-lettered 0, left 4",
                "stopped: /metrics: connection to " + url.substring("http://".length()) + " refused or unreachable");
        assertThat(stats().batches()).isEqualTo(4);
    }

    @Test
    void unregisteredDeviceWithAnUnreachableCollectorExits69BeforeDraining() throws Exception {
        spoolFour();
        String url = unusedPortUrl();

        CommandRun run = retryNow(env("SENSOR_READER_COLLECTOR_HOST", url));

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.outLines()).containsExactly("spool: 4 batch(es) to deliver to " + url);
        assertThat(run.errLines()).containsExactly("retry-now: this device is not registered yet and registering failed:"
                + " /devices: connection to " + url.substring("http://".length()) + " refused or unreachable");
        assertThat(data.resolve("token")).doesNotExist();
        assertThat(stats().batches()).isEqualTo(4);
    }

    @Test
    void wrongCollectorPathExits69() throws Exception {
        String token = registered();
        spoolFour();

        CommandRun run = retryNow(env("SENSOR_READER_COLLECTOR_HOST", collector.url() + "/api", "SENSOR_READER_TOKEN", token));

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.outLines()).endsWith("delivered 0, dead-lettered 0, left 4",
                "stopped: /metrics answered 404: the collector URL looks wrong; check SENSOR_READER_COLLECTOR_HOST ("
                        + collector.url() + "/api); batches are kept");
        assertThat(stats().batches()).isEqualTo(4);
    }

    @Test
    void anotherDrainerHoldingTheLockMeansNothingIsSentAndExit75() throws Exception {
        registered();
        spoolFour();
        try (FileChannel channel = FileChannel.open(data.resolve("spool-drain.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {

            CommandRun run = retryNow(env());

            assertThat(run.code()).as("%s", run).isEqualTo(75);
            assertThat(run.outLines()).containsExactly(
                    "spool: 4 batch(es) to deliver to " + collector.url(),
                    "another process (the running agent?) is draining the spool right now; it delivers them");
        }
        assertThat(collector.requests("/metrics")).isEmpty();
        assertThat(collector.requests("/devices/status")).isEmpty();
        assertThat(stats().batches()).isEqualTo(4);
    }

    @Test
    void drainLockThatCannotBeTakenExits69() throws Exception {
        registered();
        spoolFour();
        Path lock = Files.createDirectories(data.resolve("spool-drain.lock"));

        CommandRun run = retryNow(env());

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.outLines()).containsExactly("spool: 4 batch(es) to deliver to " + collector.url());
        assertThat(run.errLines()).containsExactly("retry-now: cannot take the spool's drain lock: cannot open the drain lock "
                + lock + ": " + lock + ": Is a directory");
        assertThat(collector.requests("/metrics")).isEmpty();
    }

    @Test
    void badSettingExits78NamingTheVariable() {
        CommandRun run = retryNow(env("SENSOR_READER_RETRY_INTERVAL", "soon"));

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "environment: SENSOR_READER_RETRY_INTERVAL is 'soon'; expected a duration such as 500ms, 5s, 2m or 1h",
                "sensor-reader: 1 configuration problem; nothing was started");
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of(Map.of(), work, "retry-now", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Exit codes:");
        assertThat(List.of(0, 64, 69, 70, 75, 78)).allSatisfy(code -> assertThat(run.out()).containsPattern("(?m)^\\s+" + code + "\\s"));
    }
}
