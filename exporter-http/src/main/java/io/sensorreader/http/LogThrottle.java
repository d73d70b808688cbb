package io.sensorreader.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Lets one log line per kind through per interval, so a collector that fails for an hour leaves a
 * few lines, not thousands. Counts what it held back, to say so in the next line.
 */
final class LogThrottle {

    private final Clock clock;
    private final Duration interval;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    LogThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Whether to log now a line of this kind.
     *
     * @return -1 to stay silent; otherwise how many lines of this kind were held back since the last
     */
    long admit(String kind) {
        Instant now = clock.instant();
        long[] result = {-1};
        windows.compute(kind, (k, w) -> {
            if (w == null || !now.isBefore(w.since.plus(interval))) {
                result[0] = w == null ? 0 : w.suppressed;
                return new Window(now, 0);
            }
            return new Window(w.since, w.suppressed + 1);
        });
        return result[0];
    }

    /** {@code ""} or {@code " (N similar lines held back)"}, for the end of a line. */
    static String heldBack(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " similar lines held back)" : "";
    }

    private record Window(Instant since, long suppressed) {
    }
}
