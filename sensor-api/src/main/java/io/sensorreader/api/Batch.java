package io.sensorreader.api;

import io.sensorreader.api.agent.WireFormat;

/**
 * What one delivery carries: the readings of a sampling cycle ({@link SensorBatch}) or the device's
 * own health ({@link DeviceStatus}). Immutable.
 */
public sealed interface Batch permits SensorBatch, DeviceStatus {

    /** Readings or device status. */
    Kind kind();

    /** Seconds since the epoch of the sampling cycle that made this batch. */
    long timestamp();

    /**
     * The batch as JSON, exactly as the collector receives it (a JSON array of readings, or
     * {@code {"timestamp": ..., "metrics": {...}}}), in the Python agent's spacing and number format.
     */
    default String toJson() {
        return WireFormat.write(this);
    }

    /** The two kinds of batch. */
    enum Kind {
        /** Readings of the sensors. */
        SENSOR_BATCH("sensor-batch"),
        /** The device's own health. */
        DEVICE_STATUS("device-status");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short name for logs and listings: {@code sensor-batch} or {@code device-status}. */
        public String label() {
            return label;
        }
    }
}
