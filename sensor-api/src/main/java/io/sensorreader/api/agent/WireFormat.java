package io.sensorreader.api.agent;

import io.sensorreader.api.Batch;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * The wire format: batches as the collector's request bodies, written in exactly one place.
 * Hand-written so that the SPI stays free of dependencies. Spacing and numbers are Python's
 * {@code json.dumps} defaults ({@code ", "} and {@code ": "}, {@code repr} of floats, non-ASCII
 * escaped), as the Python agent sent, so the bytes are the same whichever agent sent them.
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
}
