package io.sensorreader.api;

/**
 * What one request to the collector carries: a {@link SensorBatch} for {@code POST /metrics} or a
 * {@link DeviceStatus} for {@code POST /devices/status}. Immutable.
 */
public sealed interface Batch permits SensorBatch, DeviceStatus {

    /** Which endpoint and which spool record type. */
    Kind kind();

    /** Seconds since the epoch of the sampling cycle that made this batch. */
    long timestamp();

    /** The exact request body, UTF-8 JSON, in the Python agent's spacing. */
    default String toJson() {
        return Json.write(this);
    }

    /** The two kinds of request. */
    enum Kind {
        /** Readings, for {@code POST /metrics}. */
        SENSOR_BATCH("sensor-batch", "/metrics"),
        /** The device's own health, for {@code POST /devices/status}. */
        DEVICE_STATUS("device-status", "/devices/status");

        private final String recordType;
        private final String path;

        Kind(String recordType, String path) {
            this.recordType = recordType;
            this.path = path;
        }

        /** The {@code metric_type} the Python agent wrote in its spool records. */
        public String recordType() {
            return recordType;
        }

        /** The collector's path for this kind. */
        public String path() {
            return path;
        }

        /** The kind for a spool record's {@code metric_type}; {@code null} when unknown. */
        public static Kind ofRecordType(String recordType) {
            for (Kind kind : values()) {
                if (kind.recordType.equals(recordType)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
