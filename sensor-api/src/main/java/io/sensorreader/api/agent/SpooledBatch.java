package io.sensorreader.api.agent;

import io.sensorreader.api.Batch;

import java.time.Instant;

/**
 * A batch as it sits in the spool.
 *
 * @param key the record's key in the store; opaque, unique, sorts in arrival order (records left
 *     by the Python agent keep theirs, e.g. {@code sensor-batch-1764190000})
 * @param batch the batch
 * @param spooledAt when it was stored
 * @param attempts failed delivery attempts so far
 * @param lastStatus the HTTP status of the last failed attempt, 0 when none
 * @param sizeBytes the size of the stored record
 */
public record SpooledBatch(String key, Batch batch, Instant spooledAt, int attempts, int lastStatus, long sizeBytes) {
}
