package io.sensorreader.lmdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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

    private static final Map<String, Boolean> READING_FIELDS =
            Map.of("id", true, "description", true, "value", true, "timestamp", true, "unit", true);

    private final ObjectMapper mapper = new ObjectMapper();

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
        JsonNode root = parse(value);
        if (!root.isObject() || !root.has("payload")) {
            throw new UnreadableException("not a spool record: expected a JSON object with a \"payload\"");
        }
        Batch.Kind kind = kindOf(key, root.get("metric_type"));
        long keySeconds = Keys.pythonEpochSeconds(key);
        Instant spooledAt = instant(root.get("spooled_at"), keySeconds);
        JsonNode payload = root.get("payload");
        long batchSeconds = root.path("batch_timestamp").asLong(keySeconds);
        Batch batch = switch (kind) {
            case SENSOR_BATCH -> sensorBatch(payload, batchSeconds);
            case DEVICE_STATUS -> deviceStatus(payload);
        };
        return new Queued(batch, spooledAt, root.path("attempts").asInt(0), root.path("status_code").asInt(0));
    }

    /** The attempts stored in a record, 0 when it cannot be read. */
    int attemptsOf(byte[] value) {
        try {
            return mapper.readTree(value).path("attempts").asInt(0);
        } catch (IOException e) {
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
            JsonNode root = mapper.readTree(value);
            return new DeadLetter(key, kindOf(root.path("metric_type").asText(null)),
                    root.path("body").asText(""), root.path("status_code").asInt(0), root.path("reason").asText(""),
                    instant(root.get("dead_at"), 0), root.path("attempts").asInt(0));
        } catch (IOException | UnreadableException e) {
            return new DeadLetter(key, null, new String(value, StandardCharsets.UTF_8), 0,
                    "dead letter record is damaged: " + e.getMessage(), Instant.EPOCH, 0);
        }
    }

    /** When a dead letter was first spooled, or {@code fallback} when it never was or does not say. */
    Instant spooledAtOfDead(byte[] value, Instant fallback) {
        try {
            JsonNode at = mapper.readTree(value).get("spooled_at");
            return at == null || at.isNull() ? fallback : instant(at, 0);
        } catch (IOException | UnreadableException e) {
            return fallback;
        }
    }

    /** The batch's own time a dead letter keeps, or -1. */
    long batchTimestampOfDead(byte[] value) {
        try {
            return mapper.readTree(value).path("batch_timestamp").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    String quote(String s) {
        try {
            return mapper.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON string", e);
        }
    }

    private JsonNode parse(byte[] value) throws UnreadableException {
        try {
            JsonNode root = mapper.readTree(value);
            if (root == null || root.isMissingNode()) {
                throw new UnreadableException("empty record");
            }
            return root;
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UnreadableException("not JSON: " + detail);
        }
    }

    private static Batch.Kind kindOf(String key, JsonNode metricType) throws UnreadableException {
        if (metricType != null && !metricType.isNull()) {
            Batch.Kind kind = kindOf(metricType.asText());
            if (kind == null) {
                throw new UnreadableException("unknown metric_type '" + metricType.asText()
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

    private static Instant instant(JsonNode node, long fallbackSeconds) throws UnreadableException {
        if (node == null || node.isNull()) {
            return Instant.ofEpochSecond(Math.max(0, fallbackSeconds));
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new UnreadableException("spooled_at is '" + node.asText() + "'; expected an ISO-8601 instant");
        }
    }

    /** @param ownSeconds the batch's stored time, else the key's; only an empty batch has no better */
    private SensorBatch sensorBatch(JsonNode payload, long ownSeconds) throws UnreadableException {
        if (!payload.isArray()) {
            throw new UnreadableException("a sensor batch's payload must be a JSON array, was " + payload.getNodeType());
        }
        List<Reading> readings = new ArrayList<>(payload.size());
        for (JsonNode element : payload) {
            readings.add(reading(element, readings.size()));
        }
        long timestamp = readings.isEmpty() ? Math.max(0, ownSeconds) : readings.get(0).timestamp();
        return new SensorBatch(timestamp, readings);
    }

    private Reading reading(JsonNode r, int index) throws UnreadableException {
        String where = "reading " + index;
        if (!r.isObject()) {
            throw new UnreadableException(where + " is not a JSON object");
        }
        JsonNode id = r.get("id");
        if (id == null || !id.isValueNode() || id.isNull() || id.asText().isBlank()) {
            throw new UnreadableException(where + " has no id");
        }
        where = "reading '" + id.asText() + "'";
        JsonNode description = r.get("description");
        if (description == null || !description.isTextual()) {
            throw new UnreadableException(where + " has no description");
        }
        String text = description.asText();
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new UnreadableException(where + ": description '" + text + "' does not start with '<Type>:'");
        }
        String type = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        if (rest.startsWith(" ")) {
            rest = rest.substring(1);
        }
        JsonNode value = r.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new UnreadableException(where + " has no numeric value");
        }
        JsonNode timestamp = r.get("timestamp");
        if (timestamp == null || !timestamp.isNumber()) {
            throw new UnreadableException(where + " has no numeric timestamp");
        }
        long seconds = timestamp.isIntegralNumber() ? timestamp.asLong() : (long) Math.floor(timestamp.asDouble());
        JsonNode unitNode = r.get("unit");
        String unit = unitNode == null || unitNode.isNull() ? null : unitNode.asText();
        Map<String, Object> extras = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!READING_FIELDS.containsKey(field.getKey())) {
                extras.put(field.getKey(), plain(field.getValue()));
            }
        }
        return new Reading(id.asText(), type, rest, value.asDouble(), unit, seconds, extras);
    }

    private DeviceStatus deviceStatus(JsonNode payload) throws UnreadableException {
        if (!payload.isObject()) {
            throw new UnreadableException("a device status payload must be a JSON object, was " + payload.getNodeType());
        }
        JsonNode timestamp = payload.get("timestamp");
        if (timestamp == null || !timestamp.isNumber()) {
            throw new UnreadableException("device status has no numeric timestamp");
        }
        JsonNode metrics = payload.get("metrics");
        if (metrics == null || !metrics.isObject() || metrics.isEmpty()) {
            throw new UnreadableException("device status has no metrics");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) plain(metrics);
        long seconds = timestamp.isIntegralNumber() ? timestamp.asLong() : (long) Math.floor(timestamp.asDouble());
        return new DeviceStatus(seconds, values);
    }

    /** A JSON value as the plain Java value {@code Batch.toJson()} writes back the same way. */
    private static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), plain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                list.add(plain(element));
            }
            return list;
        }
        return node.asText();
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
