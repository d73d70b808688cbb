package io.sensorreader.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.sensorreader.core.Settings;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the log settings once they are known (logback.xml starts at INFO, plain lines):
 * {@code SENSOR_READER_LOG_LEVEL}, and {@code SENSOR_READER_LOG_FORMAT} ({@code text}, the default,
 * or {@code json}: one JSON object a line on stderr, for log shippers).
 */
final class LogLevels {

    private LogLevels() {
    }

    /** @throws io.sensorreader.api.ConfigException when LOG_FORMAT is neither text nor json */
    static void apply(Settings settings) {
        String format = settings.view().getString("LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw settings.view().invalid("LOG_FORMAT", "text or json");
        }
        if (!(LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root)) {
            return;
        }
        root.setLevel(Level.toLevel(settings.logLevel(), Level.INFO));
        if (format.equals("json")) {
            json(root);
        }
    }

    private static void json(ch.qos.logback.classic.Logger root) {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                LoggerContext context = root.getLoggerContext();
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithArguments(false);
                encoder.setWithContext(false);
                encoder.setWithMDC(false);
                encoder.setWithMessage(false);
                encoder.setWithFormattedMessage(true);
                encoder.start();
                console.stop();
                console.setEncoder(encoder);
                console.start();
            }
        }
    }
}
