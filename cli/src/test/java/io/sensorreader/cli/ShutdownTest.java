package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one slow test: a real JVM, a real SIGTERM. */
class ShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheDaemonWithinTwoSeconds() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.sensorreader.cli.Main",
                "run", "--dry-run", "--interval", "1"))
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(k -> k.startsWith("SENSOR_READER_"));
        Process process = builder.start();
        try (BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(stdout.readLine()).startsWith("["); // sampling: the first batch is out
            long start = System.nanoTime();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM; the launcher reports 0
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermWhileTheCollectorHoldsARequestSpoolsItAndStopsWithinTwoSeconds() throws Exception {
        try (io.sensorreader.http.TestCollector collector = io.sensorreader.http.TestCollector.start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                    "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "io.sensorreader.cli.Main", "run", "--interval", "1"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SENSOR_READER_"));
            builder.environment().put("SENSOR_READER_DEVICE_ID", "pi-stop");
            builder.environment().put("SENSOR_READER_COLLECTOR_HOST", collector.url());
            builder.environment().put("SENSOR_READER_HTTP_REQUEST_TIMEOUT", "60s");
            Process process = builder.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (collector.metrics().isEmpty()) {
                    assertThat(System.nanoTime()).as("registered and delivering within 20 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
                collector.delayNext(1_000, Duration.ofSeconds(30));
                int before = collector.requests().size();
                while (collector.requests().size() == before) { // a sensor batch or a device status
                    assertThat(System.nanoTime()).as("a batch is held within 20 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
                long start = System.nanoTime();
                process.destroy(); // SIGTERM, with a request held by the collector
                assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            } finally {
                process.destroyForcibly();
            }
        }
        io.sensorreader.core.Settings settings = io.sensorreader.core.Settings.load(Map.of(), Map.of(), dir, "pi-stop");
        try (io.sensorreader.core.Shipping shipping = io.sensorreader.core.Shipping.open(settings, "test",
                java.time.Clock.systemUTC(), io.sensorreader.core.Shipping.Need.SPOOL)) {
            // The held request's batch, and whatever queued behind it, were spooled at shutdown.
            assertThat(shipping.spool().oldest(100)).as(java.nio.file.Files.readString(dir.resolve("agent.log")))
                    .isNotEmpty();
        }
    }
}
