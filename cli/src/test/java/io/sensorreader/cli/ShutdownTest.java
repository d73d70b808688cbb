package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
}
