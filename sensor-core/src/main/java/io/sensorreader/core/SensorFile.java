package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the sensor file into sections, one per sensor, each with {@code id} and {@code type}.
 *
 * <p>Two layouts. The Python agent's, kept as it is:
 * <pre>
 * sensors:
 *   io:
 *     float_sensors: [{id, description, pin, inverted}]     → type float
 *     energy_sensors: [...]                                  → type energy
 *   analog:
 *     pressure_sensors: [{id, description, channel, min_pressure, max_pressure, unit}] → type pressure
 * </pre>
 * (any {@code <type>_sensors} list under any group means that type), and the general one:
 * {@code sensors:} as a list of maps with {@code id}, {@code type} and the factory's own keys.
 */
final class SensorFile {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SensorFile.class);

    private static final String SUFFIX = "_sensors";

    private SensorFile() {
    }

    /** The sections and the problems found in the file's shape. */
    record Sections(List<Map<String, Object>> sections, List<String> problems) {
    }

    /**
     * @param file the file
     * @param name the file as the operator named it, for messages
     * @param cacheDir where the parsed file is kept for the next start ({@link SensorFileCache}), or
     *     {@code null} for no cache
     * @throws ConfigException when the file cannot be read or is not YAML
     */
    static Sections read(Path file, String name, Path cacheDir) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"))) {
            // The example file as installed: every line a comment. No sensors, not an error.
            LOG.warn("{} configures no sensor (every line is a comment); only the device status is sent", name);
            return new Sections(List.of(), List.of());
        }
        Optional<Object> cached = cacheDir == null ? Optional.empty() : SensorFileCache.load(cacheDir, bytes);
        Object root;
        if (cached.isPresent()) {
            root = cached.get();
        } else {
            root = YamlFiles.read(bytes, name,
                    "a 'sensors:' list or the Python agent's 'sensors: io: float_sensors:' layout");
            if (cacheDir != null) {
                SensorFileCache.store(cacheDir, bytes, root);
            }
        }
        List<Map<String, Object>> sections = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Object sensors = root instanceof Map<?, ?> map ? map.get("sensors") : null;
        switch (sensors) {
            case null -> problems.add(name + ": has no 'sensors:' entry; expected a 'sensors:' list"
                    + " or the Python agent's 'sensors: io: float_sensors:' layout");
            case List<?> list -> general(list, name, sections, problems);
            case Map<?, ?> groups -> python(groups, name, sections, problems);
            default -> problems.add(name + ": 'sensors' is '" + sensors
                    + "'; expected a list of sensors or groups such as 'io:' and 'analog:'");
        }
        return new Sections(sections, problems);
    }

    private static void general(List<?> list, String name, List<Map<String, Object>> sections, List<String> problems) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> entry) {
                sections.add(copy(entry));
            } else {
                problems.add(name + ": sensors[" + i + "] is '" + list.get(i) + "'; expected a map with id and type");
            }
        }
    }

    private static void python(Map<?, ?> groups, String name, List<Map<String, Object>> sections,
                               List<String> problems) {
        for (Map.Entry<?, ?> group : groups.entrySet()) {
            if (group.getValue() == null) {
                continue;
            }
            if (!(group.getValue() instanceof Map<?, ?> lists)) {
                problems.add(name + ": sensors." + group.getKey() + " is '" + group.getValue()
                        + "'; expected lists such as float_sensors or pressure_sensors");
                continue;
            }
            for (Map.Entry<?, ?> kind : lists.entrySet()) {
                String path = "sensors." + group.getKey() + "." + kind.getKey();
                String key = String.valueOf(kind.getKey());
                if (!key.endsWith(SUFFIX) || key.length() == SUFFIX.length()) {
                    problems.add(name + ": " + path + " is not a sensor list; expected a name such as float_sensors,"
                            + " energy_sensors or pressure_sensors");
                    continue;
                }
                String type = key.substring(0, key.length() - SUFFIX.length());
                if (kind.getValue() == null) {
                    continue;
                }
                if (!(kind.getValue() instanceof List<?> entries)) {
                    problems.add(name + ": " + path + " is '" + kind.getValue() + "'; expected a list of sensors");
                    continue;
                }
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i) instanceof Map<?, ?> entry) {
                        Map<String, Object> section = copy(entry);
                        section.putIfAbsent("type", type);
                        sections.add(section);
                    } else {
                        problems.add(name + ": " + path + "[" + i + "] is '" + entries.get(i)
                                + "'; expected a map with id and description");
                    }
                }
            }
        }
    }

    private static Map<String, Object> copy(Map<?, ?> entry) {
        Map<String, Object> section = new LinkedHashMap<>();
        entry.forEach((k, v) -> section.put(String.valueOf(k), v));
        return section;
    }
}
