package io.sensorreader.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring problem the first time, then at most once per period per key, with the count
 * of what was suppressed in between, so that a fault every 5 s does not fill an SD card.
 */
final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final Duration period;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, Clock clock, Duration period) {
        this.log = log;
        this.clock = clock;
        this.period = period;
    }

    void warn(String key, String message) {
        emit(key, message, null, false);
    }

    void warn(String message, Throwable cause) {
        emit(message, message + ": " + cause, cause, false);
    }

    void error(String key, String message) {
        emit(key, message, null, true);
    }

    /** Forgets a key, so that the next occurrence is logged at once (e.g. after a recovery). */
    void reset(String key) {
        windows.remove(key);
    }

    private void emit(String key, String message, Throwable cause, boolean error) {
        Instant now = clock.instant();
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (w) {
            if (w.last != null && now.isBefore(w.last.plus(period))) {
                w.suppressed.incrementAndGet();
                return;
            }
            w.last = now;
            suppressed = w.suppressed.getAndSet(0);
        }
        String text = suppressed > 0 ? message + " (" + suppressed + " more like this since the last report)" : message;
        if (error) {
            log.error(text);
        } else {
            log.warn(text);
        }
        if (cause != null) {
            log.debug("cause", cause);
        }
    }

    private static final class Window {
        Instant last;
        final AtomicLong suppressed = new AtomicLong();
    }
}
