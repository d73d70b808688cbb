package io.sensorreader.lmdb;

import io.sensorreader.api.agent.MapConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.Batch;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolFactory;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import io.sensorreader.api.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.slf4j.LoggerFactory;

class LmdbSpoolTest {

    private static final Instant NOW = Instant.parse("2025-11-26T20:00:00Z");
    private final ManualClock clock = new ManualClock(NOW);

    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger spoolLogger = (Logger) LoggerFactory.getLogger(LmdbSpool.class);
    private final List<Spool> opened = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        spoolLogger.addAppender(logs);
    }

    @AfterEach
    void closeAll() {
        spoolLogger.detachAppender(logs);
        opened.forEach(Spool::close);
    }

    private Spool open(int maxMb) throws Exception {
        Spool spool = new LmdbSpoolFactory().open(dataDir, settings(Map.of("SPOOL_MAX_MB", String.valueOf(maxMb))), clock);
        opened.add(spool);
        return spool;
    }

    private static PluginConfig settings(Map<String, String> values) {
        return new MapConfig("", "SENSOR_READER_", values);
    }

    static SensorBatch batch(long t, int readings) {
        List<Reading> list = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            list.add(new Reading("pi-1-sensor-" + i, "FloatSensor", "Sensor number " + i, i + 0.5, "cm", t,
                    Map.of("raw", (long) i * 17)));
        }
        return new SensorBatch(t, list);
    }

    /** A batch that compresses about as badly as text can: random descriptions and values. */
    static SensorBatch noisyBatch(long t, int readings, java.util.Random random) {
        List<Reading> list = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            list.add(new Reading("pi-1-sensor-" + i, "FloatSensor", Long.toHexString(random.nextLong())
                    + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()),
                    random.nextInt(100000) / 1000.0, "cm", t, Map.of()));
        }
        return new SensorBatch(t, list);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void isFoundThroughServiceLoaderAsLmdb() {
        List<String> names = ServiceLoader.load(SpoolFactory.class).stream().map(p -> p.get().name()).toList();
        assertThat(names).containsExactly("lmdb");
    }

    @Test
    void livesInDataLmdbOfTheDataFolder() throws Exception {
        Spool spool = open(4);
        assertThat(spool.location()).isEqualTo(dataDir.resolve("data.lmdb").toString());
        assertThat(dataDir.resolve("data.lmdb").resolve("data.mdb")).exists();
    }

    @Test
    void rejectsSpoolSizeThatIsNotAWholeNumber() {
        assertThatThrownBy(() -> new LmdbSpoolFactory().open(dataDir, settings(Map.of("SPOOL_MAX_MB", "lots")), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SENSOR_READER_SPOOL_MAX_MB is 'lots'; expected whole megabytes between 1 and 1024");
    }

    @Test
    void drainsOldestBatchFirstAndForgetsAcknowledged() throws Exception {
        Spool spool = open(4);
        SpooledBatch a = spool.append(batch(100, 2), 503);
        SpooledBatch b = spool.append(RecordsTest.deviceStatus(105), 0);
        SpooledBatch c = spool.append(batch(110, 1), 0);

        List<SpooledBatch> oldest = spool.oldest(2);
        assertThat(oldest).extracting(SpooledBatch::key).containsExactly(a.key(), b.key());
        assertThat(oldest.get(0).batch()).isEqualTo(batch(100, 2));
        assertThat(oldest.get(0).lastStatus()).isEqualTo(503);
        assertThat(oldest.get(0).spooledAt()).isEqualTo(NOW);
        assertThat(oldest.get(1).batch()).isEqualTo(RecordsTest.deviceStatus(105));

        spool.acknowledge(oldest);
        assertThat(spool.oldest(10)).extracting(SpooledBatch::key).containsExactly(c.key());
        assertThat(spool.stats().batches()).isEqualTo(1);
    }

    @Test
    void keysNeverCollideAndKeepArrivalOrderAcrossReopen() throws Exception {
        Spool first = open(4);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(first.append(batch(100, 1), 0).key()); // same second every time
        }
        first.acknowledge(first.oldest(5)); // the last key is gone: the sequence must survive anyway
        first.close();
        Spool second = open(4);
        keys.add(second.append(batch(100, 1), 0).key());

        assertThat(keys).doesNotHaveDuplicates().isSorted();
        assertThat(keys.get(0)).isEqualTo("sr-00000000000000000000-s");
        assertThat(keys.get(5)).isEqualTo("sr-00000000000000000005-s");
    }

    @Test
    void readsThePythonAgentsSpoolCompletelyAndFirst() throws Exception {
        String reading = "{\"id\": \"tank_float_1\", \"description\": \"FloatSensor: Water tank top level\", "
                + "\"value\": %s, \"timestamp\": %s}";
        Map<String, String> python = new LinkedHashMap<>();
        python.put("sensor-batch-1764190005", "{\"payload\": [" + reading.formatted("0", "1764190005")
                + "], \"status_code\": 503, \"metric_type\": \"sensor-batch\"}");
        python.put("batch-1764100000", "{\"payload\": [" + reading.formatted("1.0", "1764100000.75")
                + "], \"status_code\": null}");
        python.put("device-status-1764190000", "{\"payload\": {\"timestamp\": 1764190000, \"metrics\": "
                + "{\"cpu_usage_percent\": 3.5, \"memory_usage_percent\": 20.0, \"temperature_celsius\": null}}, "
                + "\"status_code\": null, \"metric_type\": \"device-status\"}");
        python.put("sensor-batch-1764190000", "{\"payload\": [], \"status_code\": null, \"metric_type\": \"sensor-batch\"}");
        writeLikePython(python);

        Spool spool = open(256);
        SpooledBatch ours = spool.append(batch(1764200000L, 1), 0);

        List<SpooledBatch> all = spool.oldest(100);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu_usage_percent", 3.5);
        metrics.put("memory_usage_percent", 20.0);
        metrics.put("temperature_celsius", null);
        Reading tank = new Reading("tank_float_1", "FloatSensor", "Water tank top level", 0, null, 0, Map.of());
        assertThat(all).extracting(SpooledBatch::key).containsExactly("batch-1764100000",
                "device-status-1764190000", "sensor-batch-1764190000", "sensor-batch-1764190005", ours.key());
        assertThat(all).extracting(SpooledBatch::batch).containsExactly(
                new SensorBatch(1764100000L, List.of(at(tank, 1.0, 1764100000L))),
                new DeviceStatus(1764190000L, metrics),
                new SensorBatch(1764190000L, List.of()),
                new SensorBatch(1764190005L, List.of(at(tank, 0.0, 1764190005L))),
                batch(1764200000L, 1));
        assertThat(all.get(3).lastStatus()).isEqualTo(503);
        assertThat(all.get(0).spooledAt()).isEqualTo(Instant.ofEpochSecond(1764100000L));
        SpoolStats stats = spool.stats();
        assertThat(stats.batches()).isEqualTo(5);
        assertThat(stats.oldest()).contains(Instant.ofEpochSecond(1764100000L));
        assertThat(spool.deadLetters(10)).isEmpty();
    }

    private static Reading at(Reading r, double value, long t) {
        return new Reading(r.sensorId(), r.type(), r.description(), value, r.unit(), t, r.extras());
    }

    /** As the Python agent did: the default database of a 256 MiB environment, one put per record. */
    private void writeLikePython(Map<String, String> records) throws Exception {
        File dir = dataDir.resolve("data.lmdb").toFile();
        Files.createDirectories(dir.toPath());
        try (Env<ByteBuffer> env = Env.create().setMapSize(256L * 1024 * 1024).open(dir)) {
            Dbi<ByteBuffer> db = env.openDbi((String) null);
            for (Map.Entry<String, String> r : records.entrySet()) {
                try (Txn<ByteBuffer> txn = env.txnWrite()) {
                    db.put(txn, Keys.direct(r.getKey()), Keys.direct(r.getValue()));
                    txn.commit();
                }
            }
        }
    }

    @Test
    void fullSpoolEvictsOldestSensorBatchesKeepsRunningAndSaysSo() throws Exception {
        Spool spool = open(1);
        SpooledBatch status = spool.append(RecordsTest.deviceStatus(1), 0);
        List<String> keys = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            keys.add(spool.append(noisyBatch(1000 + i, 20, random), 503).key());
        }

        SpoolStats stats = spool.stats();
        assertThat(stats.evicted()).isPositive();
        assertThat(stats.batches()).isEqualTo(1001 - stats.evicted());
        assertThat(stats.capacityBytes()).isEqualTo(1024 * 1024);
        assertThat(Files.size(dataDir.resolve("data.lmdb/data.mdb"))).isLessThanOrEqualTo(1024 * 1024);
        List<SpooledBatch> left = spool.oldest(2000);
        assertThat(left.get(0).key()).isEqualTo(status.key()); // device status is spared while sensor batches remain
        assertThat(left.subList(1, left.size())).extracting(SpooledBatch::key)
                .containsExactlyElementsOf(keys.subList(keys.size() - left.size() + 1, keys.size()));
        assertThat(warnings()).isNotEmpty();
        // Compacted records go a chunk at a time (the device status in the first chunk is kept).
        assertThat(warnings().get(0)).matches("spool full \\(1 MiB limit\\): dropped the (\\d+) oldest batch\\(es\\), \\d+ "
                + "bytes, keys sr-00000000000000000001-s to sr-\\d{20}-s, to make room; \\1 dropped since the "
                + "spool was created. Raise SENSOR_READER_SPOOL_MAX_MB to keep a longer outage.");
        assertThat(warnings()).hasSize(1); // rate-limited: one a minute
        clock.advance(java.time.Duration.ofSeconds(61));
        for (int i = 0; i < 200 && warnings().size() < 2; i++) {
            spool.append(noisyBatch(5000 + i, 20, random), 503);
        }
        assertThat(warnings()).hasSize(2);
        assertThat(warnings().get(1)).contains((spool.stats().evicted()) + " dropped since the spool was created")
                .endsWith("similar message(s) in the last minute not shown)");

        long evicted = spool.stats().evicted();
        spool.close();
        assertThat(open(1).stats().evicted()).isEqualTo(evicted); // counted persistently
    }

    @Test
    void movesUnreadableRecordToDeadLettersWithReasonAndGoesOn() throws Exception {
        Map<String, String> python = new LinkedHashMap<>();
        python.put("sensor-batch-1764190000", "{\"payload\": [], \"metric_type\": \"sensor-batch\"}");
        python.put("sensor-batch-1764190001", "garbage");
        python.put("sensor-batch-1764190002", "{\"payload\": [], \"metric_type\": \"sensor-batch\"}");
        writeLikePython(python);
        Spool spool = open(4);

        assertThat(spool.oldest(2)).extracting(SpooledBatch::key)
                .containsExactly("sensor-batch-1764190000", "sensor-batch-1764190002");
        List<DeadLetter> dead = spool.deadLetters(10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).kind()).isNull();
        assertThat(dead.get(0).body()).isEqualTo("garbage");
        assertThat(dead.get(0).reason()).isEqualTo("unreadable spool record: not JSON: unexpected character 'g' at "
                + "offset 0");
        assertThat(dead.get(0).at()).isEqualTo(NOW);
        assertThat(warnings()).containsExactly("spool record sensor-batch-1764190001 cannot be read (not JSON: "
                + "unexpected character 'g' at offset 0); moved it to the dead letters as " + dead.get(0).key());
        assertThat(spool.stats().batches()).isEqualTo(2);
        assertThat(spool.stats().deadLetters()).isEqualTo(1);
    }

    @Test
    void deadLettersKeepStatusReasonTimeAndAttemptsAndCanBeRequeued() throws Exception {
        Spool spool = open(4);
        SpooledBatch queued = spool.append(batch(100, 2), 503);
        spool.recordAttempt(queued, 500, "HTTP 500: Internal server error");
        spool.recordAttempt(queued, 500, "HTTP 500: Internal server error");
        spool.deadLetter(spool.oldest(1).get(0), 422, "Unknown sensor type: FloatSensor");
        spool.deadLetter(RecordsTest.deviceStatus(7), 422, "Timestamp can't be blank");

        assertThat(spool.oldest(10)).isEmpty();
        List<DeadLetter> dead = spool.deadLetters(10);
        assertThat(dead).extracting(DeadLetter::kind, DeadLetter::body, DeadLetter::status, DeadLetter::reason,
                        DeadLetter::at, DeadLetter::attempts)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Batch.Kind.SENSOR_BATCH, batch(100, 2).toJson(), 422,
                                "Unknown sensor type: FloatSensor", NOW, 3),
                        org.assertj.core.groups.Tuple.tuple(Batch.Kind.DEVICE_STATUS, RecordsTest.deviceStatus(7).toJson(),
                                422, "Timestamp can't be blank", NOW, 1));

        assertThat(spool.requeue(List.of(dead.get(0).key()))).isEqualTo(1);
        List<SpooledBatch> back = spool.oldest(10);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).batch()).isEqualTo(batch(100, 2));
        assertThat(back.get(0).attempts()).isEqualTo(3);
        assertThat(back.get(0).key()).isGreaterThan(queued.key());
        assertThat(spool.deadLetters(10)).extracting(DeadLetter::key).containsExactly(dead.get(1).key());
        assertThat(spool.requeue(List.of())).isEqualTo(1);
        assertThat(spool.stats()).extracting(SpoolStats::batches, SpoolStats::deadLetters).containsExactly(2L, 0L);
    }

    @Test
    void fullDeadLettersDropTheOldestAndSaySo() throws Exception {
        Spool spool = open(1); // dead letters get a tenth: about 100 KiB
        for (int i = 0; i < 60; i++) {
            spool.deadLetter(batch(i, 20), 422, "Unknown sensor type: FloatSensor");
        }

        List<DeadLetter> dead = spool.deadLetters(100);
        assertThat(dead.size()).isLessThan(60);
        assertThat(dead.get(dead.size() - 1).body()).isEqualTo(batch(59, 20).toJson());
        long dropped = ((LmdbSpool) spool).deadLettersEvicted();
        assertThat(dropped).isEqualTo(60 - dead.size());
        assertThat(warnings()).hasSize(1); // rate-limited: one a minute
        assertThat(warnings().get(0)).isEqualTo("dead letters full (10% of the spool): dropped the oldest, "
                + "~dead-00000000000000000000 (status 422: Unknown sensor type: FloatSensor); 1 dropped so far. "
                + "Inspect and requeue or clear the dead letters.");
    }

    @Test
    void movesAsideAnEnvironmentThatCannotBeOpenedAndStartsAfresh() throws Exception {
        Path env = Files.createDirectories(dataDir.resolve("data.lmdb"));
        Files.write(env.resolve("data.mdb"), "this is not an LMDB file".repeat(1000).getBytes(StandardCharsets.UTF_8));

        Spool spool = open(4);
        spool.append(batch(1, 1), 0);

        Path aside = dataDir.resolve("data.lmdb.unreadable-20251126T200000Z");
        assertThat(aside.resolve("data.mdb")).exists();
        assertThat(spool.oldest(10)).hasSize(1);
        List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getFormattedMessage()).isEqualTo(env.resolve("data.mdb") + " is damaged: its first "
                + "page is not an LMDB meta page (bad magic or flags). It held an unknown number of records (its "
                + "header is damaged). Moved " + env + " aside to " + aside + " and started an empty spool; the "
                + "batches in it are NOT delivered; keep it for inspection.");
    }

    @Test
    void onlyOneDrainerAtATimeAlsoWithinOneJvm() throws Exception {
        Spool spool = open(4);
        Optional<Spool.DrainLock> first = spool.tryLockDrain();
        assertThat(first).isPresent();
        assertThat(spool.tryLockDrain()).isEmpty();
        spool.close();
        opened.remove(spool);

        Spool other = open(4); // a second spool object sees the same file lock
        first.get().close();
        Optional<Spool.DrainLock> again = other.tryLockDrain();
        assertThat(again).isPresent();
        again.get().close();
        again.get().close(); // closing twice is harmless
        assertThat(other.tryLockDrain()).isPresent();
    }

    @Test
    void statsCountBytesAndOldestWithoutScanning() throws Exception {
        Spool spool = open(4);
        SpoolStats empty = spool.stats();
        assertThat(empty).isEqualTo(new SpoolStats(0, 0, Optional.empty(), 0, 0, 4L * 1024 * 1024, 4096,
                4L * 1024 * 1024 * 80 / 100, Optional.empty(), 0, false, empty.diskFreeBytes()));
        SpooledBatch a = spool.append(batch(1, 3), 0);
        SpooledBatch b = spool.append(batch(2, 3), 0);

        SpoolStats stats = spool.stats();
        assertThat(stats.batches()).isEqualTo(2);
        assertThat(stats.bytes()).isEqualTo(a.sizeBytes() + b.sizeBytes() + a.key().length() + b.key().length());
        assertThat(stats.oldest()).contains(NOW);
    }

    @Test
    void refusesUseAfterClose() throws Exception {
        Spool spool = open(4);
        spool.close();
        spool.close();
        assertThatThrownBy(() -> spool.oldest(1))
                .hasMessage("the spool at " + dataDir.resolve("data.lmdb") + " is closed");
    }

    @Test
    void leavesNoOtherFilesThanTheEnvironmentAndTheLock() throws Exception {
        Spool spool = open(4);
        spool.tryLockDrain().orElseThrow().close();
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data.lmdb", "spool-drain.lock");
        }
    }

    /** Makes a real spool of {@code batches} sensor batches, closes it and returns its data file. */
    private Path filledDataFile(int batches) throws Exception {
        Spool spool = new LmdbSpoolFactory().open(dataDir, settings(Map.of("SPOOL_MAX_MB", "4")), clock);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < batches; i++) {
            spool.append(noisyBatch(i, 20, random), 503);
        }
        spool.close();
        return dataDir.resolve("data.lmdb/data.mdb");
    }

    private void assertSetAsideAndRunsAfresh(String reason) throws Exception {
        Spool spool = open(4);
        Path aside = dataDir.resolve("data.lmdb.unreadable-20251126T200000Z");
        assertThat(aside.resolve("data.mdb")).exists();
        assertThat(spool.stats().batches()).isZero();
        spool.append(batch(1, 1), 0);
        assertThat(spool.oldest(10)).hasSize(1);
        List<String> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith(dataDir.resolve("data.lmdb/data.mdb") + " is damaged: " + reason)
                .contains("Moved " + dataDir.resolve("data.lmdb") + " aside to " + aside);
    }

    @Test
    void aTruncatedDataFileIsSetAsideNotMapped() throws Exception {
        Path file = filledDataFile(300);
        long size = Files.size(file);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        // Mapped by LMDB, this file killed the JVM with SIGBUS; it is caught by its header first.
        assertSetAsideAndRunsAfresh("it is " + size / 2 + " bytes");
        assertThat(logs.list.get(logs.list.size() - 1).getFormattedMessage()).contains("(truncated?). It held ");
    }

    @Test
    void aZeroLengthDataFileIsSetAside() throws Exception {
        Path file = filledDataFile(3);
        Files.write(file, new byte[0]);
        assertSetAsideAndRunsAfresh("it is empty (0 bytes), not an LMDB file. It held 0 record(s)");
    }

    @Test
    void aDataFileWithACorruptedHeaderIsSetAside() throws Exception {
        Path file = filledDataFile(30);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            // The second meta page's magic: LMDB would refuse it; a wrong last page would crash it.
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 4096 + 16);
        }
        assertSetAsideAndRunsAfresh("its second meta page (at byte 4096) is damaged. It held ");
    }

    @Test
    void compactedBatchesReadBackAcknowledgeAndPageByBytes() throws Exception {
        Spool spool = open(4);
        List<SpooledBatch> appended = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            appended.add(spool.append(i % 2 == 0 ? batch(1000 + i, 20) : RecordsTest.deviceStatus(1000 + i), 503));
        }
        List<SpooledBatch> all = spool.oldest(1000);
        assertThat(all).extracting(SpooledBatch::key).containsExactlyElementsOf(
                appended.stream().map(SpooledBatch::key).toList());
        assertThat(all).extracting(b -> b.batch().toJson()).containsExactlyElementsOf(
                appended.stream().map(b -> b.batch().toJson()).toList());
        long firstSize = all.get(0).sizeBytes();
        List<SpooledBatch> page = spool.oldest(1000, firstSize * 3);
        long sum = page.stream().mapToLong(SpooledBatch::sizeBytes).sum();
        assertThat(page.size()).isBetween(2, 59);
        assertThat(sum).isLessThanOrEqualTo(firstSize * 3);
        assertThat(sum + all.get(page.size()).sizeBytes()).isGreaterThan(firstSize * 3);
        assertThat(spool.oldest(1000, 1)).hasSize(1); // the first is returned even when larger

        spool.recordAttempt(all.get(1), 500, "HTTP 500");
        spool.acknowledge(all.subList(0, 1));
        spool.acknowledge(all.subList(2, 40));
        List<SpooledBatch> left = spool.oldest(1000);
        assertThat(left.get(0).key()).isEqualTo(all.get(1).key());
        assertThat(left.get(0).attempts()).isEqualTo(1);
        assertThat(left).hasSize(21);
        assertThat(spool.stats().batches()).isEqualTo(21);
        spool.close();
        Spool again = open(4);
        assertThat(again.oldest(1000)).extracting(SpooledBatch::key)
                .containsExactlyElementsOf(left.stream().map(SpooledBatch::key).toList());
        assertThat(again.stats().batches()).isEqualTo(21);
        again.acknowledge(again.oldest(1000));
        assertThat(again.stats().batches()).isZero();
        assertThat(again.stats().bytes()).isZero();
    }

    @Test
    void purgeDeletesChosenDeadLettersOrAll() throws Exception {
        Spool spool = open(4);
        for (int i = 0; i < 3; i++) {
            spool.deadLetter(batch(i, 1), 422, "Unknown sensor type: FloatSensor");
        }
        List<DeadLetter> dead = spool.deadLetters(10);
        assertThat(spool.purge(List.of(dead.get(1).key(), "~dead-nope"))).isEqualTo(1);
        assertThat(spool.deadLetters(10)).extracting(DeadLetter::key).containsExactly(dead.get(0).key(),
                dead.get(2).key());
        assertThat(spool.purge(List.of())).isEqualTo(2);
        assertThat(spool.stats().deadLetters()).isZero();
    }

    @Test
    void aDataFolderDeletedWhileRunningIsNoticedAtTheNextAppendAndRecreated() throws Exception {
        Spool spool = open(4);
        spool.append(batch(1, 1), 0);
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        SpooledBatch next = spool.append(batch(2, 1), 0);
        assertThat(dataDir.resolve("data.lmdb/data.mdb")).exists();
        assertThat(spool.oldest(10)).extracting(SpooledBatch::key).containsExactly(next.key());
        List<String> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(errors).containsExactly("the spool's file " + dataDir.resolve("data.lmdb/data.mdb")
                + " was deleted while the agent ran: the batches it held are lost; creating a spool there now. "
                + "Do not delete or replace " + dataDir + " while the agent runs.");
        spool.close();
        assertThat(open(4).oldest(10)).extracting(SpooledBatch::key).containsExactly(next.key());
    }
}
