package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sensor's section that remembers which keys its factory asked for, present or not, so that a key
 * nobody read (a typo: {@code invertd}) is found after {@code create()}: a plugin declares its keys
 * by reading them. A factory that takes the whole section ({@link #asMap()}) opts out of the check.
 * Used on the main thread at start-up only.
 */
final class TrackedConfig implements PluginConfig {

    /** The keys the core itself reads from every section. */
    static final List<String> CORE_KEYS = List.of("id", "type", "description", "read_timeout");

    private final PluginConfig config;
    private final Set<String> asked = Collections.synchronizedSet(new LinkedHashSet<>(CORE_KEYS));
    private volatile boolean wholeSection;

    TrackedConfig(PluginConfig config) {
        this.config = config;
    }

    /**
     * The keys present that no one asked for, each as a message with the nearest asked-for key, e.g.
     * {@code sensor_config.yaml: sensor 't1' (float): unknown key 'invertd'; did you mean 'inverted'?
     * (keys of this type: ...)}. Empty when the factory took the whole section.
     */
    List<String> unknownKeys() {
        if (wholeSection) {
            return List.of();
        }
        List<String> known;
        synchronized (asked) {
            known = new ArrayList<>(asked);
        }
        List<String> problems = new ArrayList<>();
        for (String key : config.keys()) {
            if (known.contains(key)) {
                continue;
            }
            String nearest = Suggest.nearest(key, known);
            problems.add(config.where() + ": unknown key '" + key + "'"
                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                    + " (keys of this type: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        return problems;
    }

    private String ask(String key) {
        asked.add(key);
        return key;
    }

    @Override
    public String where() {
        return config.where();
    }

    @Override
    public String sensorId() {
        return config.sensorId();
    }

    @Override
    public Set<String> keys() {
        return config.keys();
    }

    @Override
    public boolean has(String key) {
        return config.has(ask(key));
    }

    @Override
    public Optional<Object> raw(String key) {
        return config.raw(ask(key));
    }

    @Override
    public Map<String, Object> asMap() {
        wholeSection = true;
        return config.asMap();
    }

    @Override
    public String requireString(String key) {
        return config.requireString(ask(key));
    }

    @Override
    public String getString(String key, String fallback) {
        return config.getString(ask(key), fallback);
    }

    @Override
    public int requireInt(String key) {
        return config.requireInt(ask(key));
    }

    @Override
    public int getInt(String key, int fallback) {
        return config.getInt(ask(key), fallback);
    }

    @Override
    public int requireInt(String key, int min, int max, String expected) {
        return config.requireInt(ask(key), min, max, expected);
    }

    @Override
    public int getInt(String key, int fallback, int min, int max, String expected) {
        return config.getInt(ask(key), fallback, min, max, expected);
    }

    @Override
    public double requireDouble(String key) {
        return config.requireDouble(ask(key));
    }

    @Override
    public double getDouble(String key, double fallback) {
        return config.getDouble(ask(key), fallback);
    }

    @Override
    public boolean getBoolean(String key, boolean fallback) {
        return config.getBoolean(ask(key), fallback);
    }

    @Override
    public Duration getDuration(String key, Duration fallback, ChronoUnit bareUnit) {
        return config.getDuration(ask(key), fallback, bareUnit);
    }

    @Override
    public Duration getDuration(String key, Duration fallback) {
        return config.getDuration(ask(key), fallback);
    }

    @Override
    public List<String> getList(String key) {
        return config.getList(ask(key));
    }

    @Override
    public ConfigException invalid(String key, String expected) {
        return config.invalid(ask(key), expected);
    }

    @Override
    public ConfigException missing(String key, String expected) {
        return config.missing(ask(key), expected);
    }

    @Override
    public ConfigException problem(String message) {
        return config.problem(message);
    }

    @Override
    public String nameOf(String key) {
        return config.nameOf(key);
    }
}
