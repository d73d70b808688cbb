package io.sensorreader.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device's own health at one moment, for {@code POST /devices/status}:
 * {@code {"timestamp": ..., "metrics": {...}}}.
 *
 * @param timestamp epoch seconds
 * @param metrics non-empty; numbers, strings, booleans or {@code null} (e.g. no temperature sensor)
 */
public record DeviceStatus(long timestamp, Map<String, Object> metrics) implements Batch {

    public DeviceStatus {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("device status needs at least one metric");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    @Override
    public Kind kind() {
        return Kind.DEVICE_STATUS;
    }
}
