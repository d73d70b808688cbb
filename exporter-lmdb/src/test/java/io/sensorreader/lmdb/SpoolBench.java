package io.sensorreader.lmdb;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpooledBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Not a test: appends per second (each one synced to disk, as in production) and reads plus
 * acknowledgements per second, for sensor batches of 20 readings. Arguments: optional count
 * (default 2000) and data folder (default a new temporary one). Figures go to docs/performance.md.
 */
public final class SpoolBench {

    private SpoolBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("spool-bench");
        SensorBatch batch = LmdbSpoolTest.batch(1764190000L, 20);
        try (Spool spool = new LmdbSpoolFactory().open(dir,
                new MapConfig("", "SENSOR_READER_", Map.of("SPOOL_MAX_MB", "256")), Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) { // warm-up, then clear
                spool.append(batch, 503);
            }
            spool.acknowledge(spool.oldest(50));

            long t0 = System.nanoTime();
            SpooledBatch last = null;
            for (int i = 0; i < count; i++) {
                last = spool.append(batch, 503);
            }
            double appendSeconds = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            int drained = 0;
            for (List<SpooledBatch> page = spool.oldest(50); !page.isEmpty(); page = spool.oldest(50)) {
                spool.acknowledge(page);
                drained += page.size();
            }
            double drainSeconds = (System.nanoTime() - t1) / 1e9;

            long t2 = System.nanoTime();
            int statsCalls = 10_000;
            for (int i = 0; i < statsCalls; i++) {
                spool.stats();
            }
            double statsSeconds = (System.nanoTime() - t2) / 1e9;

            System.out.printf("record size: %d bytes (a sensor batch of 20 readings)%n", last.sizeBytes());
            System.out.printf("append (synced): %d in %.2f s = %.0f/s%n", count, appendSeconds, count / appendSeconds);
            System.out.printf("oldest(50) + acknowledge: %d in %.2f s = %.0f/s%n", drained, drainSeconds,
                    drained / drainSeconds);
            System.out.printf("stats(): %.1f us per call%n", statsSeconds * 1e6 / statsCalls);
            System.out.printf("data folder: %s (%s)%n", dir, Files.getFileStore(dir).type());
        }
    }
}
