package io.sensorreader.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sensor's value at one moment, as the collector receives it.
 *
 * <p>On the wire: {@code {"id": sensorId, "description": "<type>: <description>", "value": value,
 * "timestamp": timestamp}}, then {@code "unit"} when present, then the extras in order.
 *
 * @param sensorId unique fleet-wide (the reference collector rejects an id another device uses)
 * @param type the collector's sensor type, e.g. {@code FloatSensor}; letters, digits and {@code _}
 * @param description free text after the type
 * @param value finite
 * @param unit or {@code null}
 * @param timestamp seconds since the epoch, the moment of the sampling cycle
 * @param extras further fields, or empty
 */
public record Reading(String sensorId, String type, String description, double value, String unit,
                      long timestamp, Map<String, Object> extras) {

    public Reading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        if (sensorId.isBlank()) {
            throw new IllegalArgumentException("a reading needs a sensor id");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("reading of '" + sensorId + "' is not a finite number: " + value);
        }
        extras = extras == null || extras.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A reading stamped from a measurement. */
    public static Reading of(String sensorId, String type, String description, Measurement m, long timestamp) {
        return new Reading(sensorId, type, description, m.value(), m.unit(), timestamp, m.extras());
    }

    /** The {@code description} field as sent: {@code "<type>: <description>"}. */
    public String wireDescription() {
        return type + ": " + description;
    }
}
