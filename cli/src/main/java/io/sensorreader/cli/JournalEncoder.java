package io.sensorreader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Log lines for journald's stream: each physical line (a stack trace's too) begins with the
 * sd-daemon priority of its event, {@code <3>} error, {@code <4>} warning, {@code <6>} info,
 * {@code <7>} debug and trace, and has no time stamp (the journal stamps every entry itself).
 */
final class JournalEncoder extends EncoderBase<ILoggingEvent> {

    /** The line format after the priority. */
    static final String PATTERN = "%-5level [%thread] %logger{20} - %msg%n";

    private final PatternLayout layout = new PatternLayout();

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.setPattern(PATTERN);
        layout.start();
        super.start();
    }

    @Override
    public void stop() {
        layout.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String prefix = "<" + priority(event.getLevel()) + ">";
        String text = layout.doLayout(event);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            int next = end < 0 ? text.length() : end + 1;
            String line = text.substring(from, end < 0 ? text.length() : end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            out.append(prefix).append(line).append('\n');
            from = next;
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    /** sd-daemon(3)'s priority for a logback level. */
    static int priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    /**
     * Whether stderr is the journal: {@code JOURNAL_STREAM} ({@code <device>:<inode>}, set by
     * systemd for a service whose output goes to the journal) names stderr's own device and inode.
     * A process that merely inherited the variable (a shell started from a service) has another
     * stderr and keeps plain lines.
     *
     * @param journalStream the variable's value, or null
     * @param stderr stderr's {@code <device>:<inode>}, when it can be found
     */
    static boolean stderrIsTheJournal(String journalStream, Optional<String> stderr) {
        if (journalStream == null || journalStream.isBlank()) {
            return false;
        }
        return stderr.map(id -> id.equals(journalStream.strip())).orElse(false);
    }

    /** {@code <device>:<inode>} of this process's stderr (file descriptor 2), on Linux. */
    static Optional<String> stderrIdentity() {
        return identity(Path.of("/proc/self/fd/2"));
    }

    /** {@code <device>:<inode>} of a file, as systemd writes them into {@code JOURNAL_STREAM}. */
    static Optional<String> identity(Path file) {
        try {
            Object dev = Files.getAttribute(file, "unix:dev");
            Object ino = Files.getAttribute(file, "unix:ino");
            return Optional.of(dev + ":" + ino);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
