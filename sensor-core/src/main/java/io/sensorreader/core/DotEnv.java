package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file as python-dotenv does for the Python agent: {@code KEY=VALUE} lines,
 * {@code #} comments, an optional {@code export } in front, values in single or double quotes.
 * A missing file is an empty one.
 */
final class DotEnv {

    private DotEnv() {
    }

    /**
     * @return the keys and values in file order
     * @throws ConfigException when the file exists but cannot be read, or a line has no {@code =}
     */
    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException(file.getFileName() + ": cannot be read (" + e.getMessage()
                    + "); expected a readable text file of KEY=VALUE lines", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(file.getFileName() + ": line " + number + " is '" + raw.strip()
                        + "'; expected KEY=VALUE");
            }
            values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.indexOf(first, 1) > 0) {
                String inner = value.substring(1, value.indexOf(first, 1));
                return first == '"' ? inner.replace("\\n", "\n") : inner;
            }
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }
}
