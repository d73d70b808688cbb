package io.sensorreader.api.agent;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's implementation of {@link PluginConfig}: a section held as a map, with the place it came
 * from for messages. Immutable and safe to share between threads. Part of the agent's own seams, not
 * third-party API: plugin tests make configs with {@link PluginConfig#of(String, Map)}.
 */
public final class MapConfig implements PluginConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private final String where;
    private final String keyPrefix;
    private final Map<String, Object> values;
    private final Map<String, String> origins;

    /**
     * @param where how to name the section in messages, e.g. {@code "sensor_config.yaml: sensor 'p1' (pressure)"};
     *     empty for none
     * @param keyPrefix put before a key in messages, e.g. {@code "SENSOR_READER_"}; empty for none
     * @param values the section; copied
     * @param origins where individual keys came from (e.g. {@code ".env"}), overriding {@code where}
     */
    public MapConfig(String where, String keyPrefix, Map<String, ?> values, Map<String, String> origins) {
        this.where = where == null ? "" : where;
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Map.copyOf(origins);
    }

    /** A section with one origin for every key. */
    public MapConfig(String where, String keyPrefix, Map<String, ?> values) {
        this(where, keyPrefix, values, Map.of());
    }

    /**
     * The view of one sensor's entry in a sensor file.
     *
     * @param file the file name as an operator knows it
     * @param section the entry, including {@code id} and {@code type}
     */
    public static MapConfig forSensor(String file, Map<String, ?> section) {
        Object id = section.get("id");
        Object type = section.get("type");
        StringBuilder where = new StringBuilder(file);
        if (id != null) {
            where.append(": sensor '").append(id).append('\'');
            if (type != null) {
                where.append(" (").append(type).append(')');
            }
        }
        return new MapConfig(where.toString(), "", section);
    }

    /** How this section is named in messages (may be empty). */
    @Override
    public String where() {
        return where;
    }

    /** The {@code id} of the sensor this section configures, or {@code ""} where it has none. */
    @Override
    public String sensorId() {
        Object id = values.get("id");
        return id == null ? "" : String.valueOf(id).strip();
    }

    /** The keys present, in file order. */
    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether the key is present with a non-blank value. */
    @Override
    public boolean has(String key) {
        Object value = values.get(key);
        return value != null && !String.valueOf(value).isBlank();
    }

    /** The raw value (String, Number, Boolean, List or Map), if present. */
    @Override
    public Optional<Object> raw(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** All values as they are; for plugins that pass a section on. */
    @Override
    public Map<String, Object> asMap() {
        return values;
    }

    /** @throws ConfigException when the key is missing or blank */
    @Override
    public String requireString(String key) {
        if (!has(key)) {
            throw missing(key, "a value");
        }
        return String.valueOf(values.get(key)).strip();
    }

    /** The value, stripped, or the fallback when missing or blank. */
    @Override
    public String getString(String key, String fallback) {
        return has(key) ? String.valueOf(values.get(key)).strip() : fallback;
    }

    /** @throws ConfigException when missing or not a whole number */
    @Override
    public int requireInt(String key) {
        if (!has(key)) {
            throw missing(key, "a whole number");
        }
        return parseInt(key, "a whole number");
    }

    /** @throws ConfigException when present but not a whole number */
    @Override
    public int getInt(String key, int fallback) {
        return has(key) ? parseInt(key, "a whole number") : fallback;
    }

    /**
     * A whole number within bounds.
     *
     * @param expected what to tell the operator, e.g. {@code "a GPIO number 2-27"}
     * @throws ConfigException when missing, not a number or outside {@code [min, max]}
     */
    @Override
    public int requireInt(String key, int min, int max, String expected) {
        if (!has(key)) {
            throw missing(key, expected);
        }
        int value = parseInt(key, expected);
        if (value < min || value > max) {
            throw invalid(key, expected);
        }
        return value;
    }

    /** Like {@link #requireInt(String, int, int, String)}, with a fallback when absent. */
    @Override
    public int getInt(String key, int fallback, int min, int max, String expected) {
        return has(key) ? requireInt(key, min, max, expected) : fallback;
    }

    /** @throws ConfigException when missing or not a number */
    @Override
    public double requireDouble(String key) {
        if (!has(key)) {
            throw missing(key, "a number");
        }
        return parseDouble(key);
    }

    /** @throws ConfigException when present but not a number */
    @Override
    public double getDouble(String key, double fallback) {
        return has(key) ? parseDouble(key) : fallback;
    }

    /**
     * A flag: {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, in any case
     * (the Python agent accepted {@code True} and {@code true}).
     *
     * @throws ConfigException when present but none of those
     */
    @Override
    public boolean getBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object value = values.get(key);
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, "true or false");
        };
    }

    /**
     * A duration written as {@code 250ms}, {@code 5s}, {@code 2m} or {@code 1h}; a bare number is
     * read in {@code bareUnit} units.
     *
     * @throws ConfigException when present but not a duration
     */
    @Override
    public Duration getDuration(String key, Duration fallback, ChronoUnit bareUnit) {
        if (!has(key)) {
            return fallback;
        }
        Matcher m = DURATION.matcher(String.valueOf(values.get(key)).strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(key, "a duration such as 500ms, 5s, 2m or 1h");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        double millis = switch (unit == null ? "" : unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * Duration.of(1, bareUnit).toMillis();
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** A duration whose bare numbers are seconds. */
    @Override
    public Duration getDuration(String key, Duration fallback) {
        return getDuration(key, fallback, java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A comma-separated (or YAML) list of strings; empty when absent. */
    @Override
    public List<String> getList(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return java.util.Arrays.stream(String.valueOf(value).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * An error for a present value that is wrong:
     * {@code <where>: <key> is '<value>'; expected <expected>}.
     */
    @Override
    public ConfigException invalid(String key, String expected) {
        return new ConfigException(prefix(key) + keyPrefix + key + " is '" + values.get(key) + "'; expected " + expected);
    }

    /** An error for a key that is missing: {@code <where>: <key> is missing; expected <expected>}. */
    @Override
    public ConfigException missing(String key, String expected) {
        return new ConfigException(prefix(key) + keyPrefix + key + " is missing; expected " + expected);
    }

    /** An error about this section as a whole: {@code <where>: <message>}. */
    @Override
    public ConfigException problem(String message) {
        return new ConfigException(where.isEmpty() ? message : where + ": " + message);
    }

    /** The name a key has in messages, e.g. {@code SENSOR_READER_INTERVAL_SECONDS}. */
    @Override
    public String nameOf(String key) {
        return keyPrefix + key;
    }

    private String prefix(String key) {
        String origin = origins.getOrDefault(key, where);
        return origin.isEmpty() ? "" : origin + ": ";
    }

    private int parseInt(String key, String expected) {
        Object value = values.get(key);
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw invalid(key, expected);
        }
    }

    private double parseDouble(String key) {
        Object value = values.get(key);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            double d = Double.parseDouble(String.valueOf(value).strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a number");
    }

    @Override
    public String toString() {
        return where.isEmpty() ? "settings" : where;
    }
}
