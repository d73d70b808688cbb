package io.sensorreader.core;

import io.sensorreader.api.PluginConfig;
import java.time.Duration;

/**
 * How the spool is drained.
 *
 * @param interval the normal wait between passes, and the backoff's floor ({@code RETRY_INTERVAL}, 10 s)
 * @param maxBackoff the backoff's ceiling ({@code RETRY_MAX_BACKOFF}, 5 min)
 * @param maxReadings readings per coalesced request ({@code RETRY_MAX_READINGS}, 5,000)
 * @param maxBytes bytes per coalesced request ({@code RETRY_MAX_BYTES}, 1 MiB)
 * @param renewWait how long a sender waits for a re-registration after a 401 (10 s)
 */
public record RetrySettings(Duration interval, Duration maxBackoff, int maxReadings, long maxBytes, Duration renewWait) {

    /** The defaults. */
    public static RetrySettings defaults() {
        return new RetrySettings(Duration.ofSeconds(10), Duration.ofMinutes(5), 5_000, 1 << 20, Duration.ofSeconds(10));
    }

    /**
     * From the agent's settings.
     *
     * @throws io.sensorreader.api.ConfigException naming the setting
     */
    public static RetrySettings from(PluginConfig settings) {
        RetrySettings d = defaults();
        Duration interval = settings.getDuration("RETRY_INTERVAL", d.interval());
        if (interval.isZero() || interval.isNegative()) {
            throw settings.invalid("RETRY_INTERVAL", "a positive duration such as 10s");
        }
        Duration max = settings.getDuration("RETRY_MAX_BACKOFF", d.maxBackoff());
        if (max.compareTo(interval) < 0) {
            throw settings.invalid("RETRY_MAX_BACKOFF", "a duration at least RETRY_INTERVAL (" + interval.toSeconds() + "s)");
        }
        int readings = settings.getInt("RETRY_MAX_READINGS", d.maxReadings(), 1, 1_000_000, "a whole number 1-1000000");
        long bytes = settings.getInt("RETRY_MAX_BYTES", (int) d.maxBytes(), 1_024, 64 << 20, "a byte count 1024-67108864");
        return new RetrySettings(interval, max, readings, bytes, d.renewWait());
    }
}
