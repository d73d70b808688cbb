package io.sensorreader.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import io.sensorreader.api.agent.WireFormat;

/**
 * {@code <data dir>/state.json}: the agent's {@link AgentState}, rewritten every cycle, read by
 * {@code sensor-reader status} (often as another user, hence mode 0644 and no secret in it).
 *
 * <p>Writes go to a temporary file in the same folder that is then renamed over the old one
 * ({@code ATOMIC_MOVE}), so a reader sees the old state or the new one, never half of one. No
 * fsync: the file is rewritten seconds later anyway, and syncing every cycle would wear an SD card
 * for nothing. Times are ISO-8601 UTC strings, absent times {@code null}. {@code lagging_sensors}
 * is an object of sensor ids and misses in a row ({@code {"tank_top": 4}}, {@code {}} when none
 * lags); a file of an older agent without it, or without {@code sensor_count}, reads as none
 * lagging and the count unknown (0).
 *
 * <p>One writer (the agent's sampling thread); any number of readers, in any process.
 */
public final class StateFile {

    /** The file's name inside the data folder. */
    public static final String NAME = "state.json";

    private final Path path;

    /** @param dataDir the agent's data folder ({@code SENSOR_READER_DATA_DIR}) */
    public StateFile(Path dataDir) {
        this.path = Objects.requireNonNull(dataDir, "dataDir").resolve(NAME);
    }

    /** Where the state lives. */
    public Path path() {
        return path;
    }

    /**
     * Replaces the file with this state, atomically.
     *
     * @throws IOException when the data folder is not writable; the old file, if any, is intact
     */
    public void write(AgentState state) throws IOException {
        byte[] bytes = render(state).getBytes(StandardCharsets.UTF_8);
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".state-", ".json.tmp");
        try {
            Files.write(tmp, bytes);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the state back.
     *
     * @return empty when there is no file (the agent never ran with this data folder)
     * @throws IOException when the file cannot be read or is not a state file; the message says
     *     which file and what is wrong
     */
    public Optional<AgentState> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(new ObjectMapper().readTree(new String(bytes, StandardCharsets.UTF_8))));
        } catch (JsonProcessingException e) {
            throw new IOException(path + " is not valid JSON (" + e.getOriginalMessage()
                    + "); the agent rewrites it every cycle, so wait a moment or delete it", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + " is not an agent state: " + e.getMessage()
                    + "; the agent rewrites it every cycle, so wait a moment or delete it", e);
        }
    }

    /**
     * The file's text, written with {@link WireFormat}'s appenders: no Jackson on the path that
     * runs every cycle (Jackson is loaded only by {@code status}, which reads the file).
     */
    static String render(AgentState s) {
        StringBuilder out = new StringBuilder(1024).append("{\n");
        field(out, "pid", s.pid(), false);
        field(out, "version", s.version(), false);
        field(out, "started_at", time(s.startedAt()), false);
        field(out, "last_cycle_at", time(s.lastCycleAt()), false);
        field(out, "last_delivery_at", time(s.lastDeliveryAt()), false);
        field(out, "last_failure", s.lastFailure(), false);
        field(out, "delivering", s.delivering(), false);
        field(out, "not_delivering", s.notDelivering(), false);
        field(out, "spool_batches", s.spoolBatches(), false);
        field(out, "spool_bytes", s.spoolBytes(), false);
        field(out, "spool_capacity_bytes", s.spoolCapacityBytes(), false);
        field(out, "dead_letters", s.deadLetters(), false);
        field(out, "evicted", s.evicted(), false);
        field(out, "readings_delivered", s.readingsDelivered(), false);
        field(out, "batches_delivered", s.batchesDelivered(), false);
        field(out, "batches_failed", s.batchesFailed(), false);
        field(out, "batches_spooled", s.batchesSpooled(), false);
        field(out, "batches_dropped", s.batchesDropped(), false);
        field(out, "token_fingerprint", s.tokenFingerprint(), false);
        field(out, "collector", s.collector(), false);
        field(out, "interval_seconds", s.intervalSeconds(), false);
        field(out, "sensor_count", s.sensorCount(), false);
        field(out, "lagging_sensors", s.laggingSensors(), true);
        return out.append("}\n").toString();
    }

    private static void field(StringBuilder out, String name, Object value, boolean last) {
        out.append("  ");
        WireFormat.string(out, name);
        out.append(": ");
        if (value instanceof Long n) {
            out.append(n.longValue());
        } else {
            WireFormat.value(out, value);
        }
        out.append(last ? "\n" : ",\n");
    }

    /** The state as the file holds it, for other JSON documents (the {@code status --json} output). */
    static ObjectNode toJson(ObjectMapper json, AgentState s) {
        ObjectNode o = json.createObjectNode();
        o.put("pid", s.pid());
        o.put("version", s.version());
        o.put("started_at", time(s.startedAt()));
        o.put("last_cycle_at", time(s.lastCycleAt()));
        o.put("last_delivery_at", time(s.lastDeliveryAt()));
        o.put("last_failure", s.lastFailure());
        o.put("delivering", s.delivering());
        o.put("not_delivering", s.notDelivering());
        o.put("spool_batches", s.spoolBatches());
        o.put("spool_bytes", s.spoolBytes());
        o.put("spool_capacity_bytes", s.spoolCapacityBytes());
        o.put("dead_letters", s.deadLetters());
        o.put("evicted", s.evicted());
        o.put("readings_delivered", s.readingsDelivered());
        o.put("batches_delivered", s.batchesDelivered());
        o.put("batches_failed", s.batchesFailed());
        o.put("batches_spooled", s.batchesSpooled());
        o.put("batches_dropped", s.batchesDropped());
        o.put("token_fingerprint", s.tokenFingerprint());
        o.put("collector", s.collector());
        o.put("interval_seconds", s.intervalSeconds());
        o.put("sensor_count", s.sensorCount());
        ObjectNode lagging = o.putObject("lagging_sensors");
        s.laggingSensors().forEach(lagging::put);
        return o;
    }

    private static AgentState fromJson(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return new AgentState(
                number(o, "pid"),
                text(o, "version", true),
                instant(o, "started_at", true),
                instant(o, "last_cycle_at", false),
                instant(o, "last_delivery_at", false),
                text(o, "last_failure", false),
                number(o, "spool_batches"),
                number(o, "spool_bytes"),
                number(o, "dead_letters"),
                number(o, "evicted"),
                number(o, "readings_delivered"),
                number(o, "batches_delivered"),
                number(o, "batches_failed"),
                number(o, "batches_spooled"),
                number(o, "batches_dropped"),
                text(o, "token_fingerprint", false),
                text(o, "collector", true),
                number(o, "interval_seconds"),
                text(o, "not_delivering", false),
                o.has("spool_capacity_bytes") ? number(o, "spool_capacity_bytes") : 0,
                o.has("sensor_count") ? number(o, "sensor_count") : 0,
                lagging(o));
    }

    /** {@code lagging_sensors}: sensor id to misses in a row; absent in files of older agents. */
    private static Map<String, Long> lagging(JsonNode o) {
        JsonNode v = o.get("lagging_sensors");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("lagging_sensors is " + v + "; expected an object of sensor ids"
                    + " and misses in a row");
        }
        Map<String, Long> lagging = new TreeMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().canConvertToLong()) {
                throw new IllegalArgumentException("lagging_sensors." + e.getKey() + " is " + e.getValue()
                        + "; expected a whole number");
            }
            lagging.put(e.getKey(), e.getValue().asLong());
        });
        return lagging;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static long number(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException(key + " is " + v + "; expected a whole number");
        }
        return v.asLong();
    }

    private static String text(JsonNode o, String key, boolean required) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(key + " is missing");
            }
            return null;
        }
        return v.asText();
    }

    private static Instant instant(JsonNode o, String key, boolean required) {
        String v = text(o, key, required);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is '" + v + "'; expected an ISO-8601 time like 2025-01-31T12:00:00Z");
        }
    }
}
