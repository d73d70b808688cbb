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
 * there were, and one INFO when it works again. On an SD card every line counts. The agent's one
 * rate-limited logger: sensors, delivery, dead letters, taps, the state file all use it.
 */
public final class FailureLog {

    private final Logger log;
    private final Clock clock;
    private final Duration quiet;
    private final Map<String, Streak> streaks = new HashMap<>();

    private static final class Streak {
        long failures;
        long unreported;
        Instant lastReport;
    }

    public FailureLog(Logger log, Clock clock, Duration quiet) {
        this.log = log;
        this.clock = clock;
        this.quiet = quiet;
    }

    /** One more failure of {@code subject}. */
    public synchronized void failed(String subject, String message) {
        occurred(subject, message, n -> "still failing, " + n + " more times");
    }

    /**
     * One more occurrence of something that is counted rather than logged one by one (e.g. dead
     * letters of one cause): the first at WARN with its message, then at most one summary per
     * quiet period, {@code "<subject>: <n> more <noun> in the last <s> s; latest: <message>"}.
     */
    public synchronized void counted(String subject, String message, String noun) {
        occurred(subject, message, n -> n + " more " + noun);
    }

    /** The first occurrence at WARN, then at most one summary per quiet period. */
    private void occurred(String subject, String message, java.util.function.LongFunction<String> summary) {
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
            log.warn("{}: {} in the last {} s; latest: {}", subject, summary.apply(streak.unreported),
                    Duration.between(streak.lastReport, now).toSeconds(), message);
            streak.unreported = 0;
            streak.lastReport = now;
        }
    }

    /** {@code subject} worked; logs once if it had been failing. */
    public synchronized void succeeded(String subject) {
        Streak streak = streaks.remove(subject);
        if (streak != null) {
            log.info("{}: works again after {} failures", subject, streak.failures);
        }
    }
}
