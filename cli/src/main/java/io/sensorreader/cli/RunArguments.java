package io.sensorreader.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run}'s arguments read without picocli, for the daemon's start: picocli's model of the
 * command tree (reflection, annotation proxies, about 170 classes) cost about 0.3 s of start-up and
 * 2.2 MB of resident memory that a running agent never needs again (issue 15). Only the plain
 * forms are read here ({@code --once}, {@code --dry-run}, {@code --data-dir DIR} or {@code
 * --data-dir=DIR}, and the other shared options, each at most once); anything else ({@code
 * --help}, {@code --version}, a typo, a repeated option) goes to picocli, which answers it as
 * before. The result is what picocli would have parsed: {@link SharedOptions} and these flags.
 */
record RunArguments(Map<String, String> overrides, boolean once, boolean dryRun) {

    /** Option name to settings key; the path options are normalised as picocli's Path conversion does. */
    private static final Map<String, String> VALUED = Map.of(
            "--data-dir", "DATA_DIR", "--sensor-config", "SENSOR_CONFIG", "--plugins-dir", "PLUGINS_DIR",
            "--log-level", "LOG_LEVEL", "--interval", "INTERVAL_SECONDS");
    /** The order SharedOptions.overrides() puts them in. */
    private static final String[] ORDER = {"DATA_DIR", "SENSOR_CONFIG", "PLUGINS_DIR", "LOG_LEVEL", "INTERVAL_SECONDS"};

    /** The arguments of {@code run ...}; empty when they are not {@code run} or not in the plain forms. */
    static Optional<RunArguments> parse(String[] args) {
        if (args.length == 0 || !args[0].equals("run")) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean once = false;
        boolean dryRun = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--once") && !once) {
                once = true;
                continue;
            }
            if (a.equals("--dry-run") && !dryRun) {
                dryRun = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            String key = VALUED.get(name);
            if (key == null || values.containsKey(key)) {
                return Optional.empty();
            }
            String value;
            if (eq > 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (key.endsWith("_DIR") || key.equals("SENSOR_CONFIG")) {
                try {
                    value = Path.of(value).toString();
                } catch (InvalidPathException e) {
                    return Optional.empty();
                }
            }
            values.put(key, value);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : ORDER) {
            if (values.containsKey(key)) {
                ordered.put(key, values.get(key));
            }
        }
        return Optional.of(new RunArguments(ordered, once, dryRun));
    }
}
