package io.sensorreader.api.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * The spool's figures.
 *
 * @param batches queued batches
 * @param bytes bytes used by queued batches
 * @param oldest when the oldest queued batch was stored, if any
 * @param deadLetters batches in the dead letters
 * @param evicted batches dropped to make room since the spool was created
 * @param capacityBytes the configured limit
 */
public record SpoolStats(long batches, long bytes, Optional<Instant> oldest, long deadLetters, long evicted,
                         long capacityBytes) {
}
