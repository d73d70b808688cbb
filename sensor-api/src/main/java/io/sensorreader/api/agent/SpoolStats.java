package io.sensorreader.api.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The spool's figures.
 *
 * @param batches queued batches (those held in memory while the disk is full included)
 * @param bytes bytes of the stored records holding queued batches (keys and values, compressed)
 * @param oldest when the oldest queued batch was stored, if any
 * @param deadLetters batches in the dead letters
 * @param evicted batches dropped to make room since the spool was created
 * @param capacityBytes the configured limit ({@code SPOOL_MAX_MB})
 * @param usedBytes what all records (queue and dead letters) take in the store, in whole pages
 * @param limitBytes what records may take before the oldest are evicted: the records' share of
 *     {@code capacityBytes}; {@link #fillPercent()} is {@code usedBytes} of it
 * @param timeUntilFull at the recent rate of appends, how long until the spool starts evicting;
 *     empty when nothing was appended lately (nothing grows)
 * @param inMemory batches held in memory because the disk is full (not yet durable), 0 normally
 * @param diskFull whether the last write found the disk full
 * @param diskFreeBytes usable bytes left on the spool's file system, -1 when unknown
 */
public record SpoolStats(long batches, long bytes, Optional<Instant> oldest, long deadLetters, long evicted,
                         long capacityBytes, long usedBytes, long limitBytes, Optional<Duration> timeUntilFull,
                         long inMemory, boolean diskFull, long diskFreeBytes) {

    /** The figures of a store that knows no pages, disk or rate (e.g. one in memory). */
    public SpoolStats(long batches, long bytes, Optional<Instant> oldest, long deadLetters, long evicted,
                      long capacityBytes) {
        this(batches, bytes, oldest, deadLetters, evicted, capacityBytes, bytes, capacityBytes, Optional.empty(), 0,
                false, -1);
    }

    /** {@code usedBytes} as a percentage of {@code limitBytes}, 0 to 100. */
    public double fillPercent() {
        return limitBytes <= 0 ? 0 : Math.min(100.0, usedBytes * 100.0 / limitBytes);
    }

    /** How long the oldest queued batch has waited, at {@code now}. */
    public Optional<Duration> oldestAge(Instant now) {
        return oldest.map(o -> o.isAfter(now) ? Duration.ZERO : Duration.between(o, now));
    }
}
