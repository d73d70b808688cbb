package io.sensorreader.lmdb;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpooledBatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The child of {@link KillDashNineTest}: appends as fast as it can and prints
 * {@code <key> <run> <n> ok} on one line once each append has returned, until it is killed.
 * Arguments: the data folder, the run number, and optionally how many appends to make and stop.
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        Spool spool = new LmdbSpoolFactory().open(dataDir,
                new MapConfig("", "SENSOR_READER_", Map.of("SPOOL_MAX_MB", "64")), Clock.systemUTC());
        long limit = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE; // a warm-up run ends by itself
        for (long n = 0; n < limit; n++) {
            SensorBatch batch = new SensorBatch(n, List.of(
                    new Reading("run-" + run, "FloatSensor", "crash test", n, null, n, Map.of())));
            SpooledBatch stored = spool.append(batch, 503);
            out.print(stored.key() + " " + run + " " + n + " ok\n"); // one write: a line is whole or absent
            out.flush();
        }
        spool.close();
    }
}
