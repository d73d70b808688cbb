package io.sensorreader.api.agent;

import io.sensorreader.api.Batch;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format: batches as the collector's request bodies, written in exactly one place.
 * Hand-written so that the SPI stays free of dependencies. Spacing and numbers are Python's
 * {@code json.dumps} defaults ({@code ", "} and {@code ": "}, {@code repr} of floats, non-ASCII
 * escaped), as the Python agent sent, so the bytes are the same whichever agent sent them.
 *
 * <p>It also reads them back ({@link #readSensorBatch}, {@link #readDeviceStatus}, {@link #parse}):
 * the spool stores request bodies and turns them into batches again, including those the Python
 * agent wrote. Reading is strict about structure and bounded (depth, size), so damaged or hostile
 * text gives a {@link MalformedException}, never a crash or a hang.
 *
 * <p>Part of the agent's own seams (exporters and spools of the agent use it), not third-party API.
 * Thread-safe: no state.
 */
public final class WireFormat {

    private WireFormat() {
    }

    /** The exact request body of a batch. */
    public static String write(Batch batch) {
        StringBuilder out = new StringBuilder(256);
        switch (batch) {
            case SensorBatch b -> {
                out.append('[');
                boolean first = true;
                for (Reading r : b.readings()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    reading(out, r);
                }
                out.append(']');
            }
            case DeviceStatus s -> {
                out.append("{\"timestamp\": ").append(s.timestamp()).append(", \"metrics\": ");
                value(out, s.metrics());
                out.append('}');
            }
        }
        return out.toString();
    }

    /** The registration body {@code {"id": "...", "description": "..."}}, in the same spacing and escaping. */
    public static String registration(String deviceId, String description) {
        StringBuilder out = new StringBuilder(64);
        out.append("{\"id\": ");
        string(out, deviceId);
        out.append(", \"description\": ");
        string(out, description);
        return out.append('}').toString();
    }

    private static void reading(StringBuilder out, Reading r) {
        out.append("{\"id\": ");
        string(out, r.sensorId());
        out.append(", \"description\": ");
        string(out, r.wireDescription());
        out.append(", \"value\": ");
        number(out, r.value());
        out.append(", \"timestamp\": ").append(r.timestamp());
        if (r.unit() != null) {
            out.append(", \"unit\": ");
            string(out, r.unit());
        }
        for (Map.Entry<String, Object> e : r.extras().entrySet()) {
            if (e.getKey().equals("id") || e.getKey().equals("description") || e.getKey().equals("value")
                    || e.getKey().equals("timestamp") || e.getKey().equals("unit")) {
                continue;
            }
            out.append(", ");
            string(out, e.getKey());
            out.append(": ");
            value(out, e.getValue());
        }
        out.append('}');
    }

    /**
     * Appends any JSON value: {@code null}, strings, booleans, numbers, maps (as objects, keys as
     * strings) and collections (as arrays); anything else as its string.
     */
    public static void value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Double d -> number(out, d);
            case Float f -> number(out, f.doubleValue());
            case Number n -> out.append(n.longValue());
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(": ");
                    value(out, e.getValue());
                }
                out.append('}');
            }
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    value(out, o);
                }
                out.append(']');
            }
            default -> string(out, v.toString());
        }
    }

    /**
     * Appends a double as Python's {@code repr} prints it: the shortest digits that read back to
     * the same double, in plain notation for decimal exponents -4 to 15 (always with a fraction,
     * {@code 5.0}, {@code 123456789012.5}) and as {@code 1.5e-07} or {@code 1e+16} outside that
     * range. Non-finite values, which JSON cannot carry, are written as {@code null}.
     */
    public static void number(StringBuilder out, double d) {
        if (!Double.isFinite(d)) {
            out.append("null");
            return;
        }
        String shortest = Double.toString(d);
        if (shortest.indexOf('E') < 0) {
            // Java prints plain notation for 1e-3 <= |d| < 1e7, where Python does too, with the same digits.
            out.append(shortest);
            return;
        }
        BigDecimal exact = new BigDecimal(shortest).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        if (d < 0) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.abs().toPlainString();
            out.append(plain);
            if (plain.indexOf('.') < 0) {
                out.append(".0");
            }
            return;
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            out.append('0');
        }
        out.append(abs);
    }

    /** Appends a JSON string, escaping as Python's {@code json.dumps} does (non-ASCII as six-character escapes). */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        // Python's json.dumps escapes everything outside printable ASCII (ensure_ascii).
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
    // ---- reading --------------------------------------------------------------------------------

    /** The deepest nesting {@link #parse} accepts; request bodies nest three levels. */
    public static final int MAX_DEPTH = 64;

    /** Text that is not the JSON (or not the batch) expected; the message says what and where. */
    public static final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Parses one JSON value into plain Java values: {@code null}, {@link String}, {@link Boolean},
     * {@link Long} (integers that fit), {@link Double} (any other number), {@link LinkedHashMap}
     * (objects, in order; a repeated key keeps the last value) and {@link ArrayList}. {@link #value}
     * writes such values back as the same bytes when they were written by {@link #write}.
     */
    public static Object parse(CharSequence text) throws MalformedException {
        Parser p = new Parser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.pos != text.length()) {
            throw p.fail("unexpected text after the value");
        }
        return v;
    }

    /**
     * Reads a sensor batch's request body back: an array of readings, each with {@code id},
     * {@code description} ({@code "<Type>: <text>"}, split at the first colon, one space after it
     * dropped), a numeric {@code value}, a {@code timestamp} (whole or fractional seconds, floored),
     * an optional {@code unit} and any other field as an extra, in order.
     *
     * @param fallbackTimestamp the batch's time when it has no reading
     */
    public static SensorBatch readSensorBatch(CharSequence body, long fallbackTimestamp) throws MalformedException {
        return sensorBatch(parse(body), fallbackTimestamp);
    }

    /** Reads a device status's request body back: {@code {"timestamp": <secs>, "metrics": {…}}}. */
    public static DeviceStatus readDeviceStatus(CharSequence body) throws MalformedException {
        return deviceStatus(parse(body));
    }

    /** {@link #readSensorBatch} for a value {@link #parse} returned. */
    public static SensorBatch sensorBatch(Object payload, long fallbackTimestamp) throws MalformedException {
        if (!(payload instanceof List<?> list)) {
            throw new MalformedException("a sensor batch must be a JSON array, was " + typeOf(payload));
        }
        List<Reading> readings = new ArrayList<>(list.size());
        for (Object element : list) {
            readings.add(reading(element, readings.size()));
        }
        long timestamp = readings.isEmpty() ? Math.max(0, fallbackTimestamp) : readings.get(0).timestamp();
        return new SensorBatch(timestamp, readings);
    }

    /** {@link #readDeviceStatus} for a value {@link #parse} returned. */
    @SuppressWarnings("unchecked")
    public static DeviceStatus deviceStatus(Object payload) throws MalformedException {
        if (!(payload instanceof Map<?, ?> map)) {
            throw new MalformedException("a device status must be a JSON object, was " + typeOf(payload));
        }
        Object timestamp = map.get("timestamp");
        if (!(timestamp instanceof Number n)) {
            throw new MalformedException("device status has no numeric timestamp");
        }
        Object metrics = map.get("metrics");
        if (!(metrics instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new MalformedException("device status has no metrics");
        }
        return new DeviceStatus(seconds(n), (Map<String, Object>) m);
    }

    private static Reading reading(Object element, int index) throws MalformedException {
        String where = "reading " + index;
        if (!(element instanceof Map<?, ?> r)) {
            throw new MalformedException(where + " is not a JSON object");
        }
        Object id = r.get("id");
        if (id == null || id instanceof Map || id instanceof List || id.toString().isBlank()) {
            throw new MalformedException(where + " has no id");
        }
        String sensorId = id.toString();
        where = "reading '" + sensorId + "'";
        if (!(r.get("description") instanceof String text)) {
            throw new MalformedException(where + " has no description");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new MalformedException(where + ": description '" + text + "' does not start with '<Type>:'");
        }
        String type = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        if (rest.startsWith(" ")) {
            rest = rest.substring(1);
        }
        if (!(r.get("value") instanceof Number value) || !Double.isFinite(value.doubleValue())) {
            throw new MalformedException(where + " has no numeric value");
        }
        if (!(r.get("timestamp") instanceof Number timestamp)) {
            throw new MalformedException(where + " has no numeric timestamp");
        }
        Object unit = r.get("unit");
        Map<String, Object> extras = new LinkedHashMap<>();
        for (Map.Entry<?, ?> field : r.entrySet()) {
            String k = (String) field.getKey();
            if (!k.equals("id") && !k.equals("description") && !k.equals("value") && !k.equals("timestamp")
                    && !k.equals("unit")) {
                extras.put(k, field.getValue());
            }
        }
        try {
            return new Reading(sensorId, type, rest, value.doubleValue(), unit == null ? null : unit.toString(),
                    seconds(timestamp), extras);
        } catch (RuntimeException e) {
            throw new MalformedException(where + ": " + e.getMessage());
        }
    }

    private static long seconds(Number n) {
        return n instanceof Long l ? l : (long) Math.floor(n.doubleValue());
    }

    private static String typeOf(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case Map<?, ?> m -> "an object";
            default -> "an array";
        };
    }

    /** A recursive-descent JSON parser over one text; iterative where input size could hurt. */
    private static final class Parser {
        private final CharSequence s;
        private int pos;

        Parser(CharSequence s) {
            this.s = s;
        }

        MalformedException fail(String what) {
            return new MalformedException("not JSON: " + what + " at offset " + pos);
        }

        void space() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) throws MalformedException {
            if (depth > MAX_DEPTH) {
                throw fail("nested deeper than " + MAX_DEPTH);
            }
            if (pos >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{' -> {
                    pos++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    space();
                    if (peek() == '}') {
                        pos++;
                        return map;
                    }
                    while (true) {
                        space();
                        if (peek() != '"') {
                            throw fail("expected a string key");
                        }
                        String key = string();
                        space();
                        expect(':');
                        space();
                        map.put(key, value(depth + 1));
                        space();
                        char next = peek();
                        pos++;
                        if (next == '}') {
                            return map;
                        }
                        if (next != ',') {
                            pos--;
                            throw fail("expected ',' or '}'");
                        }
                    }
                }
                case '[' -> {
                    pos++;
                    List<Object> list = new ArrayList<>();
                    space();
                    if (peek() == ']') {
                        pos++;
                        return list;
                    }
                    while (true) {
                        space();
                        list.add(value(depth + 1));
                        space();
                        char next = peek();
                        pos++;
                        if (next == ']') {
                            return list;
                        }
                        if (next != ',') {
                            pos--;
                            throw fail("expected ',' or ']'");
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    if (c == 'N' || c == 'I') {
                        throw fail("NaN and Infinity are not JSON");
                    }
                    throw fail("unexpected character '" + printable(c) + "'");
                }
            }
        }

        private char peek() throws MalformedException {
            if (pos >= s.length()) {
                throw fail("unexpected end");
            }
            return s.charAt(pos);
        }

        private void expect(char c) throws MalformedException {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private void word(String w) throws MalformedException {
            int start = pos;
            for (int i = 0; i < w.length(); i++) {
                if (pos >= s.length() || s.charAt(pos) != w.charAt(i)) {
                    pos = start;
                    throw fail("unexpected character '" + printable(s.charAt(start)) + "'");
                }
                pos++;
            }
        }

        private String string() throws MalformedException {
            pos++; // the opening quote
            int start = pos;
            // Fast path: no escapes.
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    String plain = s.subSequence(start, pos).toString();
                    pos++;
                    return plain;
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder out = new StringBuilder(pos - start + 16).append(s, start, pos);
            while (true) {
                if (pos >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw fail("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw fail("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw fail("short \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) {
                                pos--;
                                throw fail("bad hex digit in a \\u escape");
                            }
                            code = code * 16 + d;
                        }
                        out.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw fail("bad escape '\\" + printable(e) + "'");
                    }
                }
            }
        }

        private Object number() throws MalformedException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            int intStart = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == intStart) {
                throw fail("a number needs digits");
            }
            if (s.charAt(intStart) == '0' && pos - intStart > 1) {
                throw fail("leading zero in a number");
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                int fracStart = pos;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    pos++;
                }
                if (pos == fracStart) {
                    throw fail("a fraction needs digits");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                int expStart = pos;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    pos++;
                }
                if (pos == expStart) {
                    throw fail("an exponent needs digits");
                }
            }
            String text = s.subSequence(start, pos).toString();
            if (integral && pos - intStart <= 18) {
                return Long.parseLong(text);
            }
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooLarge) {
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        }

        private static String printable(char c) {
            return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }
    }
}
