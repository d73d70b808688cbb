package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader of settings files ({@code .env}, {@code /etc/sensor-reader/sensor-reader.env}),
 * with python-dotenv's rules, so that a file means to this agent what it meant to the Python agent:
 * <ul>
 *   <li>{@code KEY=VALUE}, spaces around {@code =} allowed, an optional {@code export } in front;</li>
 *   <li>unquoted values end at the line's end, a {@code #} after white space starts a comment
 *       ({@code a#b} stays {@code a#b}), surrounding white space is dropped;</li>
 *   <li>{@code 'single'} quotes keep everything literally but {@code \\} and {@code \'};</li>
 *   <li>{@code "double"} quotes decode {@code \\ \' \" \a \b \f \n \r \t \v} (any other backslash
 *       stays as it is);</li>
 *   <li>quoted values may span lines; after the closing quote only a comment may follow;</li>
 *   <li>full-line comments, blank lines and a UTF-8 byte-order mark are skipped;</li>
 *   <li>a key without {@code =} sets nothing (python-dotenv gives it no value).</li>
 * </ul>
 * Where python-dotenv only warns and skips a line it cannot parse (an unterminated quote, text
 * after a closing quote, a line without a key), this reader refuses the file, naming it and the
 * line: a setting silently lost is worse than a clear error. {@code ${VAR}} interpolation is not
 * done.
 */
public final class DotEnv {

    /**
     * One setting as it stands in the file.
     *
     * @param key the name, e.g. {@code SENSOR_READER_DEVICE_ID}
     * @param value the decoded value
     * @param firstLine the 1-based line it starts on
     * @param lastLine the line it ends on (later than {@code firstLine} for a multi-line value)
     */
    public record Entry(String key, String value, int firstLine, int lastLine) {
    }

    private final String text;
    private final String label;
    private int pos;
    private int line = 1;
    private int statement;

    private DotEnv(String text, String label) {
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.label = label;
    }

    /**
     * Reads a settings file; a missing file is an empty one. Messages name the file by its path.
     *
     * @return the keys and values in file order; a key given twice keeps its last value
     * @throws ConfigException when the file exists but cannot be read, or a line cannot be parsed
     */
    public static Map<String, String> read(Path file) {
        return read(file, file.toString());
    }

    /**
     * Like {@link #read(Path)}, naming the file {@code label} in messages (e.g. {@code .env}).
     */
    public static Map<String, String> read(Path file, String label) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Entry entry : entries(file, label)) {
            values.put(entry.key(), entry.value());
        }
        return values;
    }

    /**
     * The settings of a file with the lines they stand on; a missing file has none.
     *
     * @throws ConfigException as {@link #read(Path)}
     */
    public static List<Entry> entries(Path file, String label) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot be read (" + e.getMessage()
                    + "); expected a readable UTF-8 text file of KEY=VALUE lines", e);
        }
        return parse(content, label);
    }

    /**
     * Parses the text of a settings file.
     *
     * @param label the file's name for messages
     * @throws ConfigException naming the label and the line of the first line that cannot be parsed
     */
    public static List<Entry> parse(String text, String label) {
        return new DotEnv(text, label).all();
    }

    /**
     * Writes a value so that {@link #parse} (and python-dotenv) read it back unchanged: bare when it
     * is plain, otherwise in single quotes, or in double quotes with escapes when it holds a single
     * quote or a line break.
     */
    public static String quote(String value) {
        if (!value.isEmpty() && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || "_-.,:/@+%=".indexOf(c) >= 0)) {
            return value;
        }
        if (value.indexOf('\'') < 0 && value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return "'" + value + "'";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        while (pos < text.length()) {
            int start = line;
            statement = pos;
            skipBlanks();
            if (atLineEnd()) {
                nextLine();
                continue;
            }
            if (peek() == '#') {
                skipToLineEnd();
                nextLine();
                continue;
            }
            if (text.startsWith("export", pos) && pos + 6 < text.length() && isBlank(text.charAt(pos + 6))) {
                pos += 6;
                skipBlanks();
            }
            String key = key(start);
            skipBlanks();
            if (atLineEnd() || peek() == '#') {
                // python-dotenv: a key without '=' has no value, and load_dotenv sets nothing
                skipToLineEnd();
                nextLine();
                continue;
            }
            if (peek() != '=') {
                throw unparsable(start);
            }
            pos++;
            skipBlanks();
            String value;
            if (!atLineEnd() && (peek() == '\'' || peek() == '"')) {
                value = quoted(key, start);
                skipBlanks();
                if (!atLineEnd() && peek() != '#') {
                    throw new ConfigException(label + ": line " + line + ": " + key + " has text after its closing quote ('"
                            + restOfLine().strip() + "'); expected only a # comment there");
                }
                skipToLineEnd();
            } else {
                value = unquoted();
            }
            entries.add(new Entry(key, value, start, line));
            nextLine();
        }
        return entries;
    }

    private String key(int start) {
        if (!atLineEnd() && peek() == '\'') {
            int end = text.indexOf('\'', pos + 1);
            int eol = lineEnd();
            if (end < 0 || end > eol) {
                throw unparsable(start);
            }
            String key = text.substring(pos + 1, end);
            pos = end + 1;
            return key;
        }
        int from = pos;
        while (pos < text.length() && !isBlank(peek()) && peek() != '=' && peek() != '#' && peek() != '\n'
                && peek() != '\r') {
            pos++;
        }
        if (pos == from) {
            throw unparsable(start);
        }
        return text.substring(from, pos);
    }

    private String quoted(String key, int start) {
        char quote = text.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new ConfigException(label + ": line " + start + ": the value of " + key + " opens a " + quote
                        + " quote that is never closed; expected a closing " + quote);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return value.toString();
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\' && pos < text.length()) {
                char next = text.charAt(pos);
                String decoded = quote == '\'' ? single(next) : escape(next);
                if (decoded != null) {
                    value.append(decoded);
                    pos++;
                    continue;
                }
            }
            value.append(c);
        }
    }

    private static String single(char c) {
        return c == '\\' || c == '\'' ? String.valueOf(c) : null;
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\', '\'', '"' -> String.valueOf(c);
            case 'a' -> "\u0007";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\u000B";
            default -> null;
        };
    }

    private String unquoted() {
        String raw = restOfLine();
        pos = lineEnd();
        // python-dotenv: re.sub(r"\s+#.*", "", value).rstrip()
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                raw = raw.substring(0, i);
                break;
            }
        }
        return raw.strip();
    }

    private ConfigException unparsable(int start) {
        int to = statement;
        while (to < text.length() && text.charAt(to) != '\n' && text.charAt(to) != '\r') {
            to++;
        }
        String shown = text.substring(statement, to).strip();
        return new ConfigException(label + ": line " + start + " is '" + shown + "'; expected KEY=VALUE");
    }

    private char peek() {
        return text.charAt(pos);
    }

    private boolean atLineEnd() {
        return pos >= text.length() || peek() == '\n' || peek() == '\r';
    }

    private int lineEnd() {
        int end = pos;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    private String restOfLine() {
        return text.substring(pos, lineEnd());
    }

    private void skipToLineEnd() {
        pos = lineEnd();
    }

    private void nextLine() {
        if (pos < text.length() && peek() == '\r') {
            pos++;
        }
        if (pos < text.length() && peek() == '\n') {
            pos++;
        }
        line++;
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(peek())) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B';
    }
}
