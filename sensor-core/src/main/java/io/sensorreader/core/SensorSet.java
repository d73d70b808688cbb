package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.SensorReadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the sensors of a run: the sections of the sensor file (or, without one, every factory's
 * default sections), each handed to the factory of its type.
 *
 * <p>Configuration mistakes (a missing or repeated id, an unknown type, a factory's
 * {@link ConfigException}) are collected and thrown together as {@link ConfigProblems}. Hardware
 * that cannot be opened ({@link SensorReadException}) and a factory that throws anything else are
 * reported by sensor, type and plugin, and the agent runs without that sensor.
 */
final class SensorSet {

    private static final Logger LOG = LoggerFactory.getLogger(SensorSet.class);

    private SensorSet() {
    }

    /**
     * A sensor, its identity from the sensor file, and the plugin it came from.
     *
     * @param id the section's {@code id}
     * @param description the section's {@code description}, else the id
     * @param type the reading type the sensor reported at start-up ({@link Sensor#type()})
     * @param sensor the sensor, decorated so that every call runs in its plugin's loader ({@link PluginScope})
     * @param readTimeout the section's {@code read_timeout}, or {@code null} for the loop's default
     */
    record Loaded(Sensor sensor, String id, String description, String type, ClassLoader loader, String source,
                  Duration readTimeout) {

        Loaded(Sensor sensor, String id, String description, String type, ClassLoader loader, String source) {
            this(sensor, id, description, type, loader, source, null);
        }
    }

    /**
     * @throws ConfigProblems for every configuration mistake found
     */
    static List<Loaded> build(Settings settings, Plugins plugins, SensorContext context) {
        Map<String, SensorFactory> factories = plugins.sensorFactories();
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> sections = new ArrayList<>();
        String fileName;
        Path file = settings.sensorConfig();
        if (Files.exists(file)) {
            fileName = settings.sensorConfigName();
            try {
                SensorFile.Sections read = SensorFile.read(file, fileName, settings.dataDir());
                sections.addAll(read.sections());
                problems.addAll(read.problems());
            } catch (ConfigException e) {
                throw new ConfigProblems(List.of(e.getMessage()));
            }
        } else if (!settings.origin("SENSOR_CONFIG").equals("default")) {
            throw new ConfigProblems(List.of(settings.view().invalid("SENSOR_CONFIG",
                    "an existing sensor file (nothing at " + file + ")").getMessage()));
        } else {
            fileName = "default sensors";
            LOG.info("no sensor file at {}; using the default sensors of every installed type", file);
            for (SensorFactory factory : factories.values()) {
                try {
                    sections.addAll(plugins.call(factory, () -> factory.defaultSections(settings.deviceId())));
                } catch (RuntimeException | Error e) {
                    LOG.warn("{}: type '{}': defaultSections failed ({}); skipped its default sensors",
                            plugins.sourceOf(factory), factory.name(), Plugins.describe(e));
                }
            }
        }

        List<Loaded> sensors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < sections.size(); i++) {
            Map<String, Object> section = sections.get(i);
            TrackedConfig config = new TrackedConfig(PluginConfig.forSensor(fileName, section));
            String id = config.sensorId();
            if (id.isEmpty()) {
                problems.add(fileName + ": sensor number " + (i + 1) + " has no id; expected a unique id such as"
                        + " tank_float_1");
                continue;
            }
            if (!ids.add(id)) {
                problems.add(fileName + ": sensor '" + id + "' is defined twice; expected each id once");
                continue;
            }
            String type = config.getString("type", "");
            SensorFactory factory = factories.get(type);
            if (factory == null) {
                String installed = (factories.isEmpty() ? "none" : String.join(", ", factories.keySet()))
                        + " (plugin jars are read from " + settings.pluginsDir() + ")";
                problems.add(type.isEmpty()
                        ? fileName + ": sensor '" + id + "' has no type; installed types: " + installed
                        : fileName + ": sensor '" + id + "': unknown type '" + type + "'; installed types: " + installed);
                continue;
            }
            String source = plugins.sourceOf(factory);
            Duration readTimeout;
            try {
                readTimeout = config.getDuration("read_timeout", null);
                if (readTimeout != null && (readTimeout.isZero() || readTimeout.isNegative()
                        || readTimeout.compareTo(settings.interval()) > 0)) {
                    throw config.invalid("read_timeout", "a duration above 0 and at most the interval ("
                            + settings.interval().toSeconds() + " s), e.g. 2s or 500ms");
                }
            } catch (ConfigException e) {
                problems.add(e.getMessage());
                continue;
            }
            try {
                Sensor sensor = plugins.call(factory, () -> {
                    try {
                        return factory.create(config, context);
                    } catch (SensorReadException e) {
                        throw new Unopened(e);
                    }
                });
                String description = config.getString("description", id);
                String readingType = sensor.type();
                sensors.add(new Loaded(sensor, id, description, readingType, plugins.loaderOf(factory), source,
                        readTimeout));
                problems.addAll(config.unknownKeys());
                LOG.debug("{}: {} ready", config.where(), id);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            } catch (Unopened e) {
                LOG.warn("{}: cannot be opened: {}; running without it", config.where(), e.getCause().getMessage());
            } catch (RuntimeException | Error e) {
                LOG.warn("{}: the factory of type '{}' from {} failed ({}); running without this sensor",
                        config.where(), type, source, Plugins.describe(e));
            }
        }
        if (!problems.isEmpty()) {
            sensors.forEach(loaded -> close(loaded));
            throw new ConfigProblems(problems);
        }
        return sensors;
    }

    /** How long shutdown waits for one sensor's {@code close()}. */
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(1);

    /**
     * Closes one sensor (decorated: in its plugin's loader) on a virtual thread, waiting at most
     * {@link #CLOSE_DEADLINE}: a plugin whose close hangs is logged and left behind, so that shutdown
     * goes on. Never throws.
     */
    static void close(Loaded loaded) {
        Thread closing = Thread.ofVirtual().name("close " + loaded.id()).unstarted(() -> {
            try {
                loaded.sensor().close();
            } catch (RuntimeException | Error e) {
                LOG.warn("closing sensor '{}' failed: {}", loaded.id(), Plugins.describe(e));
            }
        });
        try {
            closing.start();
            if (!closing.join(CLOSE_DEADLINE)) {
                LOG.warn("closing sensor '{}' did not end within {} ms; left it behind", loaded.id(),
                        CLOSE_DEADLINE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.warn("closing sensor '{}' failed: {}", loaded.id(), Plugins.describe(e));
        }
    }

    /** Carries a checked SensorReadException out of a Supplier. */
    private static final class Unopened extends RuntimeException {
        Unopened(SensorReadException cause) {
            super(cause);
        }
    }
}
