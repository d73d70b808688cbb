package io.sensorreader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code (found by logback through its Configurator service): stderr
 * only, since stdout belongs to dry-run batches; plain lines without colours, for journald and SD
 * cards; INFO until the settings say otherwise ({@link LogLevels}). In code rather than
 * logback.xml: parsing the XML cost about 0.6 s of start-up and 500 loaded classes (performance.md).
 *
 * <p>Under systemd, when stderr is the journal ({@code JOURNAL_STREAM} names stderr's device and
 * inode), every line starts with its sd-daemon priority ({@link JournalEncoder}) and carries no
 * time stamp of its own, so {@code journalctl -p warning} finds the warnings.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The line format. */
    static final String PATTERN = "%d{ISO8601} %-5level [%thread] %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Encoder<ILoggingEvent> encoder;
        if (JournalEncoder.stderrIsTheJournal(System.getenv("JOURNAL_STREAM"), JournalEncoder.stderrIdentity())) {
            encoder = new JournalEncoder();
        } else {
            PatternLayoutEncoder plain = new PatternLayoutEncoder();
            plain.setPattern(PATTERN);
            encoder = plain;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        // Off a Pi, Pi4J's board detection logs ERROR lines that mean nothing; its INFO is start-up chatter.
        context.getLogger("com.pi4j.boardinfo").setLevel(Level.OFF);
        context.getLogger("com.pi4j").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
