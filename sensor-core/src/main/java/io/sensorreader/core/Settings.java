package io.sensorreader.core;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@code SENSOR_READER_*} settings, with the Python agent's names and defaults.
 *
 * <p>Precedence: command-line flags over environment variables over the {@code .env} file in the
 * working directory over defaults. Every value is checked at once; all problems are reported
 * together as {@link ConfigProblems}. Keys this class does not know are kept, not refused: other
 * components read them from {@link #view()}.
 *
 * <p>Immutable. {@link #toString()} never shows the token.
 */
public final class Settings {

    /** The prefix of every environment variable and {@code .env} key. */
    public static final String PREFIX = "SENSOR_READER_";

    /** Where a value came from, as named in messages. */
    static final String DOT_ENV = ".env";
    static final String ENVIRONMENT = "environment";
    static final String COMMAND_LINE = "command line";

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    /** The keys this class reads; anything else is passed on untouched. */
    static final Set<String> KNOWN = Set.of("DEVICE_ID", "DESCRIPTION", "COLLECTOR_HOST", "TOKEN", "DEVICE_TYPE",
            "LIVE_SENSORS_ENABLED", "REPO_REFRESHER_ENABLED", "REPO_CHECK_INTERVAL_MINUTES", "REPO_BRANCH",
            "GITHUB_APP_ID", "GITHUB_APP_PEM_PATH", "GITHUB_REPO_OWNER", "GITHUB_REPO_NAME", "INTERVAL_SECONDS",
            "DATA_DIR", "SENSOR_CONFIG", "PLUGINS_DIR", "LOG_LEVEL", "EXPORTERS");

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final PluginConfig view;
    private final Map<String, String> origins;
    private final String deviceId;
    private final String description;
    private final URI collectorHost;
    private final Optional<Secret> token;
    private final Duration interval;
    private final Path workingDir;
    private final Path dataDir;
    private final Path sensorConfig;
    private final String sensorConfigName;
    private final Path pluginsDir;
    private final String logLevel;
    private final List<String> exporters;
    private final boolean refresher;
    private final Duration updateInterval;

    /** The longest {@code REPO_CHECK_INTERVAL_MINUTES}: a week. */
    static final int MAX_CHECK_MINUTES = 7 * 24 * 60;

    private Settings(Map<String, Object> values, Map<String, String> origins, Path workingDir, String hostName) {
        Map<String, Object> shown = new LinkedHashMap<>(values);
        shown.remove("TOKEN");
        this.view = new MapConfig("", PREFIX, shown, origins);
        this.origins = Map.copyOf(origins);
        PluginConfig all = new MapConfig("", PREFIX, values, origins);
        List<String> problems = new ArrayList<>();
        this.workingDir = workingDir;

        this.deviceId = all.getString("DEVICE_ID", hostName);
        this.description = all.getString("DESCRIPTION", "Sensor reader on " + hostName);
        this.collectorHost = check(problems, () -> url(all, "COLLECTOR_HOST"), null);
        this.token = all.has("TOKEN") ? Optional.of(Secret.of(all.requireString("TOKEN"))) : Optional.empty();
        this.interval = Duration.ofSeconds(check(problems,
                () -> all.getInt("INTERVAL_SECONDS", 5, 1, Integer.MAX_VALUE, "whole seconds, at least 1"), 5));
        this.dataDir = check(problems, () -> path(all, "DATA_DIR", "."), workingDir);
        this.sensorConfigName = all.getString("SENSOR_CONFIG", "sensor_config.yaml");
        this.sensorConfig = check(problems, () -> path(all, "SENSOR_CONFIG", "sensor_config.yaml"), workingDir);
        this.pluginsDir = check(problems, () -> path(all, "PLUGINS_DIR", "plugins"), workingDir);
        this.logLevel = check(problems, () -> level(all), "INFO");
        this.exporters = check(problems, () -> {
            List<String> names = all.getList("EXPORTERS");
            if (all.has("EXPORTERS") && names.isEmpty()) {
                throw all.invalid("EXPORTERS", "a comma-separated list of exporter names, e.g. http or http,log");
            }
            return names.isEmpty() ? List.of("http") : names;
        }, List.of("http"));
        check(problems, () -> all.getBoolean("LIVE_SENSORS_ENABLED", false), false);
        this.refresher = check(problems, () -> all.getBoolean("REPO_REFRESHER_ENABLED", false), false);
        this.updateInterval = Duration.ofMinutes(check(problems, () -> all.getInt("REPO_CHECK_INTERVAL_MINUTES", 30, 1,
                MAX_CHECK_MINUTES, "whole minutes from 1 to " + MAX_CHECK_MINUTES + " (a week)"), 30));
        if (!problems.isEmpty()) {
            throw new ConfigProblems(problems);
        }
    }

    /**
     * Reads the settings.
     *
     * @param environment the process environment; only {@code SENSOR_READER_*} entries are read
     * @param commandLine values given as flags, by key without prefix (e.g. {@code INTERVAL_SECONDS})
     * @param workingDir where {@code .env} is looked for and relative paths resolve
     * @param hostName the default device id
     * @throws ConfigProblems listing every bad value
     */
    public static Settings load(Map<String, String> environment, Map<String, String> commandLine, Path workingDir,
                                String hostName) {
        Path dir = workingDir.toAbsolutePath().normalize();
        // SENSOR_READER_ENV_FILE names another file in the .env format (the package's
        // /etc/sensor-reader/sensor-reader.env); only the environment can set it.
        String envFile = environment.get(PREFIX + "ENV_FILE");
        boolean named = envFile != null && !envFile.isBlank();
        Path dotEnvFile = named ? dir.resolve(envFile.strip()) : dir.resolve(DOT_ENV);
        if (named && !java.nio.file.Files.isReadable(dotEnvFile)) {
            throw new ConfigProblems(List.of(ENVIRONMENT + ": " + PREFIX + "ENV_FILE is '" + envFile
                    + "'; expected a readable file of SENSOR_READER_* settings"));
        }
        Map<String, String> dotEnv;
        try {
            dotEnv = DotEnv.read(dotEnvFile, named ? dotEnvFile.toString() : DOT_ENV);
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
        return load(environment, dotEnv, named ? dotEnvFile.toString() : DOT_ENV, commandLine, dir, hostName);
    }

    /**
     * Reads the settings with the settings file's values already at hand (e.g. a file about to be
     * written, checked first).
     *
     * @param fileValues the settings file's keys and values, {@code SENSOR_READER_} prefix included
     * @param fileLabel how messages name the file
     * @throws ConfigProblems listing every bad value
     */
    public static Settings load(Map<String, String> environment, Map<String, String> fileValues, String fileLabel,
                                Map<String, String> commandLine, Path workingDir, String hostName) {
        Path dir = workingDir.toAbsolutePath().normalize();
        Map<String, Object> values = new LinkedHashMap<>(defaults(hostName));
        Map<String, String> origins = new LinkedHashMap<>();
        layer(values, origins, fileValues, fileLabel, true);
        layer(values, origins, environment, ENVIRONMENT, true);
        layer(values, origins, commandLine, COMMAND_LINE, false);
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            LOG.debug("settings not read by the core, passed on to plugins: {}", unknown);
        }
        return new Settings(values, origins, dir, hostName);
    }

    /** The defaults the Python agent had, plus ours. */
    static Map<String, Object> defaults(String hostName) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("DEVICE_ID", hostName);
        d.put("DESCRIPTION", "Sensor reader on " + hostName);
        d.put("COLLECTOR_HOST", "http://localhost:3000");
        d.put("DEVICE_TYPE", "raspberry_pi_4");
        d.put("LIVE_SENSORS_ENABLED", "false");
        d.put("REPO_REFRESHER_ENABLED", "false");
        d.put("REPO_CHECK_INTERVAL_MINUTES", "30");
        d.put("REPO_BRANCH", "main");
        d.put("INTERVAL_SECONDS", "5");
        d.put("SENSOR_CONFIG", "sensor_config.yaml");
        // The distribution's own plugins folder (the launcher passes -Dsensor.reader.home); the
        // package's settings file names /var/lib/sensor-reader/plugins instead.
        String home = System.getProperty(Updates.HOME_PROPERTY);
        d.put("PLUGINS_DIR", home == null || home.isBlank() ? "plugins" : Path.of(home, "plugins").toString());
        d.put("LOG_LEVEL", "INFO");
        d.put("EXPORTERS", "http");
        return d;
    }

    /** This machine's host name, the default device id; {@code sensor-reader} if none can be found. */
    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux; ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "sensor-reader";
        }
    }

    private static void layer(Map<String, Object> values, Map<String, String> origins, Map<String, String> layer,
                              String origin, boolean prefixed) {
        layer.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            String name = key;
            if (prefixed) {
                if (!key.startsWith(PREFIX)) {
                    return;
                }
                name = key.substring(PREFIX.length());
            }
            values.put(name, value);
            origins.put(name, origin);
        });
    }

    private interface Check<T> {
        T get();
    }

    private static <T> T check(List<String> problems, Check<T> check, T fallback) {
        try {
            return check.get();
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static URI url(PluginConfig all, String key) {
        String text = all.getString(key, "http://localhost:3000");
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw all.invalid(key, "an http:// or https:// URL with a host, e.g. http://collector.example:3000");
    }

    private Path path(PluginConfig all, String key, String fallback) {
        try {
            return workingDir.resolve(all.getString(key, fallback)).normalize();
        } catch (InvalidPathException e) {
            throw all.invalid(key, "a path to a folder or file");
        }
    }

    private static String level(PluginConfig all) {
        String level = all.getString("LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT);
        level = switch (level) {
            case "WARNING" -> "WARN";
            case "CRITICAL", "FATAL" -> "ERROR";
            default -> level;
        };
        if (!LEVELS.contains(level)) {
            throw all.invalid("LOG_LEVEL", "one of " + String.join(", ", LEVELS));
        }
        return level;
    }

    /**
     * Every setting (defaults included, the token left out) as a plugin sees it; error messages name
     * keys with their {@code SENSOR_READER_} prefix and where the value came from.
     */
    public PluginConfig view() {
        return view;
    }

    /** The keys (without prefix) set by flags, environment or {@code .env}, each with where it came from. */
    Map<String, String> given() {
        return origins;
    }

    /** Where a key's value came from: {@code .env}, {@code environment}, {@code command line}, or {@code default}. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** {@code SENSOR_READER_REPO_REFRESHER_ENABLED}: whether {@code run} updates itself. */
    public boolean refresherEnabled() {
        return refresher;
    }

    /** {@code SENSOR_READER_REPO_CHECK_INTERVAL_MINUTES}, 1 to 10080. */
    public Duration updateInterval() {
        return updateInterval;
    }

    /** {@code SENSOR_READER_DEVICE_ID}; default the host name. */
    public String deviceId() {
        return deviceId;
    }

    /** {@code SENSOR_READER_DESCRIPTION}; default {@code Sensor reader on <host>}. */
    public String description() {
        return description;
    }

    /** {@code SENSOR_READER_COLLECTOR_HOST}; default {@code http://localhost:3000}. */
    public URI collectorHost() {
        return collectorHost;
    }

    /** {@code SENSOR_READER_TOKEN}, if set. */
    public Optional<Secret> token() {
        return token;
    }

    /** {@code SENSOR_READER_INTERVAL_SECONDS}; default 5 s. */
    public Duration interval() {
        return interval;
    }

    /** The folder relative paths resolve against, and where {@code .env} was looked for. */
    public Path workingDir() {
        return workingDir;
    }

    /** {@code SENSOR_READER_DATA_DIR}, absolute; default the working directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** {@code SENSOR_READER_SENSOR_CONFIG}, absolute; default {@code sensor_config.yaml}. */
    public Path sensorConfig() {
        return sensorConfig;
    }

    /** The sensor file's name as the operator gave it, for messages. */
    public String sensorConfigName() {
        return sensorConfigName;
    }

    /** {@code SENSOR_READER_PLUGINS_DIR}, absolute; default {@code plugins}. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** {@code SENSOR_READER_LOG_LEVEL}: one of TRACE, DEBUG, INFO, WARN, ERROR; default INFO. */
    public String logLevel() {
        return logLevel;
    }

    /** {@code SENSOR_READER_EXPORTERS}: the first is the primary one, the others are taps; default {@code http}. */
    public List<String> exporters() {
        return exporters;
    }

    @Override
    public String toString() {
        return "Settings[deviceId=" + deviceId + ", collectorHost=" + collectorHost + ", token="
                + token.map(Secret::toString).orElse("none") + ", interval=" + interval + ", dataDir=" + dataDir
                + ", sensorConfig=" + sensorConfig + ", pluginsDir=" + pluginsDir + ", exporters=" + exporters + "]";
    }
}
