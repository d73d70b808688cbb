package io.sensorreader.lmdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * At most one line per topic per interval; the next line that gets through says how many were
 * held back. Time from the spool's clock.
 */
final class RateLimitedLog {

    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Logger log;
    private final Clock clock;
    private final Map<String, Instant> last = new HashMap<>();
    private final Map<String, Integer> held = new HashMap<>();

    RateLimitedLog(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    synchronized void warn(String topic, String message) {
        Instant now = clock.instant();
        Instant before = last.get(topic);
        if (before != null && now.isBefore(before.plus(INTERVAL))) {
            held.merge(topic, 1, Integer::sum);
            return;
        }
        last.put(topic, now);
        Integer skipped = held.remove(topic);
        log.warn(skipped == null ? message
                : message + " (" + skipped + " similar message(s) in the last minute not shown)");
    }

    /** Forgets a topic, so that its next line is shown at once (e.g. after the condition ended). */
    synchronized void reset(String topic) {
        last.remove(topic);
        held.remove(topic);
    }
}
