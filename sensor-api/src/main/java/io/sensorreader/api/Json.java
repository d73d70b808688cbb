package io.sensorreader.api;

import java.util.Collection;
import java.util.Map;

/**
 * Writes batches as the collector's request bodies. Hand-written so that the SPI stays free of
 * dependencies and the bytes are defined in exactly one place. The spacing is Python's
 * {@code json.dumps} default ({@code ", "} and {@code ": "}), as the Python agent sent.
 */
final class Json {

    private Json() {
    }

    static String write(Batch batch) {
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

    static String registration(String deviceId, String description) {
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

    static void value(StringBuilder out, Object v) {
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

    /** Finite doubles as Python prints them where it matters: always a fraction or an exponent. */
    static void number(StringBuilder out, double d) {
        if (!Double.isFinite(d)) {
            out.append("null");
            return;
        }
        out.append(Double.toString(d));
    }

    static void string(StringBuilder out, String s) {
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
