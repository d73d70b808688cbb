package io.sensorreader.lmdb;

import io.sensorreader.api.agent.MapConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpooledBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, for real: a child JVM appends as fast as it can and is killed with
 * SIGKILL ({@code destroyForcibly} on Linux) at a random moment, fifty times in a row on the same
 * spool, two children at a time. Every append a child reported as returned must be there exactly
 * once afterwards.
 * The one slow test of this module: about half a second per child, mostly JVM start-up.
 */
class KillDashNineTest {

    private static final int KILLS = 50;
    private static final int LANES = 2;
    private static final Pattern LINE = Pattern.compile("(sr-\\d{20}-s) (\\d+) (\\d+) ok");

    @TempDir
    Path dataDir;

    @Test
    void keepsEveryReturnedAppendThroughFiftyKills() throws Exception {
        Map<String, String> reported = new ConcurrentHashMap<>(); // "run n" -> key
        Path tmp = Files.createDirectories(dataDir.resolve("tmp"));
        // Two lanes of children at once: start-up overlaps, and a child killed inside a write
        // transaction leaves LMDB's writer lock to the other lane, which must recover it.
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                int first = lane;
                done.add(lanes.submit(() -> {
                    Random random = new Random(first);
                    for (int run = first; run < KILLS; run += LANES) {
                        killOneChild(tmp, run, random, reported);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            lanes.shutdownNow();
        }

        try (Spool spool = new LmdbSpoolFactory().open(dataDir,
                new MapConfig("", "SENSOR_READER_", Map.of("SPOOL_MAX_MB", "64")), Clock.systemUTC())) {
            List<SpooledBatch> all = spool.oldest(Integer.MAX_VALUE);
            Map<String, List<String>> stored = new TreeMap<>(); // "run n" -> keys holding it
            for (SpooledBatch b : all) {
                Reading r = ((SensorBatch) b.batch()).readings().get(0);
                String id = r.sensorId().substring("run-".length()) + " " + (long) r.value();
                stored.computeIfAbsent(id, k -> new ArrayList<>()).add(b.key());
            }
            for (Map.Entry<String, String> e : reported.entrySet()) {
                assertThat(stored.get(e.getKey())).as("append %s", e.getKey()).containsExactly(e.getValue());
            }
            assertThat(stored.values()).allSatisfy(keys -> assertThat(keys).hasSize(1));
            // At most the one append per run whose line the kill cut off is there unreported.
            assertThat(all.size() - reported.size()).isBetween(0, KILLS);
            assertThat(spool.stats().batches()).isEqualTo(all.size());
            assertThat(spool.deadLetters(10)).isEmpty();
        }
    }

    private void killOneChild(Path tmp, int run, Random random, Map<String, String> reported) throws Exception {
        // stdout goes to a file: destroyForcibly closes the pipes, and the file keeps every line.
        Path printed = tmp.resolve("run-" + run + ".out");
        Process child = new ProcessBuilder(childCommand(tmp, run))
                .redirectOutput(printed.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.size(printed) == 0) { // wait until appends are running
                assertThat(child.isAlive()).as("child %d ended before appending", run).isTrue();
                assertThat(System.nanoTime()).as("child %d appended nothing in 20 s", run).isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(1);
            }
            TimeUnit.MICROSECONDS.sleep(random.nextInt(30_000));
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL: killed, not finished
        for (String line : Files.readAllLines(printed, StandardCharsets.UTF_8)) {
            record(reported, line);
        }
    }

    private static synchronized void record(Map<String, String> reported, String line) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) { // a line cut off by the kill is not a returned append we know of
            assertThat(reported.put(m.group(2) + " " + m.group(3), m.group(1))).isNull();
        }
    }

    private List<String> childCommand(Path tmp, int run) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up is the cost here (0.7-1.1 s a child on this machine); C1 alone helps a little.
                // A class-data archive does not: it cannot hold classes from folders (target/classes).
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx64m",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, // lmdbjava unpacks its native library here; a killed JVM leaves it
                "-cp", classpath,
                AppendUntilKilled.class.getName(), dataDir.toString(), String.valueOf(run)));
        return command;
    }
}
