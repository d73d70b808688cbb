package io.sensorreader.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs repeated failures of one thing (a sensor, a delivery) without filling the disk: the first
 * failure at WARN with its message, then at most one WARN per quiet period saying how many more
 * there were, and one INFO when it works again. On an SD card every line counts.
 */
final class FailureLog {

    private final Logger log;
    private final Clock clock;
    private final Duration quiet;
    private final Map<String, Streak> streaks = new HashMap<>();

    private static final class Streak {
        long failures;
        long unreported;
        Instant lastReport;
    }

    FailureLog(Logger log, Clock clock, Duration quiet) {
        this.log = log;
        this.clock = clock;
        this.quiet = quiet;
    }

    /** One more failure of {@code subject}. */
    synchronized void failed(String subject, String message) {
        Instant now = clock.instant();
        Streak streak = streaks.get(subject);
        if (streak == null) {
            streak = new Streak();
            streak.failures = 1;
            streak.lastReport = now;
            streaks.put(subject, streak);
            log.warn("{}: {}", subject, message);
            return;
        }
        streak.failures++;
        streak.unreported++;
        if (!now.isBefore(streak.lastReport.plus(quiet))) {
            log.warn("{}: still failing, {} more times in the last {} s; latest: {}", subject, streak.unreported,
                    Duration.between(streak.lastReport, now).toSeconds(), message);
            streak.unreported = 0;
            streak.lastReport = now;
        }
    }

    /** {@code subject} worked; logs once if it had been failing. */
    synchronized void succeeded(String subject) {
        Streak streak = streaks.remove(subject);
        if (streak != null) {
            log.info("{}: works again after {} failures", subject, streak.failures);
        }
    }
}
