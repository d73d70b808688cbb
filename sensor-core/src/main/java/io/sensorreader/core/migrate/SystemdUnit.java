package io.sensorreader.core.migrate;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a systemd service unit says about the process it starts: its {@code [Service]} section's
 * {@code Environment=} assignments (systemd's quoting: words split at white space, single or double
 * quotes around a word, C escapes, {@code %%} for a percent sign; an empty assignment resets the
 * list), its {@code EnvironmentFile=} files, {@code WorkingDirectory=} and {@code ExecStart=}.
 *
 * @param file the unit file
 * @param environment the variables its {@code Environment=} lines set, in order
 * @param environmentFiles its {@code EnvironmentFile=} files; a leading {@code -} (may be missing) is kept
 * @param workingDirectory its {@code WorkingDirectory=}, if any
 * @param execStart its {@code ExecStart=} command lines
 */
record SystemdUnit(Path file, Map<String, String> environment, List<String> environmentFiles,
                   Optional<String> workingDirectory, List<String> execStart) {

    /** The unit's name, e.g. {@code sensor-agent.service}. */
    String name() {
        return file.getFileName().toString();
    }

    /**
     * Reads a unit file.
     *
     * @throws ConfigException when it cannot be read, or an {@code Environment=} line cannot be parsed
     */
    static SystemdUnit read(Path file) {
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + "); expected a systemd unit file");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        List<String> exec = new ArrayList<>();
        String workingDirectory = null;
        String section = "";
        StringBuilder pending = null;
        int startLine = 0;
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            if (pending == null) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                    continue;
                }
                pending = new StringBuilder();
                startLine = i + 1;
            }
            // A line ending in a backslash continues on the next one (systemd.syntax(7)).
            String stripped = line.stripTrailing();
            if (stripped.endsWith("\\") && i + 1 < raw.size()) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String logical = pending.toString().strip();
            pending = null;
            if (logical.startsWith("[") && logical.endsWith("]")) {
                section = logical.substring(1, logical.length() - 1);
                continue;
            }
            int eq = logical.indexOf('=');
            if (eq <= 0 || !section.equals("Service")) {
                continue;
            }
            String key = logical.substring(0, eq).strip();
            String value = logical.substring(eq + 1).strip();
            switch (key) {
                case "Environment" -> {
                    if (value.isEmpty()) {
                        environment.clear();
                    }
                    for (String word : words(value, file, startLine)) {
                        int at = word.indexOf('=');
                        if (at <= 0) {
                            throw new ConfigException(file + ": line " + startLine + ": Environment= word '" + word
                                    + "' has no '='; expected NAME=VALUE");
                        }
                        environment.put(word.substring(0, at), word.substring(at + 1));
                    }
                }
                case "EnvironmentFile" -> {
                    if (value.isEmpty()) {
                        files.clear();
                    } else {
                        files.add(value);
                    }
                }
                case "WorkingDirectory" -> workingDirectory = value.isEmpty() ? null : value;
                case "ExecStart" -> exec.add(value);
                default -> {
                    // not about the environment
                }
            }
        }
        return new SystemdUnit(file, environment, List.copyOf(files), Optional.ofNullable(workingDirectory),
                List.copyOf(exec));
    }

    /** systemd's word splitting with quotes and C escapes (systemd.syntax(7), "Quoting"). */
    static List<String> words(String value, Path file, int line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                word.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'a' -> '\u0007';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'v' -> '\u000B';
                    case 's' -> ' ';
                    default -> next;
                });
            } else if (c == '%' && i + 1 < value.length() && value.charAt(i + 1) == '%') {
                word.append('%');
                i++;
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new ConfigException(file + ": line " + line + ": an Environment= value opens a " + quote
                    + " quote that is never closed; expected a closing " + quote);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Whether the unit runs something in {@code folder}: its working directory or a path in ExecStart= lies there. */
    boolean names(Path folder) {
        String dir = folder.toAbsolutePath().normalize().toString();
        if (workingDirectory.map(w -> w.replaceFirst("^[-!+@:]+", "")).map(w -> under(w, dir)).orElse(false)) {
            return true;
        }
        for (String command : execStart) {
            for (String word : command.split("\\s+")) {
                if (under(word.replaceFirst("^[-!+@:|]+", ""), dir)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean under(String path, String dir) {
        if (!path.startsWith("/")) {
            return false;
        }
        String normal = Path.of(path).normalize().toString();
        return normal.equals(dir) || normal.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }
}
