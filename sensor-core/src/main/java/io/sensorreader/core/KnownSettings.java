package io.sensorreader.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code SENSOR_READER_*} setting some part of the agent reads, by the component that reads
 * it, plus what installed plugins declare ({@link io.sensorreader.api.SensorFactory#settingKeys()},
 * {@link io.sensorreader.api.ExporterFactory#settingKeys()}). At start-up, a variable no one reads gets
 * one WARN with the nearest known name: {@code SENSOR_READER_INTERVALL_SECONDS} is almost certainly
 * {@code SENSOR_READER_INTERVAL_SECONDS}. A component that starts reading a new setting adds it here.
 */
final class KnownSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KnownSettings.class);

    /** Component → the keys (without prefix) it reads. */
    static final Map<String, List<String>> BY_COMPONENT = byComponent();

    private KnownSettings() {
    }

    private static Map<String, List<String>> byComponent() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("core", List.of("DEVICE_ID", "DESCRIPTION", "TOKEN", "INTERVAL_SECONDS", "DATA_DIR", "SENSOR_CONFIG",
                "PLUGINS_DIR", "LOG_LEVEL", "LOG_FORMAT", "EXPORTERS", "ENV_FILE", "METRICS_PORT", "DEVICE_TYPE",
                "LIVE_SENSORS_ENABLED"));
        m.put("delivery", List.of("RETRY_INTERVAL", "RETRY_MAX_BACKOFF", "RETRY_MAX_BYTES", "RETRY_MAX_READINGS"));
        m.put("spool", List.of("SPOOL", "SPOOL_MAX_MB"));
        m.put("exporter-http", List.of("COLLECTOR_HOST", "HTTP_CONNECT_TIMEOUT", "HTTP_REQUEST_TIMEOUT"));
        m.put("sensor-gpio", List.of("GPIO_CHIP"));
        m.put("updater-github", List.of("REPO_REFRESHER_ENABLED", "REPO_CHECK_INTERVAL_MINUTES", "REPO_BRANCH",
                "REPO_DIR", "REPO_URL", "GITHUB_API_URL", "GITHUB_APP_ID", "GITHUB_APP_PEM_PATH", "GITHUB_REPO_OWNER",
                "GITHUB_REPO_NAME", "UPDATE_STRATEGY", "UPDATE_TAG_PATTERN", "UPDATE_BUILD_COMMAND",
                "UPDATE_BUILD_TIMEOUT", "UPDATE_HEALTH_SECONDS", "UPDATE_MAX_STARTS", "UPDATE_HEALTH_CYCLES",
                "UPDATE_DOWNLOAD_TIMEOUT", "UPDATE_MAX_DOWNLOAD_MB", "UPDATE_STALL_TIMEOUT", "RELEASE_PUBLIC_KEY",
                "RELEASE_ROOT", "REPO_PIN"));
        m.put("launcher", List.of("JAVA_OPTS", "CDS", "STABLE_ROOT", "SUPERVISED", "SERVICE_USER"));
        return m;
    }

    /** Every known key, without prefix. */
    static Set<String> all() {
        Set<String> keys = new TreeSet<>();
        BY_COMPONENT.values().forEach(keys::addAll);
        return keys;
    }

    /**
     * The warnings for settings no one reads, one a key, e.g. {@code environment:
     * SENSOR_READER_INTERVALL_SECONDS is not a setting anything reads; did you mean
     * SENSOR_READER_INTERVAL_SECONDS?}.
     *
     * @param present the keys set (without prefix), with where each came from
     * @param declared what plugins declared they read
     */
    static List<String> unknown(Map<String, String> present, Collection<String> declared) {
        Set<String> known = all();
        known.addAll(declared);
        return present.entrySet().stream().filter(e -> !known.contains(e.getKey())).map(e -> {
            String nearest = Suggest.nearest(e.getKey(), known);
            return e.getValue() + ": " + Settings.PREFIX + e.getKey() + " is not a setting anything reads"
                    + (nearest == null ? "; it is ignored" : "; did you mean " + Settings.PREFIX + nearest + "?");
        }).toList();
    }

    /** Logs {@link #unknown} at WARN, once, at start-up. */
    static void warnUnknown(Map<String, String> present, Collection<String> declared) {
        unknown(present, declared).forEach(LOG::warn);
    }
}
