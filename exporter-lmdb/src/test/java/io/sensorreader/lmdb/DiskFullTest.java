package io.sensorreader.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full file system: a 24 MiB tmpfs mounted for the test (needs root; skipped elsewhere),
 * filled by a filler file while the spool runs, and freed again.
 */
class DiskFullTest {

    @TempDir
    Path temp;
    private Path mount;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectories(temp.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (not root?)");
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // ENOSPC: the file system is full
        }
    }

    @Test
    void aFullDiskHoldsBatchesInMemoryNothingLostNoResendAndRecoversWhenSpaceReturns() throws Exception {
        Path data = mount.resolve("data");
        Random random = new Random(5);
        List<String> keys = new ArrayList<>();
        Spool spool = new LmdbSpoolFactory().open(data, new MapConfig("", "SENSOR_READER_",
                Map.of("SPOOL_MAX_MB", "64")), clock);
        for (int i = 0; i < 20; i++) {
            keys.add(spool.append(LmdbSpoolTest.noisyBatch(i, 20, random), 503).key());
        }
        Path filler = mount.resolve("filler");
        fill(filler);

        for (int i = 20; i < 60; i++) {
            keys.add(spool.append(LmdbSpoolTest.noisyBatch(i, 20, random), 503).key());
        }
        SpoolStats full = spool.stats();
        assertThat(full.diskFull()).isTrue();
        assertThat(full.inMemory()).isPositive();
        assertThat(full.batches()).isEqualTo(60);
        assertThat(full.evicted()).isZero(); // a full disk is not the spool's cap: nothing evicted

        // Delivered while the disk is full: never offered again, whether its removal was written or not.
        List<SpooledBatch> first = spool.oldest(5);
        spool.acknowledge(first);
        List<SpooledBatch> rest = spool.oldest(1000);
        assertThat(rest).extracting(SpooledBatch::key).containsExactlyElementsOf(keys.subList(5, 60));

        Files.delete(filler);
        keys.add(spool.append(LmdbSpoolTest.noisyBatch(60, 20, random), 503).key());
        SpoolStats back = spool.stats();
        assertThat(back.diskFull()).isFalse();
        assertThat(back.inMemory()).isZero();
        spool.close();

        Spool reopened = new LmdbSpoolFactory().open(data, new MapConfig("", "SENSOR_READER_",
                Map.of("SPOOL_MAX_MB", "64")), clock);
        assertThat(reopened.oldest(1000)).extracting(SpooledBatch::key).containsExactlyElementsOf(keys.subList(5, 61));
        reopened.close();
    }

    @Test
    void startingOnAFullDiskKeepsTheSpoolAndItsBacklog() throws Exception {
        Path data = mount.resolve("data");
        Random random = new Random(6);
        List<String> keys = new ArrayList<>();
        MapConfig settings = new MapConfig("", "SENSOR_READER_", Map.of("SPOOL_MAX_MB", "64"));
        try (Spool spool = new LmdbSpoolFactory().open(data, settings, clock)) {
            for (int i = 0; i < 30; i++) {
                keys.add(spool.append(LmdbSpoolTest.noisyBatch(i, 20, random), 503).key());
            }
        }
        Path filler = mount.resolve("filler");
        fill(filler);

        Spool spool = new LmdbSpoolFactory().open(data, settings, clock);
        assertThat(Files.list(mount).map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.contains("unreadable"));
        assertThat(spool.oldest(1000)).extracting(SpooledBatch::key).containsExactlyElementsOf(keys);
        keys.add(spool.append(LmdbSpoolTest.noisyBatch(30, 20, random), 503).key());
        assertThat(spool.oldest(1000)).extracting(SpooledBatch::key).containsExactlyElementsOf(keys);
        Files.delete(filler);
        keys.add(spool.append(LmdbSpoolTest.noisyBatch(31, 20, random), 503).key());
        spool.close();
        try (Spool again = new LmdbSpoolFactory().open(data, settings, clock)) {
            assertThat(again.oldest(1000)).extracting(SpooledBatch::key).containsExactlyElementsOf(keys);
        }
    }
}
