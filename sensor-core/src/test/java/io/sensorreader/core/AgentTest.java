package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.Batch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {

    @TempDir
    Path dir;

    private final StringWriter printed = new StringWriter();

    private Agent.Options options(boolean dryRun) {
        return new Agent.Options(dryRun, new PrintWriter(printed), "9.9.9", Clock.systemUTC(), dir,
                getClass().getClassLoader());
    }

    private Settings settings(Map<String, String> env) {
        return Settings.load(env, Map.of(), dir, "pi-7");
    }

    @Test
    void aDryRunCyclePrintsTheExactRequestBodiesOneALine() {
        long before = Clock.systemUTC().instant().getEpochSecond();
        try (Agent agent = Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "nothing-installed")),
                options(true))) {
            agent.runOnce();
        }
        List<String> lines = printed.toString().lines().toList();
        assertThat(lines).hasSize(2);
        long stamp = Long.parseLong(lines.get(1).replaceAll("^\\{\"timestamp\": (\\d+),.*", "$1"));
        assertThat(stamp).isBetween(before, before + 2);
        assertThat(lines.get(0)).isEqualTo("[{\"id\": \"pi-7_test_float\", \"description\": \"FloatSensor: Simulated"
                + " float\", \"value\": 1.0, \"timestamp\": " + stamp + "}]");
        assertThat(lines.get(1)).startsWith("{\"timestamp\": " + stamp + ", \"metrics\": {\"cpu_usage_percent\": null,"
                + " \"memory_usage_percent\": null, \"temperature_celsius\": null, \"disk_used_percent\": ")
                .endsWith(", \"uptime_seconds\": null, \"agent_uptime_seconds\": 0, \"agent_version\": \"9.9.9\"}}");
    }

    @Test
    void aPrimaryExporterThatIsNotInstalledIsAConfigError() {
        assertThatThrownBy(() -> Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "htp")), options(false)))
                .isInstanceOf(ConfigProblems.class)
                .hasMessage("environment: SENSOR_READER_EXPORTERS is 'htp'; expected names of installed exporters: log");
    }

    @Test
    void deliversThroughTheOutboxTheFactoryMakesWithThePrimaryExporter() {
        List<Batch> seen = new ArrayList<>();
        List<String> primaries = new ArrayList<>();
        try (Agent agent = Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "log")), options(false),
                parts -> {
                    primaries.add(parts.primary().destination());
                    return new Outbox() {
                        @Override
                        public void submit(Batch batch) {
                            seen.add(batch);
                        }

                        @Override
                        public void close() {
                        }
                    };
                })) {
            agent.runOnce();
        }
        assertThat(primaries).containsExactly("log");
        assertThat(seen).extracting(b -> b.kind()).containsExactly(Batch.Kind.SENSOR_BATCH, Batch.Kind.DEVICE_STATUS);
    }

    @Test
    void aRealRunDeliversThroughTheDeliveryPipelineAndPrintsNothing() throws InterruptedException {
        ch.qos.logback.classic.Logger exporterLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LogExporter.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> delivered =
                new ch.qos.logback.core.read.ListAppender<>();
        delivered.start();
        exporterLog.addAppender(delivered);
        try (Agent agent = Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "log")), options(false))) {
            agent.runOnce();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (delivered.list.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            exporterLog.detachAppender(delivered);
        }
        assertThat(delivered.list).extracting(e -> e.getFormattedMessage().substring(0, e.getFormattedMessage().indexOf(' ')))
                .containsExactly("sensor-batch", "device-status");
        assertThat(printed.toString()).isEmpty();
    }

    @Test
    void stopEndsRunAndCloseFinishesWellWithinTwoSeconds() throws InterruptedException {
        Agent agent = Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "log",
                "SENSOR_READER_INTERVAL_SECONDS", "1")), options(false));
        Thread main = new Thread(() -> {
            try {
                agent.run();
            } finally {
                agent.close();
            }
        });
        main.start();
        Thread.sleep(1_500);
        long start = System.nanoTime();
        agent.stop();
        assertThat(agent.awaitClosed(Duration.ofSeconds(2))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        main.join(1_000);
        assertThat(main.isAlive()).isFalse();
    }

    @Test
    void aPluginExporterRunsInItsClassLoaderForCreateDeliverAndClose() throws Exception {
        Path plugins = java.nio.file.Files.createDirectories(dir.resolve("plugins"));
        Path log = dir.resolve("loaders.txt");
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("META-INF/services/io.sensorreader.api.ExporterFactory",
                Jars.text("io.sensorreader.core.LoaderRecordingExporterFactory\n"));
        for (String type : List.of("LoaderRecordingExporterFactory", "LoaderRecordingExporter")) {
            entries.put("io/sensorreader/core/" + type + ".class", Jars.classBytes("io.sensorreader.core." + type));
        }
        Jars.write(plugins.resolve("recorder-1.0.0.jar"), entries);
        try (Agent agent = Agent.assemble(settings(Map.of("SENSOR_READER_EXPORTERS", "loader-recorder",
                "SENSOR_READER_LOADER_LOG", log.toString())), options(false))) {
            assertThat(agent.plugins().sourceOf(agent.plugins().exporterFactories().get("loader-recorder")))
                    .isEqualTo("plugins/recorder-1.0.0.jar");
            agent.runOnce();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // a guard, not a timing
            while (java.nio.file.Files.readAllLines(log).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(java.nio.file.Files.readAllLines(log)).containsExactly(
                "create plugin recorder-1.0.0.jar",
                "deliver sensor-batch plugin recorder-1.0.0.jar",
                "deliver device-status plugin recorder-1.0.0.jar",
                "close plugin recorder-1.0.0.jar");
    }
}
