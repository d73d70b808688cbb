package io.sensorreader.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the collector's small JSON answers ({@code {"message": ...}}, {@code {"error": ...}}, a
 * registration's token) without a JSON library: the steady path of the agent then loads no Jackson
 * for its answers (about 7.7 MB of class metadata in issue 15's measurement). Strict RFC 8259:
 * anything that is not one JSON value with only whitespace around it is not JSON. Hostile input
 * cannot overflow the stack (nesting is capped at {@value #MAX_DEPTH}) and costs time linear in
 * its length, which the client already bounds.
 *
 * <p>Objects become a {@code Map<String, Object>} (the last of duplicate keys wins), arrays a
 * {@code List<Object>}, strings a {@code String}, numbers a {@link Num} holding their text, {@code
 * true}/{@code false} a {@code Boolean}, {@code null} a Java {@code null}.
 */
final class AnswerJson {

    static final int MAX_DEPTH = 64;

    /** A JSON number, kept as written ({@code 17}, {@code -2.5e3}). */
    record Num(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final String s;
    private int i;

    private AnswerJson(String s) {
        this.s = s;
    }

    /** The body as a JSON object; empty when it is anything else (HTML, garbage, an array, cut short). */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> object(byte[] body) {
        AnswerJson p = new AnswerJson(new String(body, StandardCharsets.UTF_8));
        try {
            p.space();
            if (p.i >= p.s.length() || p.s.charAt(p.i) != '{') {
                return Optional.empty();
            }
            Object value = p.value(0);
            p.space();
            return p.i == p.s.length() ? Optional.of((Map<String, Object>) value) : Optional.empty();
        } catch (NotJson e) {
            return Optional.empty();
        }
    }

    /** The text of a string member; empty when absent or not a string. */
    static Optional<String> text(Map<String, Object> object, String key) {
        return object.get(key) instanceof String t ? Optional.of(t) : Optional.empty();
    }

    private Object value(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new NotJson();
        }
        space();
        if (i >= s.length()) {
            throw new NotJson();
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        i++; // {
        space();
        if (peek() == '}') {
            i++;
            return members;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw new NotJson();
            }
            String key = string();
            space();
            expect(':');
            members.put(key, value(depth + 1));
            space();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw new NotJson();
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> items = new ArrayList<>();
        i++; // [
        space();
        if (peek() == ']') {
            i++;
            return items;
        }
        while (true) {
            items.add(value(depth + 1));
            space();
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw new NotJson();
            }
        }
    }

    private String string() {
        i++; // "
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new NotJson();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw new NotJson();
                    }
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i++), 16);
                        if (d < 0) {
                            throw new NotJson();
                        }
                        code = code * 16 + d;
                    }
                    out.append((char) code);
                }
                default -> throw new NotJson();
            }
        }
    }

    private Num number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (digits() == 0) {
            throw new NotJson();
        }
        if (peek() == '.') {
            i++;
            if (digits() == 0) {
                throw new NotJson();
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (digits() == 0) {
                throw new NotJson();
            }
        }
        return new Num(s.substring(start, i));
    }

    private int digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - start;
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, i)) {
            throw new NotJson();
        }
        i += word.length();
        return value;
    }

    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
        if (i >= s.length()) {
            throw new NotJson();
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new NotJson();
        }
    }

    /** Thrown inside the parser only; cheap (no stack trace). */
    private static final class NotJson extends RuntimeException {
        NotJson() {
            super(null, null, false, false);
        }
    }
}
