package io.sensorreader.core.migrate;

import io.sensorreader.api.ConfigException;
import io.sensorreader.core.DotEnv;
import io.sensorreader.core.Settings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Python agent's settings where it really had them. Python's {@code load_dotenv()} does not
 * override the environment, and systemd's {@code EnvironmentFile=} overrides {@code Environment=},
 * so, lowest first: its folder's {@code .env}, the unit's {@code Environment=} lines, the unit's
 * {@code EnvironmentFile=} files, and the environment {@code migrate} itself runs in.
 *
 * @param folder its folder (where its {@code sensor_config.yaml} and {@code data.lmdb} are)
 * @param unit its systemd unit, when one was given or found
 * @param settings its {@code SENSOR_READER_*} settings, keys without the prefix, in the order found
 * @param origins where each key's value came from
 * @param sources every place that was read, for the report
 */
record PythonAgent(Path folder, Optional<SystemdUnit> unit, Map<String, String> settings, Map<String, String> origins,
                   List<String> sources) {

    /**
     * Variables of this agent's own launcher and stable launcher (bin/sensor-reader,
     * release-guard.sh), which migrate's environment may hold: never the Python agent's settings.
     */
    static final List<String> LAUNCHER = List.of("ENV_FILE", "STABLE_ROOT", "RELEASE_ROOT", "SUPERVISED",
            "SERVICE_USER", "JAVA_OPTS", "CDS", "OS_RELEASE", "MACHINE");

    /**
     * Finds the agent's settings.
     *
     * @param unitFile the unit named with {@code --unit}, or empty to look in {@code unitsDir}
     * @param unitsDir where units are looked for ({@code /etc/systemd/system})
     * @param environment the command's own environment
     * @throws ConfigException when the folder is not one, a file cannot be parsed, or several units run the agent
     */
    static PythonAgent find(Path folder, Optional<Path> unitFile, Path unitsDir, Map<String, String> environment) {
        if (!Files.isDirectory(folder)) {
            throw new ConfigException("--from " + folder + ": not a folder; expected the Python agent's folder"
                    + " (where its sensor_config.yaml and data.lmdb are)");
        }
        Optional<SystemdUnit> unit = unitFile.map(SystemdUnit::read).or(() -> search(folder, unitsDir));
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();

        List<Path> dotEnvs = new ArrayList<>();
        dotEnvs.add(folder.resolve(".env"));
        unit.flatMap(SystemdUnit::workingDirectory).map(w -> Path.of(w.replaceFirst("^-", "")))
                .filter(Path::isAbsolute).map(w -> w.resolve(".env")).filter(p -> !dotEnvs.contains(p))
                .ifPresent(dotEnvs::add);
        for (Path dotEnv : dotEnvs) {
            if (Files.isRegularFile(dotEnv)) {
                layer(settings, origins, DotEnv.read(dotEnv), dotEnv.toString());
                sources.add(dotEnv.toString());
            }
        }
        if (unit.isPresent()) {
            SystemdUnit u = unit.get();
            layer(settings, origins, u.environment(), u.file() + " (Environment=)");
            sources.add(u.file() + " (Environment=)");
            for (String named : u.environmentFiles()) {
                boolean optional = named.startsWith("-");
                Path file = Path.of(optional ? named.substring(1) : named);
                if (!Files.isRegularFile(file)) {
                    if (!optional) {
                        throw new ConfigException(u.file() + ": EnvironmentFile=" + named + " does not exist; expected"
                                + " the file the Python agent's service read its settings from");
                    }
                    continue;
                }
                layer(settings, origins, DotEnv.read(file), file + " (EnvironmentFile= of " + u.name() + ")");
                sources.add(file + " (EnvironmentFile=)");
            }
        }
        Map<String, String> own = new LinkedHashMap<>(environment);
        LAUNCHER.forEach(name -> own.remove(Settings.PREFIX + name));
        layer(settings, origins, own, "the environment of migrate");
        if (own.keySet().stream().anyMatch(k -> k.startsWith(Settings.PREFIX))) {
            sources.add("the environment of migrate");
        }
        return new PythonAgent(folder, unit, settings, origins, List.copyOf(sources));
    }

    private static void layer(Map<String, String> settings, Map<String, String> origins, Map<String, String> values,
                              String origin) {
        values.forEach((key, value) -> {
            if (key.startsWith(Settings.PREFIX) && value != null) {
                String name = key.substring(Settings.PREFIX.length());
                settings.put(name, value);
                origins.put(name, origin);
            }
        });
    }

    /** The one unit in {@code unitsDir} that runs something in the folder (our own unit aside). */
    private static Optional<SystemdUnit> search(Path folder, Path unitsDir) {
        if (!Files.isDirectory(unitsDir)) {
            return Optional.empty();
        }
        List<SystemdUnit> found = new ArrayList<>();
        try (DirectoryStream<Path> units = Files.newDirectoryStream(unitsDir, "*.service")) {
            for (Path file : units) {
                if (file.getFileName().toString().equals("sensor-reader.service") || !Files.isRegularFile(file)) {
                    continue;
                }
                SystemdUnit unit;
                try {
                    unit = SystemdUnit.read(file);
                } catch (ConfigException e) {
                    continue; // a broken unit of something else is none of our business
                }
                if (unit.names(folder)) {
                    found.add(unit);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            found.sort(java.util.Comparator.comparing(SystemdUnit::name));
            throw new ConfigException(unitsDir + ": " + found.size() + " units run something in " + folder + " ("
                    + String.join(", ", found.stream().map(SystemdUnit::name).toList())
                    + "); name the Python agent's with --unit FILE");
        }
        return found.stream().findFirst();
    }
}
