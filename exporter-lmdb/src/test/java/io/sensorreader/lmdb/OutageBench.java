package io.sensorreader.lmdb;

import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.agent.SpoolStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: how much of the spool one sampling cycle of an outage takes, at the default settings
 * ({@code SPOOL_MAX_MB=256}, one sensor batch and one device status per 5 s cycle, each appended
 * and synced on its own as the agent does), and so how many days of outage 256 MiB hold.
 *
 * <p>20 sensors: 8 float switches (0.0/1.0, flipping now and then), 6 pressure sensors (random
 * values, three decimals: the worst case for compression), 6 pulse meters (watts and a growing
 * kWh). Arguments: optional cycles (default 4800, 6 h 40 min of outage) and data folder.
 * Prints LMDB pages in use (branch + leaf + overflow, as {@code mdb_stat} counts them) per cycle.
 */
public final class OutageBench {

    private OutageBench() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 4800;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("outage-bench");
        Random random = new Random(42);
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        io.sensorreader.api.ManualClock clock = new io.sensorreader.api.ManualClock(start);
        long t0 = System.nanoTime();
        try (LmdbSpool spool = (LmdbSpool) new LmdbSpoolFactory().open(dir,
                new MapConfig("", "SENSOR_READER_", Map.of()), clock)) {
            boolean[] floats = new boolean[8];
            double[] kwh = new double[6];
            for (int cycle = 0; cycle < cycles; cycle++) {
                long t = start.getEpochSecond() + cycle * 5L;
                spool.append(sensorBatch(t, random, floats, kwh), 503);
                spool.append(status(t, cycle, random), 503);
                clock.advance(Duration.ofSeconds(5));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            SpoolStats s = spool.stats();
            double perCycle = (double) s.usedBytes() / cycles;
            double limit = LmdbSpoolFactory.DEFAULT_MAX_MB * 1024.0 * 1024 * LmdbSpool.RECORD_SHARE_PERCENT / 100;
            double days = limit / perCycle * 5 / 86400;
            System.out.printf("cycles: %d (%d appends, synced, in %.1f s = %.0f appends/s)%n", cycles, 2 * cycles,
                    seconds, 2 * cycles / seconds);
            System.out.printf("raw request bodies: %.0f bytes per cycle%n", rawPerCycle(cycles, random));
            System.out.printf("LMDB pages in use: %d bytes = %.0f bytes per cycle%n", s.usedBytes(), perCycle);
            System.out.printf("records' share of 256 MiB (%d%%): %.0f bytes -> %.1f days of outage at 5 s%n",
                    LmdbSpool.RECORD_SHARE_PERCENT, limit, days);
            System.out.printf("stats: %s%n", s);
            System.out.printf("file: %d bytes%n", Files.size(dir.resolve("data.lmdb/data.mdb")));
        }
    }

    private static double rawPerCycle(int cycles, Random random) {
        boolean[] floats = new boolean[8];
        double[] kwh = new double[6];
        return sensorBatch(0, random, floats, kwh).toJson().length() + status(0, 1, random).toJson().length();
    }

    static SensorBatch sensorBatch(long t, Random random, boolean[] floats, double[] kwh) {
        List<Reading> readings = new ArrayList<>(20);
        for (int i = 0; i < 8; i++) {
            if (random.nextInt(50) == 0) {
                floats[i] = !floats[i];
            }
            readings.add(new Reading("tank-" + (i + 1) + "-float", "FloatSensor", "Tank " + (i + 1) + " high level",
                    floats[i] ? 1.0 : 0.0, null, t, Map.of()));
        }
        for (int i = 0; i < 6; i++) {
            readings.add(new Reading("line-" + (i + 1) + "-pressure", "PressureSensor",
                    "Water line " + (i + 1) + " pressure", Math.round(random.nextDouble() * 6000) / 1000.0, "bar", t,
                    Map.of()));
        }
        for (int i = 0; i < 6; i++) {
            double watts = Math.round(random.nextDouble() * 30000) / 10.0;
            kwh[i] += watts * 5 / 3600 / 1000;
            readings.add(new Reading("pump-" + (i + 1) + "-power", "PulseMeter", "Pump " + (i + 1) + " power",
                    watts, "W", t, Map.of("kwh", Math.round(kwh[i] * 1000) / 1000.0)));
        }
        return new SensorBatch(t, readings);
    }

    static DeviceStatus status(long t, int cycle, Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_usage_percent", Math.round(random.nextDouble() * 300) / 10.0);
        m.put("memory_usage_percent", 30 + Math.round(random.nextDouble() * 100) / 10.0);
        m.put("temperature_celsius", 40 + Math.round(random.nextDouble() * 200) / 10.0);
        m.put("disk_used_percent", 41.2);
        m.put("uptime_seconds", 100_000L + cycle * 5L);
        m.put("agent_uptime_seconds", cycle * 5L);
        m.put("agent_version", "0.2.0");
        return new DeviceStatus(t, m);
    }
}
