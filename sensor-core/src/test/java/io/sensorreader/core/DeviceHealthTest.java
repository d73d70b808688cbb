package io.sensorreader.core;

import io.sensorreader.api.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.DeviceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceHealthTest {

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-11-26T20:00:00Z"));

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void readsCpuMemoryTemperatureAndUptimeFromProcAndSys() throws IOException {
        write("proc/stat", "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
        write("proc/meminfo", "MemTotal:        1000000 kB\nMemFree:          100000 kB\nMemAvailable:     590000 kB\n");
        write("sys/class/thermal/thermal_zone0/temp", "48312\n");
        write("proc/uptime", "12345.67 40000.00\n");
        DeviceHealth health = new DeviceHealth(root, root, clock, "1.2.3");
        // 1 s later: 30 busy and 70 idle or iowait jiffies more.
        write("proc/stat", "cpu  120 0 110 760 110 0 0 0 0 0\n");
        clock.advance(Duration.ofSeconds(90));

        DeviceStatus status = health.sample(1_764_190_000L);

        assertThat(status.timestamp()).isEqualTo(1_764_190_000L);
        assertThat(status.metrics()).containsEntry("cpu_usage_percent", 30.0)
                .containsEntry("memory_usage_percent", 41.0)
                .containsEntry("temperature_celsius", 48.3)
                .containsEntry("uptime_seconds", 12345L)
                .containsEntry("agent_uptime_seconds", 90L)
                .containsEntry("agent_version", "1.2.3")
                .containsKey("disk_used_percent");
        assertThat(status.metrics().keySet()).startsWith("cpu_usage_percent", "memory_usage_percent",
                "temperature_celsius");
        assertThat(status.toJson()).startsWith("{\"timestamp\": 1764190000, \"metrics\": {\"cpu_usage_percent\": 30.0,"
                + " \"memory_usage_percent\": 41.0, \"temperature_celsius\": 48.3, \"disk_used_percent\": ");
    }

    @Test
    void aWindowTooShortToMeanAnythingReportsTheAverageSinceBoot() throws IOException {
        write("proc/stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");
        DeviceHealth health = new DeviceHealth(root, root, clock, "1.2.3");
        write("proc/stat", "cpu  101 0 100 700 100 0 0 0 0 0\n");
        assertThat(health.sample(1L).metrics()).containsEntry("cpu_usage_percent", 20.1);
    }

    @Test
    void whatTheSystemDoesNotOfferIsNull() {
        DeviceStatus status = new DeviceHealth(root, root.resolve("not/yet"), clock, "1.2.3").sample(1L);
        assertThat(status.metrics()).containsEntry("cpu_usage_percent", null)
                .containsEntry("memory_usage_percent", null)
                .containsEntry("temperature_celsius", null)
                .containsEntry("uptime_seconds", null);
        assertThat(status.metrics().get("disk_used_percent")).isInstanceOf(Double.class);
        assertThat(status.toJson()).contains("\"temperature_celsius\": null");
    }

    @Test
    void contributorsAddMetricsAndAFailingOneIsLeftOut() {
        DeviceHealth health = new DeviceHealth(root, root, clock, "1.2.3");
        health.addContributor(() -> Map.of("spool_depth", 3));
        health.addContributor(() -> {
            throw new IllegalStateException("spool closed");
        });
        assertThat(health.sample(1L).metrics()).containsEntry("spool_depth", 3);
    }
}
