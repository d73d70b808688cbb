package io.sensorreader.core;

import io.sensorreader.api.DeviceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's own health for {@code POST /devices/status}, sampled once per cycle from
 * {@code /proc} and {@code /sys} under a root folder (tests use a temporary one). Every metric the
 * system does not offer is {@code null}, never an error.
 *
 * <p>Metrics, in order: {@code cpu_usage_percent} (all CPUs, since the previous sample, or since
 * this object was made), {@code memory_usage_percent} ((MemTotal − MemAvailable) / MemTotal),
 * {@code temperature_celsius} (thermal zone 0), {@code disk_used_percent} (of the data folder's
 * file system), {@code uptime_seconds} (of the system), {@code agent_uptime_seconds},
 * {@code agent_version}, then whatever the contributors add.
 *
 * <p>{@link #sample(long)} runs on the sampling thread; {@link #addContributor(Supplier)} is safe
 * from any thread.
 */
public final class DeviceHealth {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceHealth.class);
    /** Half a second of one CPU at the usual USER_HZ of 100. */
    private static final long MIN_JIFFIES = 50;

    private final Path proc;
    private final Path sys;
    private final Path dataDir;
    private final Clock clock;
    private final String agentVersion;
    private final Instant started;
    private final List<Supplier<Map<String, Object>>> contributors = new CopyOnWriteArrayList<>();
    private final FailureLog failures;
    private long[] previousCpu;

    /**
     * @param root the folder holding {@code proc} and {@code sys}; {@code /} on a device
     * @param dataDir the folder whose disk use is reported
     * @param clock for the agent's uptime
     * @param agentVersion reported as {@code agent_version}
     */
    public DeviceHealth(Path root, Path dataDir, Clock clock, String agentVersion) {
        this.proc = root.resolve("proc");
        this.sys = root.resolve("sys");
        this.dataDir = dataDir;
        this.clock = clock;
        this.agentVersion = agentVersion;
        this.started = clock.instant();
        this.failures = new FailureLog(LOG, clock, Duration.ofMinutes(10));
        this.previousCpu = cpuTimes();
    }

    /**
     * Adds metrics to every status from now on, e.g. the spool's depth. Called on the sampling
     * thread each cycle; must be quick. A contributor that throws is logged and skipped.
     */
    public void addContributor(Supplier<Map<String, Object>> contributor) {
        contributors.add(contributor);
    }

    /** The device status of the cycle at {@code timestamp} (epoch seconds). */
    public DeviceStatus sample(long timestamp) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu_usage_percent", cpuPercent());
        metrics.put("memory_usage_percent", memoryPercent());
        metrics.put("temperature_celsius", temperature());
        metrics.put("disk_used_percent", diskPercent());
        metrics.put("uptime_seconds", uptime());
        metrics.put("agent_uptime_seconds", Duration.between(started, clock.instant()).toSeconds());
        metrics.put("agent_version", agentVersion);
        for (Supplier<Map<String, Object>> contributor : contributors) {
            try {
                Map<String, Object> more = contributor.get();
                if (more != null) {
                    metrics.putAll(more);
                }
                failures.succeeded("status contributor " + contributor.getClass().getName());
            } catch (RuntimeException e) {
                failures.failed("status contributor " + contributor.getClass().getName(),
                        "failed (" + Plugins.describe(e) + "); its metrics are left out");
            }
        }
        return new DeviceStatus(timestamp, metrics);
    }

    /** user, nice, system, idle, iowait, irq, softirq, steal: guest time is already in user. */
    private long[] cpuTimes() {
        String first = firstLine(proc.resolve("stat"));
        if (first == null || !first.startsWith("cpu ")) {
            return null;
        }
        String[] fields = first.substring(4).strip().split("\\s+");
        if (fields.length < 4) {
            return null;
        }
        long[] times = new long[Math.min(fields.length, 8)];
        try {
            for (int i = 0; i < times.length; i++) {
                times[i] = Long.parseLong(fields[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return times;
    }

    private Double cpuPercent() {
        long[] now = cpuTimes();
        long[] before = previousCpu;
        previousCpu = now;
        if (now == null || before == null || now.length != before.length) {
            return null;
        }
        long total = 0;
        long idle = 0;
        for (int i = 0; i < now.length; i++) {
            long delta = now[i] - before[i];
            total += delta;
            if (i == 3 || i == 4) {
                idle += delta;
            }
        }
        if (total < MIN_JIFFIES) {
            // Too short a window to mean anything (run --once samples milliseconds after start):
            // report the average since boot instead.
            total = 0;
            idle = 0;
            for (int i = 0; i < now.length; i++) {
                total += now[i];
                idle += i == 3 || i == 4 ? now[i] : 0;
            }
        }
        return total <= 0 ? 0.0 : round((total - idle) * 100.0 / total);
    }

    private Double memoryPercent() {
        Long total = null;
        Long available = null;
        try {
            for (String line : Files.readAllLines(proc.resolve("meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    total = kilobytes(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kilobytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (total == null || available == null || total <= 0) {
            return null;
        }
        return round((total - available) * 100.0 / total);
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").strip());
    }

    private Double temperature() {
        String line = firstLine(sys.resolve("class/thermal/thermal_zone0/temp"));
        try {
            return line == null ? null : round(Long.parseLong(line.strip()) / 1000.0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Double diskPercent() {
        Path dir = dataDir.toAbsolutePath();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return null;
        }
        try {
            FileStore store = Files.getFileStore(dir);
            long total = store.getTotalSpace();
            return total <= 0 ? null : round((total - store.getUnallocatedSpace()) * 100.0 / total);
        } catch (IOException e) {
            return null;
        }
    }

    private Long uptime() {
        String line = firstLine(proc.resolve("uptime"));
        try {
            return line == null ? null : (long) Double.parseDouble(line.strip().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.US_ASCII)) {
            return lines.findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
