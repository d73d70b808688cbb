package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.sensorreader.http.TestCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** journald's priorities: every line of the agent's log, in a real child JVM and event by event. */
class JournalEncoderTest {

    @TempDir
    Path dir;

    private static String encode(Level level, String message, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        JournalEncoder encoder = new JournalEncoder();
        encoder.setContext(context);
        encoder.start();
        Logger logger = context.getLogger("io.sensorreader.core.Courier");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, null);
        event.setThreadName("delivery-live");
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void prefixesEachLevelWithItsSdDaemonPriorityAndNoTimeStamp() {
        assertThat(encode(Level.ERROR, "boom", null)).isEqualTo("<3>ERROR [delivery-live] i.s.core.Courier - boom\n");
        assertThat(encode(Level.WARN, "careful", null)).isEqualTo("<4>WARN  [delivery-live] i.s.core.Courier - careful\n");
        assertThat(encode(Level.INFO, "hello", null)).isEqualTo("<6>INFO  [delivery-live] i.s.core.Courier - hello\n");
        assertThat(encode(Level.DEBUG, "detail", null)).isEqualTo("<7>DEBUG [delivery-live] i.s.core.Courier - detail\n");
        assertThat(encode(Level.TRACE, "more", null)).isEqualTo("<7>TRACE [delivery-live] i.s.core.Courier - more\n");
    }

    @Test
    void prefixesEveryLineOfAMultiLineMessageAndOfAStackTrace() {
        String text = encode(Level.ERROR, "first\nsecond", new IllegalStateException("bad"));
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSizeGreaterThan(3);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("<3>"));
        assertThat(lines.subList(0, 3)).containsExactly("<3>ERROR [delivery-live] i.s.core.Courier - first",
                "<3>second", "<3>java.lang.IllegalStateException: bad");
        assertThat(text).endsWith("\n").doesNotContain("\n\n");
    }

    @Test
    void usesTheJournalFormatOnlyWhenJournalStreamNamesStderr() {
        assertThat(JournalEncoder.stderrIsTheJournal("2049:1234", Optional.of("2049:1234"))).isTrue();
        assertThat(JournalEncoder.stderrIsTheJournal("2049:1234\n", Optional.of("2049:1234"))).isTrue();
        assertThat(JournalEncoder.stderrIsTheJournal("2049:1234", Optional.of("2049:999"))).isFalse();
        assertThat(JournalEncoder.stderrIsTheJournal("2049:1234", Optional.empty())).isFalse();
        assertThat(JournalEncoder.stderrIsTheJournal(null, Optional.of("2049:1234"))).isFalse();
        assertThat(JournalEncoder.stderrIsTheJournal("", Optional.of(""))).isFalse();
    }

    /**
     * A real agent whose stderr is a file that JOURNAL_STREAM names (as systemd names its journal
     * socket): info and warning lines arrive with {@code <6>} and {@code <4>} and no time stamp;
     * the same agent with a JOURNAL_STREAM naming something else writes plain time-stamped lines.
     */
    @Test
    void aRealAgentUnderJournaldPrefixesEveryLine() throws Exception {
        try (TestCollector collector = TestCollector.start()) {
            Path log = dir.resolve("journal.log");
            Files.createFile(log);
            String identity = stat(log);
            List<String> journal = runAgent(collector, log, identity);
            assertThat(journal).isNotEmpty();
            assertThat(journal).allSatisfy(line -> assertThat(line).matches("<[3467]>[A-Z]+ +\\[.*"));
            assertThat(journal).anySatisfy(line -> assertThat(line).startsWith("<4>WARN  [main] i.s.core.TokenKeeper - token file "));
            assertThat(journal).anySatisfy(line -> assertThat(line).startsWith("<6>INFO  [main] i.s.core.Agent - sensor-reader "));

            Path plain = dir.resolve("plain.log");
            Files.createFile(plain);
            List<String> lines = runAgent(collector, plain, identity); // names journal.log, not plain.log
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:.*"));
        }
    }

    private List<String> runAgent(TestCollector collector, Path stderr, String journalStream) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-" + stderr.getFileName()));
        Path token = work.resolve("token");
        Files.writeString(token, collector.register("pi-journal", "Journal test") + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--")); // gives a WARN
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) { // the JVM's own warning lines would have no priority
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sensorreader.cli.Main", "run", "--once"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("SENSOR_READER_"));
        builder.environment().put("SENSOR_READER_DEVICE_ID", "pi-journal");
        builder.environment().put("SENSOR_READER_COLLECTOR_HOST", collector.url());
        builder.environment().put("JOURNAL_STREAM", journalStream);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        } finally {
            process.destroyForcibly();
        }
        return Files.readAllLines(stderr);
    }

    /** The file's device and inode as stat(1) prints them: what systemd writes into JOURNAL_STREAM. */
    private static String stat(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-L", "-c", "%d:%i", file.toString()).redirectErrorStream(true).start();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
