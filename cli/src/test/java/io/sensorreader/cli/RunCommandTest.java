package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine(new Invocation(env, dir, "pi-7"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Compiles a third-party sensor plugin against the SPI and jars it, as a vendor would. */
    private Path acmePlugin(Path plugins) throws IOException {
        Path src = Files.createDirectories(dir.resolve("acme-src/com/acme"));
        Files.writeString(src.resolve("RainGaugeFactory.java"), """
                package com.acme;

                import io.sensorreader.api.*;
                import java.util.List;
                import java.util.Map;

                public final class RainGaugeFactory implements SensorFactory {
                    public String name() { return "acme-rain"; }

                    public Sensor create(PluginConfig config, SensorContext context) {
                        double mm = config.getDouble("mm", 0.5);
                        String id = config.sensorId();
                        org.slf4j.LoggerFactory.getLogger(RainGaugeFactory.class).info("rain gauge {} ready", id);
                        return new Sensor() {
                            public String type() { return "FloatSensor"; }
                            public Measurement read() { return Measurement.of(mm, "mm"); }
                        };
                    }

                    public List<Map<String, Object>> defaultSections(String deviceId) {
                        return List.of(Map.of("id", deviceId + "_rain", "type", "acme-rain", "description", "Rain gauge",
                                "mm", 2.5));
                    }
                }
                """);
        return PluginJar.build(src, "RainGaugeFactory.java", "com.acme.RainGaugeFactory",
                plugins.resolve("acme-rain-1.0.jar"));
    }

    @Test
    void aDryRunShowsAThirdPartyPluginsReadingsAndSkipsABrokenJarBesideIt() throws IOException {
        Path plugins = dir.resolve("plugins");
        acmePlugin(plugins);
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");

        int code = run(Map.of(), "run", "--once", "--dry-run");

        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        String stamp = lines.get(1).replaceAll("^\\{\"timestamp\": (\\d+),.*", "$1");
        assertThat(lines.get(0)).contains("{\"id\": \"pi-7_rain\", \"description\": \"FloatSensor: Rain gauge\","
                + " \"value\": 2.5, \"timestamp\": " + stamp + ", \"unit\": \"mm\"}");
        assertThat(lines.get(1)).startsWith("{\"timestamp\": " + stamp + ", \"metrics\": {\"cpu_usage_percent\": ")
                .contains("\"memory_usage_percent\": ", "\"temperature_celsius\": ", "\"agent_version\": \"dev\"");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void startUpNamesThePluginsFolderAndHowManyJarsItLoaded() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            assertThat(run(Map.of(), "run", "--once", "--dry-run")).isZero();
            assertThat(log.lines()).contains("plugins folder " + dir.resolve("plugins")
                    + ": not there; no plugins loaded");
        }
        acmePlugin(dir.resolve("plugins"));
        try (CapturedLog log = new CapturedLog()) {
            assertThat(run(Map.of(), "run", "--once", "--dry-run")).isZero();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).matches("plugins folder "
                    + java.util.regex.Pattern.quote(dir.resolve("plugins").toString())
                    + ": loaded \\S+\\.jar \\(sensor type acme-rain\\)"));
        }
    }

    @Test
    void theTarballsPluginsFolderIsTheOneInItsInstallFolder() {
        Path home = dir.resolve("opt/sensor-reader-0.1.0");
        System.setProperty("sensor.reader.home", home.toString());
        try {
            assertThat(io.sensorreader.core.Settings.load(Map.of(), Map.of(), dir, "pi-7").pluginsDir())
                    .isEqualTo(home.resolve("plugins"));
            assertThat(io.sensorreader.core.Settings.load(Map.of("SENSOR_READER_PLUGINS_DIR", "/var/lib/sensor-reader/plugins"),
                    Map.of(), dir, "pi-7").pluginsDir()).isEqualTo(Path.of("/var/lib/sensor-reader/plugins"));
        } finally {
            System.clearProperty("sensor.reader.home");
        }
    }

    @Test
    void badSettingsPrintEveryProblemAndExit78() {
        int code = run(Map.of("SENSOR_READER_COLLECTOR_HOST", "localhost"), "run", "--dry-run", "--interval", "0");
        assertThat(code).isEqualTo(78);
        assertThat(err.toString().lines()).containsExactly(
                "environment: SENSOR_READER_COLLECTOR_HOST is 'localhost'; expected an http:// or https:// URL with a"
                        + " host, e.g. http://collector.example:3000",
                "command line: SENSOR_READER_INTERVAL_SECONDS is '0'; expected whole seconds, at least 1",
                "sensor-reader: 2 configuration problems; nothing was started");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aSecondRunOnTheSameDataFolderExitsAtOnceNamingThePidHoldingIt() throws Exception {
        Path data = dir.resolve("data");
        try (io.sensorreader.core.DataDirLock first = io.sensorreader.core.DataDirLock.acquire(data)) {
            int code = run(Map.of("SENSOR_READER_DATA_DIR", data.toString(),
                    "SENSOR_READER_COLLECTOR_HOST", "http://127.0.0.1:9"), "run");
            assertThat(code).isEqualTo(69);
            assertThat(err.toString().lines()).containsExactly("sensor-reader: another agent (PID "
                    + ProcessHandle.current().pid() + ") is running on the data folder " + data + " (it holds "
                    + data.resolve("agent.lock") + "); only one agent may use a data folder. Stop it first, or give "
                    + "this one its own SENSOR_READER_DATA_DIR");
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run(Map.of(), "run", "--bogus")).isEqualTo(64);
        assertThat(err.toString()).startsWith("Unknown option: '--bogus'");
        assertThat(run(Map.of(), "walk")).isEqualTo(64);
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:", "  0    done, or stopped by SIGTERM/SIGINT",
                "  3    restart requested", "  64   wrong command or option", "  69   ", "  70   internal error",
                "  78   bad configuration");
    }

    @Test
    void versionComesFromTheManifest() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString()).startsWith("sensor-reader dev\n");
    }

    @Test
    void runWithoutAnInstalledPrimaryExporterIsAConfigError() {
        assertThat(run(Map.of("SENSOR_READER_EXPORTERS", "carrier-pigeon"), "run", "--once")).isEqualTo(78);
        assertThat(err.toString()).startsWith(
                "environment: SENSOR_READER_EXPORTERS is 'carrier-pigeon'; expected names of installed exporters: ");
    }
}
