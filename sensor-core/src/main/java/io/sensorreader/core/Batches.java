package io.sensorreader.core;

import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Splitting and joining sensor batches, for coalesced requests and refused reading types. */
final class Batches {

    private Batches() {
    }

    /** The readings whose type is in {@code types}, and the rest, as two batches of the same time. */
    static List<SensorBatch> partition(SensorBatch batch, Set<String> types) {
        Predicate<Reading> in = r -> types.contains(r.type());
        return List.of(new SensorBatch(batch.timestamp(), batch.readings().stream().filter(in).toList()),
                new SensorBatch(batch.timestamp(), batch.readings().stream().filter(in.negate()).toList()));
    }

    /** One batch with the readings of all, in order; its timestamp is the first one's. */
    static SensorBatch concat(List<SensorBatch> batches) {
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
