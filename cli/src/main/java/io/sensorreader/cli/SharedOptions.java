package io.sensorreader.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every agent command takes; they override the environment and {@code .env}. */
final class SharedOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (SENSOR_READER_DATA_DIR).")
    Path dataDir;

    @Option(names = "--sensor-config", paramLabel = "FILE", description = "Sensor file (SENSOR_READER_SENSOR_CONFIG).")
    Path sensorConfig;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Plugins folder (SENSOR_READER_PLUGINS_DIR).")
    Path pluginsDir;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "TRACE, DEBUG, INFO, WARN or ERROR (SENSOR_READER_LOG_LEVEL).")
    String logLevel;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Seconds between samples (SENSOR_READER_INTERVAL_SECONDS).")
    String interval;

    /** The flags given, as settings keys without prefix. */
    Map<String, String> overrides() {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "DATA_DIR", dataDir);
        put(values, "SENSOR_CONFIG", sensorConfig);
        put(values, "PLUGINS_DIR", pluginsDir);
        put(values, "LOG_LEVEL", logLevel);
        put(values, "INTERVAL_SECONDS", interval);
        return values;
    }

    private static void put(Map<String, String> values, String key, Object value) {
        if (value != null) {
            values.put(key, value.toString());
        }
    }
}
