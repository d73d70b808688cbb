package io.sensorreader.api.agent;

import io.sensorreader.api.Batch;

import java.time.Instant;

/**
 * A batch the collector rejected for good, or a record that could not be read; kept for an
 * operator, never deleted silently.
 *
 * @param key the dead letter's key
 * @param kind the batch kind, or {@code null} when the record could not be read
 * @param body the request body (or the unreadable record's text), as stored
 * @param status the HTTP status of the rejection, 0 when none
 * @param reason why, e.g. {@code Unknown sensor type: PressureSensor}
 * @param at when it was dead-lettered
 * @param attempts delivery attempts made before
 */
public record DeadLetter(String key, Batch.Kind kind, String body, int status, String reason, Instant at, int attempts) {
}
