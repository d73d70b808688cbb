package io.sensorreader.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sensor measured, before the agent stamps it with the cycle's time and the sensor's
 * identity to make a {@link Reading}.
 *
 * @param value the number sent as {@code value}; must be finite
 * @param unit the unit sent as {@code unit}, or {@code null} for none
 * @param extras further numeric or text fields sent beside the value (e.g. {@code "flips": 2});
 *     the reference collector ignores them, other collectors may not
 */
public record Measurement(double value, String unit, Map<String, Object> extras) {

    public Measurement {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a measurement must be a finite number, was " + value);
        }
        extras = extras == null || extras.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A bare value. */
    public static Measurement of(double value) {
        return new Measurement(value, null, Map.of());
    }

    /** A value with a unit. */
    public static Measurement of(double value, String unit) {
        return new Measurement(value, unit, Map.of());
    }

    /** A copy with one more extra field. */
    public Measurement with(String key, Object extra) {
        Map<String, Object> more = new LinkedHashMap<>(extras);
        more.put(key, extra);
        return new Measurement(value, unit, more);
    }
}
