package io.sensorreader.cli;

import static io.sensorreader.cli.SpoolAtHand.floatBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/** {@code sensor-reader spool stats|list|dead|requeue} on a real LMDB spool in a temp data folder. */
class SpoolCommandTest {

    private static final long T = 1_764_190_000L;
    private static final String PYTHON_KEY = "sensor-batch-1764100000";

    @TempDir
    Path work;
    Path data;
    /** When the test's batches were spooled: long enough ago that the age printed cannot change during the test. */
    Instant spooledAt;
    Clock then;

    @BeforeEach
    void folders() {
        data = work.resolve("data");
        spooledAt = Instant.now().minus(Duration.ofDays(2).plusHours(3).plusMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        then = Clock.fixed(spooledAt, ZoneOffset.UTC);
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SENSOR_READER_DEVICE_ID", "pi-cli",
                "SENSOR_READER_DATA_DIR", data.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private CommandRun spool(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "spool";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandRun.of(env(), work, all);
    }

    /** Two sensor batches (one tried once, 503), a device status; one dead letter. */
    private void fill() throws Exception {
        SpoolAtHand.use(env(), work, then, spool -> {
            spool.recordAttempt(spool.append(floatBatch("f1", 1.0, T), 0), 503, "/metrics answered 503");
            spool.append(floatBatch("f1", 2.0, T + 5), 0);
            spool.append(new DeviceStatus(T + 10, Map.of("cpu_usage_percent", 12.5)), 0);
            spool.deadLetter(new SensorBatch(T + 15, List.of(
                    new Reading("p1", "PressureSensor", "main line", 2.4, "bar", T + 15, Map.of()))),
                    422, "Unknown sensor type: PressureSensor");
            return null;
        });
    }

    private List<SpooledBatch> queued() throws Exception {
        return SpoolAtHand.use(env(), work, spool -> spool.oldest(100));
    }

    private List<DeadLetter> dead() throws Exception {
        return SpoolAtHand.use(env(), work, spool -> spool.deadLetters(100));
    }

    private SpoolStats stats() throws Exception {
        return SpoolAtHand.use(env(), work, spool -> spool.stats());
    }

    /** A record as the Python agent left it in its data.lmdb. */
    private void pythonLeftover() throws Exception {
        Path lmdb = Files.createDirectories(data.resolve("data.lmdb"));
        try (Env<ByteBuffer> env = Env.create().setMapSize(256L << 20).setMaxDbs(1).open(lmdb.toFile())) {
            Dbi<ByteBuffer> db = env.openDbi((String) null, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                db.put(txn, bytes(PYTHON_KEY), bytes("{\"payload\": [{\"id\": \"py_float_1\", \"description\":"
                        + " \"FloatSensor: Water tank\", \"value\": 1.0, \"timestamp\": 1764100000}],"
                        + " \"status_code\": 503, \"metric_type\": \"sensor-batch\"}"));
                txn.commit();
            }
        }
    }

    private static ByteBuffer bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

    @Test
    void statsOfAnEmptySpool() {
        CommandRun run = spool("stats");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool:        " + data.resolve("data.lmdb"),
                "batches:      0",
                "bytes:        0 of 268435456",
                "oldest:       -",
                "dead letters: 0",
                "evicted:      0",
                "fill:         1.9% (4096 bytes of pages of 214748364 the records may use)".replace("1.9%", "0.0%"),
                "until full:   - (nothing appended lately)",
                "in memory:    0",
                "disk:         " + run.outLines().get(9).substring(14));
        assertThat(run.outLines().get(9)).matches("disk:         \\d+ MiB free");
    }

    @Test
    void statsCountBatchesBytesOldestAgeDeadLettersAndEvictions() throws Exception {
        fill();
        long bytes = stats().bytes();
        assertThat(bytes).isPositive();

        CommandRun run = spool("stats");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "spool:        " + data.resolve("data.lmdb"),
                "batches:      3",
                "bytes:        " + bytes + " of 268435456",
                "oldest:       2 d 3 h ago (" + spooledAt + ")",
                "dead letters: 1",
                "evicted:      0",
                run.outLines().get(6), run.outLines().get(7), "in memory:    0", run.outLines().get(9));
        assertThat(run.outLines().get(6)).matches("fill:         0\\.0% \\(\\d+ bytes of pages of 214748364 the records may use\\)");
    }

    @Test
    void sharedOptionsWorkBeforeAndAfterTheSubcommand() throws Exception {
        fill();
        Map<String, String> noDataDir = Map.of("SENSOR_READER_DEVICE_ID", "pi-cli");

        CommandRun after = CommandRun.of(noDataDir, work, "spool", "stats", "--data-dir", data.toString());
        CommandRun before = CommandRun.of(noDataDir, work, "spool", "--data-dir", data.toString(), "stats");

        assertThat(after.code()).as("%s", after).isZero();
        assertThat(after.outLines()).contains("batches:      3");
        assertThat(before.code()).as("%s", before).isZero();
        assertThat(before.outLines()).contains("batches:      3");
    }

    @Test
    void listShowsTheOldestFirstWithKindTimestampSizeAttemptsAndLastStatus() throws Exception {
        pythonLeftover();
        fill();
        List<SpooledBatch> q = queued();

        CommandRun run = spool("list");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(q).extracting(SpooledBatch::key).first().isEqualTo(PYTHON_KEY);
        assertThat(run.outLines()).containsExactly(
                PYTHON_KEY + "  sensor-batch   at 1764100000  " + q.get(0).sizeBytes() + " bytes  attempts 0  last status 503",
                q.get(1).key() + "  sensor-batch   at " + T + "  " + q.get(1).sizeBytes() + " bytes  attempts 1  last status 503",
                q.get(2).key() + "  sensor-batch   at " + (T + 5) + "  " + q.get(2).sizeBytes() + " bytes  attempts 0  last status -",
                q.get(3).key() + "  device-status  at " + (T + 10) + "  " + q.get(3).sizeBytes() + " bytes  attempts 0  last status -",
                "4 shown of 4 queued");
    }

    @Test
    void listLimitShowsFewerAndSaysHowManyThereAre() throws Exception {
        fill();

        CommandRun run = spool("list", "--limit", "1");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).hasSize(2).last().isEqualTo("1 shown of 3 queued");
    }

    @Test
    void limitBelowOneIsAUsageError() {
        CommandRun run = spool("list", "--limit", "0");

        assertThat(run.code()).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).first().isEqualTo("--limit is '0'; expected a whole number, at least 1");
    }

    @Test
    void deadShowsStatusAttemptsTimeAndReasonAndWithBodyTheRequest() throws Exception {
        fill();
        DeadLetter letter = dead().get(0);

        CommandRun plain = spool("dead");
        CommandRun withBody = spool("dead", "--body");

        String line = letter.key() + "  sensor-batch of PressureSensor from p1  status 422  attempts 1  at " + spooledAt
                + ": Unknown sensor type: PressureSensor";
        assertThat(plain.code()).as("%s", plain).isZero();
        assertThat(plain.outLines()).containsExactly(line, "1 shown of 1 dead letters");
        assertThat(withBody.code()).as("%s", withBody).isZero();
        assertThat(withBody.outLines()).containsExactly(line, "  " + letter.body(), "1 shown of 1 dead letters");
        assertThat(letter.body()).contains("\"id\": \"p1\"");
    }

    @Test
    void requeueAllMovesEveryDeadLetterBackToTheEndOfTheQueue() throws Exception {
        fill();

        CommandRun run = spool("requeue", "--all");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly("requeued 1 dead letter(s); 'sensor-reader retry-now' delivers them now");
        assertThat(dead()).isEmpty();
        assertThat(queued()).hasSize(4).last().satisfies(b -> assertThat(b.batch().timestamp()).isEqualTo(T + 15));
    }

    @Test
    void requeueByKeyMovesThatOne() throws Exception {
        fill();
        String key = dead().get(0).key();

        CommandRun run = spool("requeue", key);

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).containsExactly("requeued 1 dead letter(s); 'sensor-reader retry-now' delivers them now");
        assertThat(stats().deadLetters()).isZero();
        assertThat(stats().batches()).isEqualTo(4);
    }

    @Test
    void requeueOfAKeyThatIsNoDeadLetterMovesNothingAndExits64() throws Exception {
        fill();
        String key = dead().get(0).key();

        CommandRun run = spool("requeue", key, "~dead-nonsense");

        assertThat(run.code()).as("%s", run).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("spool requeue: no dead letter has the key ~dead-nonsense;"
                + " 'sensor-reader spool dead' lists them; nothing was changed");
        assertThat(stats().deadLetters()).isEqualTo(1);
    }

    @Test
    void requeueWithoutKeysOrAllIsAUsageError() {
        CommandRun run = spool("requeue");

        assertThat(run.code()).isEqualTo(64);
        assertThat(run.errLines()).containsExactly("spool requeue: name the KEYs, a filter (--type, --sensor, --status, --reason), or --all");
    }

    @Test
    void spoolWithoutASubcommandIsAUsageError() {
        CommandRun run = spool();

        assertThat(run.code()).isEqualTo(64);
        assertThat(run.errLines()).first().isEqualTo("Missing subcommand: stats, list, dead, requeue or purge");
    }

    @Test
    void dataFolderThatIsAFileExits78SayingWhatToCheck() throws Exception {
        Files.writeString(work.resolve("not-a-folder"), "x");

        CommandRun run = CommandRun.of(env("SENSOR_READER_DATA_DIR", work.resolve("not-a-folder").toString()), work,
                "spool", "stats");

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        Path file = work.resolve("not-a-folder");
        assertThat(run.errLines()).containsExactly("the spool in " + file + " cannot be opened: cannot create the data folder "
                        + file + ": " + file + "; check SENSOR_READER_DATA_DIR and its permissions",
                "sensor-reader: 1 configuration problem; nothing was started");
    }

    @Test
    void badValueInDotEnvExits78NamingTheFileTheValueAndTheExpectation() throws Exception {
        Files.writeString(work.resolve(".env"), "SENSOR_READER_LOG_LEVEL=LOUD\n");

        CommandRun run = spool("stats");

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                ".env: SENSOR_READER_LOG_LEVEL is 'LOUD'; expected one of TRACE, DEBUG, INFO, WARN, ERROR",
                "sensor-reader: 1 configuration problem; nothing was started");
    }

    @Test
    void everySubcommandsHelpListsTheExitCodes() {
        for (String sub : List.of("stats", "list", "dead", "requeue")) {
            CommandRun run = spool(sub, "--help");

            assertThat(run.code()).as(sub).isZero();
            assertThat(run.out()).as(sub).contains("Exit codes:", "--data-dir");
            assertThat(List.of(0, 64, 69, 70, 78)).allSatisfy(code -> assertThat(run.out()).as(sub)
                    .containsPattern("(?m)^\\s+" + code + "\\s"));
        }
    }
}
