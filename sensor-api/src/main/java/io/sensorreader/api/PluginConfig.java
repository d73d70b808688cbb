package io.sensorreader.api;

import io.sensorreader.api.agent.MapConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed, read-only view over one section of configuration: one sensor's entry in the sensor file,
 * or the agent's {@code SENSOR_READER_*} settings. It knows where its values came from, so every
 * error it raises already names the place, the key, the value and what was expected.
 *
 * <p>Values may be strings (environment, {@code .env}) or numbers and booleans (YAML); every
 * getter accepts both. Implementations are immutable and safe to share between threads. The agent
 * makes them; a plugin's own tests make one with {@link #of(String, Map)}.
 *
 * <pre>{@code
 * int pin = config.requireInt("pin");                       // "pin is missing; expected a whole number"
 * boolean inverted = config.getBoolean("inverted", false);
 * Duration debounce = config.getDuration("debounce", Duration.ofMillis(50));
 * }</pre>
 */
public interface PluginConfig {

    /**
     * A section for tests and for plugins that build configuration of their own.
     *
     * @param where how to name the section in messages, e.g. {@code "sensors.yaml: sensor 'p1' (pressure)"}
     * @param values the section; copied
     */
    static PluginConfig of(String where, Map<String, ?> values) {
        return new MapConfig(where, "", values);
    }

    /**
     * The view of one sensor's entry in a sensor file, named in messages as
     * {@code <file>: sensor '<id>' (<type>)}.
     *
     * @param file the file name as an operator knows it
     * @param section the entry, including {@code id} and {@code type}
     */
    static PluginConfig forSensor(String file, Map<String, ?> section) {
        return MapConfig.forSensor(file, section);
    }

    /** How this section is named in messages (may be empty). */
    String where();

    /** The {@code id} of the sensor this section configures, or {@code ""} where it has none. */
    String sensorId();

    /** The keys present, in file order. */
    Set<String> keys();

    /** Whether the key is present with a non-blank value. */
    boolean has(String key);

    /** The raw value (String, Number, Boolean, List or Map), if present. */
    Optional<Object> raw(String key);

    /** All values as they are; for plugins that pass a section on. */
    Map<String, Object> asMap();

    /** @throws ConfigException when the key is missing or blank */
    String requireString(String key);

    /** The value, stripped, or the fallback when missing or blank. */
    String getString(String key, String fallback);

    /** @throws ConfigException when missing or not a whole number */
    int requireInt(String key);

    /** @throws ConfigException when present but not a whole number */
    int getInt(String key, int fallback);

    /**
     * A whole number within bounds.
     *
     * @param expected what to tell the operator, e.g. {@code "a GPIO number 2-27"}
     * @throws ConfigException when missing, not a number or outside {@code [min, max]}
     */
    int requireInt(String key, int min, int max, String expected);

    /** Like {@link #requireInt(String, int, int, String)}, with a fallback when absent. */
    int getInt(String key, int fallback, int min, int max, String expected);

    /** @throws ConfigException when missing or not a number */
    double requireDouble(String key);

    /** @throws ConfigException when present but not a number */
    double getDouble(String key, double fallback);

    /**
     * A flag: {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, in any case
     * (the Python agent accepted {@code True} and {@code true}).
     *
     * @throws ConfigException when present but none of those
     */
    boolean getBoolean(String key, boolean fallback);

    /**
     * A duration written as {@code 250ms}, {@code 5s}, {@code 2m} or {@code 1h}; a bare number is
     * read in {@code bareUnit} units.
     *
     * @throws ConfigException when present but not a duration
     */
    Duration getDuration(String key, Duration fallback, ChronoUnit bareUnit);

    /** A duration whose bare numbers are seconds. */
    Duration getDuration(String key, Duration fallback);

    /** A comma-separated (or YAML) list of strings; empty when absent. */
    List<String> getList(String key);

    /**
     * An error for a present value that is wrong:
     * {@code <where>: <key> is '<value>'; expected <expected>}.
     */
    ConfigException invalid(String key, String expected);

    /** An error for a key that is missing: {@code <where>: <key> is missing; expected <expected>}. */
    ConfigException missing(String key, String expected);

    /** An error about this section as a whole: {@code <where>: <message>}. */
    ConfigException problem(String message);

    /** The name a key has in messages, e.g. {@code SENSOR_READER_INTERVAL_SECONDS}. */
    String nameOf(String key);
}
