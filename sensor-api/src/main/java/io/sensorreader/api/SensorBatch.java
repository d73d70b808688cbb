package io.sensorreader.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

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

    /** The readings whose type is in {@code types}, and the rest, as two batches of the same time. */
    public List<SensorBatch> partition(Set<String> types) {
        Predicate<Reading> in = r -> types.contains(r.type());
        return List.of(new SensorBatch(timestamp, readings.stream().filter(in).toList()),
                new SensorBatch(timestamp, readings.stream().filter(in.negate()).toList()));
    }

    /** One batch with the readings of all, in order; its timestamp is the first one's. */
    public static SensorBatch concat(List<SensorBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        List<Reading> all = new ArrayList<>();
        for (SensorBatch b : batches) {
            all.addAll(b.readings());
        }
        return new SensorBatch(batches.get(0).timestamp(), all);
    }
}
