package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.ManualClock;
import io.sensorreader.core.Agent;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * {@code migrate} on a folder laid out as the Python agent's install: its unit file with
 * {@code Environment=} lines and no {@code .env}, its sensor file, and a {@code data.lmdb} in its
 * format, beside this agent's settings file as the package installs it. Then the real agent, with
 * the settings as the service reads them, delivers the leftovers once and live readings under the
 * Python agent's device id, whose sensors the collector already knows.
 */
class MigrateCommandTest {

    private static final long PY_T = 1_764_100_000L;
    private static final long T0 = 1_764_190_000L;

    @TempDir
    Path dir;
    TestCollector collector;
    Path python;
    Path units;
    Path etc;
    Path data;
    Path settingsFile;
    String pythonToken;

    @BeforeEach
    void layOut() throws Exception {
        collector = TestCollector.start();
        // The Python agent's history: it registered under its default id and its sensors are its own.
        pythonToken = collector.register("test-device-001", "Python agent");
        post("[{\"id\": \"tank_top\", \"description\": \"FloatSensor: Water tank top level\", \"value\": 1.0, \"timestamp\": "
                + (PY_T - 100) + "}, {\"id\": \"tank_bottom\", \"description\": \"FloatSensor: Water tank bottom level\","
                + " \"value\": 0.0, \"timestamp\": " + (PY_T - 100) + "}]");

        python = Files.createDirectories(dir.resolve("home/pi/sensor-agent"));
        Files.writeString(python.resolve("sensor_config.yaml"), """
                sensors:
                  io:
                    float_sensors:
                      - id: tank_top
                        description: Water tank top level
                        pin: 17
                        inverted: false
                      - id: tank_bottom
                        description: Water tank bottom level
                        pin: 27
                        inverted: true
                """);
        writePythonSpool(python.resolve("data.lmdb"));
        units = Files.createDirectories(dir.resolve("etc/systemd/system"));
        Files.writeString(units.resolve("ssh.service"), "[Service]\nExecStart=/usr/sbin/sshd -D\n");
        Files.writeString(units.resolve("sensor-agent.service"), """
                [Unit]
                Description=Python sensor agent

                [Service]
                User=pi
                WorkingDirectory=%1$s
                ExecStart=/usr/bin/python3 %1$s/main.py
                Environment="SENSOR_READER_COLLECTOR_HOST=%2$s"
                Environment=SENSOR_READER_TOKEN=%3$s "SENSOR_READER_DESCRIPTION=Pump house \\"north\\""
                Environment=SENSOR_READER_REPO_REFRESHER_ENABLED=true
                Restart=always

                [Install]
                WantedBy=multi-user.target
                """.formatted(python, collector.url(), pythonToken));

        etc = Files.createDirectories(dir.resolve("etc/sensor-reader"));
        data = Files.createDirectories(dir.resolve("var/lib/sensor-reader"));
        settingsFile = etc.resolve("sensor-reader.env");
        Files.writeString(settingsFile, packagedSettings());
        Files.setPosixFilePermissions(settingsFile, PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(etc.resolve("sensor_config.yaml"), "sensors: {}\n");
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    /** The settings file as the package installs it: the example and the package's own lines. */
    private String packagedSettings() {
        return """
                # sensor-reader settings.
                #SENSOR_READER_DEVICE_ID=raspberry-pi-001
                #SENSOR_READER_COLLECTOR_HOST=http://localhost:3000
                #SENSOR_READER_INTERVAL_SECONDS=5

                # Installed by the package: the service's folders.
                SENSOR_READER_DATA_DIR=%s
                SENSOR_READER_SENSOR_CONFIG=%s
                SENSOR_READER_PLUGINS_DIR=%s
                """.formatted(data, etc.resolve("sensor_config.yaml"), data.resolve("plugins"));
    }

    private CommandRun migrate(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "migrate";
        args[1] = "--from=" + python;
        args[2] = "--units-dir=" + units;
        args[3] = "--settings-file=" + settingsFile;
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CommandRun.of(Map.of(), dir, args);
    }

    @Test
    void takesOverThePythonAgentsDeviceTokenSensorsAndLeftoversAndTheAgentDeliversThemOnceBesideLiveReadings()
            throws Exception {
        CommandRun run = migrate();

        assertThat(run.code()).as("%s", run).isZero();
        String fingerprint = io.sensorreader.api.Secret.of(pythonToken).fingerprint();
        assertThat(run.outLines()).containsExactly(
                "Python agent in " + python,
                "  its settings: " + units.resolve("sensor-agent.service") + " (Environment=)",
                "  device id: test-device-001 (the Python agent's default: it set none)",
                "  token: kept the Python agent's (fingerprint " + fingerprint + ", from "
                        + units.resolve("sensor-agent.service") + " (Environment=)) in " + data.resolve("token"),
                "  " + settingsFile + ": SENSOR_READER_DEVICE_ID=test-device-001 (added)",
                "  " + settingsFile + ": SENSOR_READER_COLLECTOR_HOST=" + collector.url() + " (added)",
                "  " + settingsFile + ": SENSOR_READER_DESCRIPTION=Pump house \"north\" (added)",
                "  " + settingsFile + ": its other settings kept: SENSOR_READER_DATA_DIR, SENSOR_READER_SENSOR_CONFIG,"
                        + " SENSOR_READER_PLUGINS_DIR",
                "  " + settingsFile + ": SENSOR_READER_REPO_REFRESHER_ENABLED written commented out (the Python agent's"
                        + " self-update of its own repository)",
                "  sensor file: " + python.resolve("sensor_config.yaml") + " copied to " + etc.resolve("sensor_config.yaml")
                        + " (the previous one kept as sensor_config.yaml.before-migrate)",
                "  spool: " + python.resolve("data.lmdb") + " moved to " + data.resolve("data.lmdb"),
                "  spool: 4 batches waiting in " + data.resolve("data.lmdb")
                        + "; the agent delivers them, oldest first, beside live readings",
                "Next:",
                "  sudo systemctl disable --now sensor-agent.service    # stop and disable the Python agent",
                "  sudo systemctl restart sensor-reader",
                "  sensor-reader status");

        // The package's lines are all still there; the Python agent's settings are merged in.
        assertThat(Files.readString(settingsFile)).isEqualTo("""
                # sensor-reader settings.
                #SENSOR_READER_DEVICE_ID=raspberry-pi-001
                SENSOR_READER_DEVICE_ID=test-device-001
                #SENSOR_READER_COLLECTOR_HOST=http://localhost:3000
                SENSOR_READER_COLLECTOR_HOST=%s
                #SENSOR_READER_INTERVAL_SECONDS=5

                # Installed by the package: the service's folders.
                SENSOR_READER_DATA_DIR=%s
                SENSOR_READER_SENSOR_CONFIG=%s
                SENSOR_READER_PLUGINS_DIR=%s

                # From the Python agent in %s (sensor-reader migrate)
                SENSOR_READER_DESCRIPTION='Pump house "north"'
                # The Python agent's self-update (of its own repository, not this agent's): check before enabling.
                #SENSOR_READER_REPO_REFRESHER_ENABLED=true
                """.formatted(collector.url(), data, etc.resolve("sensor_config.yaml"), data.resolve("plugins"), python));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settingsFile))).isEqualTo("rw-r-----");
        assertThat(Files.readString(settingsFile)).doesNotContain(pythonToken);
        assertThat(Files.readString(data.resolve("token")).strip()).isEqualTo(pythonToken);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("token")))).isEqualTo("rw-------");
        assertThat(Files.readString(etc.resolve("sensor_config.yaml"))).contains("tank_top");
        assertThat(Files.readString(etc.resolve("sensor_config.yaml.before-migrate"))).isEqualTo("sensors: {}\n");
        assertThat(python.resolve("data.lmdb")).doesNotExist();

        // The agent as the service starts it: nothing but the settings file.
        Settings settings = Settings.load(Map.of("SENSOR_READER_ENV_FILE", settingsFile.toString(),
                "SENSOR_READER_RETRY_INTERVAL", "100ms", "SENSOR_READER_RETRY_MAX_BACKOFF", "300ms"), Map.of(), data, "test-host");
        assertThat(settings.deviceId()).isEqualTo("test-device-001");
        ManualClock clock = new ManualClock(Instant.ofEpochSecond(T0));
        try (Agent agent = Agent.assemble(settings, new Agent.Options(false, new PrintWriter(new StringWriter()), "test",
                clock, Path.of("/"), getClass().getClassLoader()), Shipping.outboxes(() -> { }))) {
            for (int i = 1; i <= 3; i++) {
                clock.advance(Duration.ofSeconds(5));
                agent.runOnce();
            }
            await(() -> leftovers().size() == 6 && live().size() == 6);
        }

        assertThat(leftovers()).extracting(m -> m.sensorId() + "@" + (long) m.timestamp() + " " + m.deviceId())
                .containsExactlyInAnyOrder(
                        "tank_top@" + PY_T + " test-device-001", "tank_bottom@" + PY_T + " test-device-001",
                        "tank_top@" + (PY_T + 5) + " test-device-001", "tank_bottom@" + (PY_T + 5) + " test-device-001",
                        "tank_top@" + (PY_T + 10) + " test-device-001", "tank_bottom@" + (PY_T + 10) + " test-device-001");
        assertThat(live()).extracting(StoredMetric::deviceId).containsOnly("test-device-001");
        assertThat(live()).extracting(m -> (long) m.timestamp()).containsOnly(T0 + 5, T0 + 10, T0 + 15);
        assertThat(collector.statuses()).anySatisfy(s -> assertThat((long) s.timestamp()).isEqualTo(PY_T));
        assertThat(collector.requests("/metrics")).extracting(TestCollector.RecordedRequest::answered).containsOnly(201);
        assertThat(collector.registrations()).as("the Python agent's token was used, not replaced").isEqualTo(1);
        assertThat(collector.devices()).extracting(TestCollector.Device::externalId).containsExactly("test-device-001");
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        String before = Files.readString(settingsFile);

        CommandRun run = migrate("--dry-run");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).contains(
                "  " + settingsFile + ": SENSOR_READER_DEVICE_ID=test-device-001 (would be added)",
                "  sensor file: " + python.resolve("sensor_config.yaml") + " would be copied to "
                        + etc.resolve("sensor_config.yaml") + " (the previous one kept as sensor_config.yaml.before-migrate)",
                "Dry run: nothing was changed. Next: stop the Python agent, then run this without --dry-run.",
                "  sudo systemctl disable --now sensor-agent.service    # stop and disable the Python agent");
        assertThat(run.outLines()).anySatisfy(l -> assertThat(l).startsWith("  spool: " + python.resolve("data.lmdb") + " (")
                .endsWith(" bytes) would be moved to " + data.resolve("data.lmdb")));
        assertThat(Files.readString(settingsFile)).isEqualTo(before);
        assertThat(Files.readString(etc.resolve("sensor_config.yaml"))).isEqualTo("sensors: {}\n");
        assertThat(python.resolve("data.lmdb")).isDirectory();
        assertThat(data.resolve("data.lmdb")).doesNotExist();
        assertThat(data.resolve("token")).doesNotExist();
    }

    @Test
    void refusesToTakeASpoolThePythonAgentStillHasOpenAndChangesNothing() throws Exception {
        String before = Files.readString(settingsFile);
        try (FileChannel held = FileChannel.open(python.resolve("data.lmdb/data.mdb"), StandardOpenOption.READ)) {
            CommandRun run = migrate();

            assertThat(run.code()).isEqualTo(69);
            assertThat(run.err()).startsWith("sensor-reader: " + python.resolve("data.lmdb") + " is open in process "
                    + ProcessHandle.current().pid() + " (").endsWith("): stop the Python agent first (sudo systemctl disable"
                    + " --now sensor-agent.service), so that it neither writes to its spool nor delivers it too\n");
        }
        assertThat(Files.readString(settingsFile)).isEqualTo(before);
        assertThat(python.resolve("data.lmdb")).isDirectory();
    }

    @Test
    void mergesTheLeftoversIntoASpoolTheDataFolderAlreadyHas() throws Exception {
        Settings ours = Settings.load(Map.of("SENSOR_READER_ENV_FILE", settingsFile.toString()), Map.of(), data, "test-host");
        try (Shipping shipping = Shipping.open(ours, "test", Clock.systemUTC(), Shipping.Need.SPOOL)) {
            shipping.spool().append(new io.sensorreader.api.SensorBatch(T0, List.of(new io.sensorreader.api.Reading(
                    "tank_top", "FloatSensor", "Water tank top level", 1.0, null, T0, Map.of()))), 503);
        }

        CommandRun run = migrate("--unit=" + units.resolve("sensor-agent.service"));

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).contains(
                "  spool: 4 batches of " + python.resolve("data.lmdb") + " moved into " + data.resolve("data.lmdb"),
                "  spool: 5 batches waiting in " + data.resolve("data.lmdb")
                        + "; the agent delivers them, oldest first, beside live readings");
        CommandRun again = migrate("--unit=" + units.resolve("sensor-agent.service"));
        assertThat(again.outLines()).contains("  spool: 0 batches of " + python.resolve("data.lmdb") + " moved into "
                + data.resolve("data.lmdb"));
        try (Shipping shipping = Shipping.open(ours, "test", Clock.systemUTC(), Shipping.Need.SPOOL)) {
            assertThat(shipping.spool().stats().batches()).as("nothing taken twice").isEqualTo(5);
        }
    }

    @Test
    void replacesAnEmptySpoolTheDataFolderAlreadyHasByMovingThePythonOne() throws Exception {
        Settings ours = Settings.load(Map.of("SENSOR_READER_ENV_FILE", settingsFile.toString()), Map.of(), data, "test-host");
        try (Shipping shipping = Shipping.open(ours, "test", Clock.systemUTC(), Shipping.Need.SPOOL)) {
            assertThat(shipping.spool().stats().batches()).isZero(); // the service started once, before migrate
        }

        CommandRun run = migrate();

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).contains("  spool: " + python.resolve("data.lmdb") + " moved to " + data.resolve("data.lmdb"),
                "  spool: 4 batches waiting in " + data.resolve("data.lmdb")
                        + "; the agent delivers them, oldest first, beside live readings");
        assertThat(python.resolve("data.lmdb")).doesNotExist();
    }

    /** Run as root (sudo), migrate hands what it puts into the data folder to the folder's owner, the service's user. */
    @Test
    void givesTheAdoptedSpoolAndTheTokenToTheOwnerOfTheDataFolder() throws Exception {
        var lookup = data.getFileSystem().getUserPrincipalLookupService();
        org.assertj.core.api.Assumptions.assumeThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
        var nobody = lookup.lookupPrincipalByName("nobody");
        var nogroup = lookup.lookupPrincipalByGroupName(Files.exists(Path.of("/etc/group"))
                && Files.readString(Path.of("/etc/group")).contains("\nnogroup:") ? "nogroup" : "nobody");
        Files.setOwner(data, nobody);
        Files.getFileAttributeView(data, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);

        CommandRun run = migrate();

        assertThat(run.code()).as("%s", run).isZero();
        for (Path p : List.of(data.resolve("data.lmdb"), data.resolve("data.lmdb/data.mdb"), data.resolve("data.lmdb/lock.mdb"),
                data.resolve("token"))) {
            assertThat(Files.getOwner(p)).as(p.toString()).isEqualTo(nobody);
            assertThat(Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class).group()).as(p.toString())
                    .isEqualTo(nogroup);
        }
    }

    private List<StoredMetric> leftovers() {
        return collector.metrics().stream().filter(m -> m.timestamp() >= PY_T && m.timestamp() < T0).toList();
    }

    private List<StoredMetric> live() {
        return collector.metrics().stream().filter(m -> m.timestamp() > T0).toList();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void post(String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(collector.url() + "/metrics"))
                .header("Content-Type", "application/json").header("X-API-KEY", pythonToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    /** Three sensor batches and a device status as the Python agent wrote them (its keys, its JSON). */
    private static void writePythonSpool(Path lmdb) throws Exception {
        Files.createDirectories(lmdb);
        try (Env<ByteBuffer> env = Env.create().setMapSize(256L << 20).setMaxDbs(1).open(lmdb.toFile())) {
            Dbi<ByteBuffer> db = env.openDbi((String) null, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = 0; i < 3; i++) {
                    long t = PY_T + 5L * i;
                    String payload = "[{\"id\": \"tank_top\", \"description\": \"FloatSensor: Water tank top level\", \"value\": "
                            + (i % 2) + ".0, \"timestamp\": " + t + "}, {\"id\": \"tank_bottom\", \"description\":"
                            + " \"FloatSensor: Water tank bottom level\", \"value\": 0.0, \"timestamp\": " + t + "}]";
                    db.put(txn, bytes("sensor-batch-" + t), bytes("{\"payload\": " + payload
                            + ", \"status_code\": 503, \"metric_type\": \"sensor-batch\"}"));
                }
                db.put(txn, bytes("device-status-" + PY_T), bytes("{\"payload\": {\"timestamp\": " + PY_T
                        + ", \"metrics\": {\"cpu_usage_percent\": 12.5, \"memory_usage_percent\": 41.0,"
                        + " \"temperature_celsius\": null}}, \"status_code\": null, \"metric_type\": \"device-status\"}"));
                txn.commit();
            }
        }
    }

    private static ByteBuffer bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }
}
