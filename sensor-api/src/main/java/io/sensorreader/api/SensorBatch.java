package io.sensorreader.api;

import java.util.List;

/**
 * The readings of one sampling cycle (or several coalesced cycles), sent as one JSON array.
 *
 * @param timestamp the cycle's time in epoch seconds (the earliest, when coalesced)
 * @param readings in sensor order; may be empty
 */
public record SensorBatch(long timestamp, List<Reading> readings) implements Batch {

    public SensorBatch {
        readings = List.copyOf(readings);
    }

    @Override
    public Kind kind() {
        return Kind.SENSOR_BATCH;
    }
}
