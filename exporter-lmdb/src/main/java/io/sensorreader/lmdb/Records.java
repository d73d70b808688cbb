package io.sensorreader.lmdb;

import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.agent.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The bytes of queue records and dead letters.
 *
 * <p>A queue record is the Python agent's shape, {@code {"payload": <request body>, "status_code":
 * <int or null>, "metric_type": "sensor-batch" | "device-status"}}, with our additions
 * {@code spooled_at} (ISO-8601), {@code attempts}, {@code batch_timestamp} (an empty batch's time has
 * no reading to carry it) and, after a failed attempt, {@code last_reason}.
 * The payload is the request body embedded as JSON, exactly as {@link Batch#toJson()} wrote it.
 *
 * <p>A dead letter keeps the body as a JSON string, so that it reads back byte for byte, with
 * the reason, status, time and attempts.
 */
final class Records {

    /** A queue record as read back. */
    record Queued(Batch batch, Instant spooledAt, int attempts, int lastStatus) {
    }

    /** A record that cannot be turned into a batch; the message says why. */
    static final class UnreadableException extends Exception {
        UnreadableException(String message) {
            super(message);
        }
    }

    byte[] encodeQueued(Batch batch, int status, Instant spooledAt, int attempts, String lastReason) {
        return encodeQueued(batch.kind(), batch.toJson(), batch.timestamp(), status, spooledAt, attempts, lastReason);
    }

    /** @param batchTimestamp the batch's own time (an empty sensor batch has no reading to tell it), or -1 */
    byte[] encodeQueued(Batch.Kind kind, String body, long batchTimestamp, int status, Instant spooledAt, int attempts,
                        String lastReason) {
        StringBuilder out = new StringBuilder(body.length() + 160);
        out.append("{\"payload\": ").append(body)
                .append(", \"status_code\": ").append(status == 0 ? "null" : Integer.toString(status))
                .append(", \"metric_type\": \"").append(metricType(kind)).append('"')
                .append(", \"spooled_at\": \"").append(spooledAt).append('"')
                .append(", \"attempts\": ").append(attempts);
        if (batchTimestamp >= 0) {
            out.append(", \"batch_timestamp\": ").append(batchTimestamp);
        }
        if (lastReason != null) {
            out.append(", \"last_reason\": ").append(quote(lastReason));
        }
        out.append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a queue record, ours or the Python agent's.
     *
     * @param key its key, for the kind and the time of Python records that lack them
     */
    Queued decodeQueued(String key, byte[] value) throws UnreadableException {
        Map<?, ?> root = object(value);
        if (root == null || !root.containsKey("payload")) {
            throw new UnreadableException("not a spool record: expected a JSON object with a \"payload\"");
        }
        Batch.Kind kind = kindOf(key, root.get("metric_type"));
        long keySeconds = Keys.pythonEpochSeconds(key);
        Instant spooledAt = instant(root.get("spooled_at"), keySeconds);
        Object payload = root.get("payload");
        long batchSeconds = longOf(root.get("batch_timestamp"), keySeconds);
        try {
            Batch batch = switch (kind) {
                case SENSOR_BATCH -> WireFormat.sensorBatch(payload, batchSeconds);
                case DEVICE_STATUS -> WireFormat.deviceStatus(payload);
            };
            return new Queued(batch, spooledAt, (int) longOf(root.get("attempts"), 0),
                    (int) longOf(root.get("status_code"), 0));
        } catch (WireFormat.MalformedException e) {
            throw new UnreadableException(e.getMessage());
        }
    }

    /** The attempts stored in a record, 0 when it cannot be read. */
    int attemptsOf(byte[] value) {
        try {
            Map<?, ?> root = object(value);
            return root == null ? 0 : (int) longOf(root.get("attempts"), 0);
        } catch (UnreadableException e) {
            return 0;
        }
    }

    byte[] encodeDead(Batch.Kind kind, String body, long batchTimestamp, int status, String reason, Instant at,
                      int attempts, Instant spooledAt, String fromKey) {
        StringBuilder out = new StringBuilder(body.length() + 200);
        out.append("{\"body\": ").append(quote(body))
                .append(", \"metric_type\": ").append(kind == null ? "null" : quote(metricType(kind)))
                .append(", \"status_code\": ").append(status == 0 ? "null" : Integer.toString(status))
                .append(", \"reason\": ").append(quote(reason))
                .append(", \"dead_at\": \"").append(at).append('"')
                .append(", \"attempts\": ").append(attempts)
                .append(", \"spooled_at\": ").append(spooledAt == null ? "null" : quote(spooledAt.toString()))
                .append(", \"from_key\": ").append(fromKey == null ? "null" : quote(fromKey))
                .append(", \"batch_timestamp\": ").append(batchTimestamp)
                .append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A dead letter as stored; one whose own record is damaged is shown with its raw text. */
    DeadLetter decodeDead(String key, byte[] value) {
        try {
            Map<?, ?> root = object(value);
            if (root == null) {
                throw new UnreadableException("not a JSON object");
            }
            Object body = root.get("body");
            Object reason = root.get("reason");
            return new DeadLetter(key, kindOf(root.get("metric_type") instanceof String t ? t : null),
                    body instanceof String b ? b : "", (int) longOf(root.get("status_code"), 0),
                    reason instanceof String r ? r : "", instant(root.get("dead_at"), 0),
                    (int) longOf(root.get("attempts"), 0));
        } catch (UnreadableException e) {
            return new DeadLetter(key, null, new String(value, StandardCharsets.UTF_8), 0,
                    "dead letter record is damaged: " + e.getMessage(), Instant.EPOCH, 0);
        }
    }

    /** When a dead letter was first spooled, or {@code fallback} when it never was or does not say. */
    Instant spooledAtOfDead(byte[] value, Instant fallback) {
        try {
            Map<?, ?> root = object(value);
            Object at = root == null ? null : root.get("spooled_at");
            return at == null ? fallback : instant(at, 0);
        } catch (UnreadableException e) {
            return fallback;
        }
    }

    /** The batch's own time a dead letter keeps, or -1. */
    long batchTimestampOfDead(byte[] value) {
        try {
            Map<?, ?> root = object(value);
            return root == null ? -1 : longOf(root.get("batch_timestamp"), -1);
        } catch (UnreadableException e) {
            return -1;
        }
    }

    String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        WireFormat.string(out, s);
        return out.toString();
    }

    /** The record as a JSON object, or {@code null} when it is valid JSON of another shape. */
    private static Map<?, ?> object(byte[] value) throws UnreadableException {
        if (value.length == 0) {
            throw new UnreadableException("empty record");
        }
        try {
            return WireFormat.parse(new String(value, StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? m : null;
        } catch (WireFormat.MalformedException e) {
            throw new UnreadableException(e.getMessage());
        }
    }

    private static long longOf(Object v, long fallback) {
        return v instanceof Number n ? (n instanceof Long l ? l : (long) Math.floor(n.doubleValue())) : fallback;
    }

    private static Batch.Kind kindOf(String key, Object metricType) throws UnreadableException {
        if (metricType != null) {
            Batch.Kind kind = kindOf(metricType.toString());
            if (kind == null) {
                throw new UnreadableException("unknown metric_type '" + metricType
                        + "'; expected sensor-batch or device-status");
            }
            return kind;
        }
        if (Keys.isDeviceStatus(key)) {
            return Batch.Kind.DEVICE_STATUS;
        }
        if (key.startsWith(Keys.PYTHON_SENSOR_BATCH) || key.startsWith(Keys.PYTHON_OLD_BATCH)
                || key.startsWith(Keys.QUEUE_PREFIX)) {
            return Batch.Kind.SENSOR_BATCH;
        }
        throw new UnreadableException("no metric_type, and the key does not tell the kind");
    }

    private static Instant instant(Object node, long fallbackSeconds) throws UnreadableException {
        if (node == null) {
            return Instant.ofEpochSecond(Math.max(0, fallbackSeconds));
        }
        try {
            return Instant.parse(node.toString());
        } catch (DateTimeParseException e) {
            throw new UnreadableException("spooled_at is '" + node + "'; expected an ISO-8601 instant");
        }
    }

    /** The {@code metric_type} the Python agent wrote for each kind of batch. */
    static String metricType(Batch.Kind kind) {
        return switch (kind) {
            case SENSOR_BATCH -> "sensor-batch";
            case DEVICE_STATUS -> "device-status";
        };
    }

    /** The kind for a record's {@code metric_type}; {@code null} when unknown. */
    static Batch.Kind kindOf(String metricType) {
        if ("sensor-batch".equals(metricType)) {
            return Batch.Kind.SENSOR_BATCH;
        }
        if ("device-status".equals(metricType)) {
            return Batch.Kind.DEVICE_STATUS;
        }
        return null;
    }
}
