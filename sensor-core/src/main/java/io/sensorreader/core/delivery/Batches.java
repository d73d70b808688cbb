package io.sensorreader.core.delivery;

import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Splitting and joining sensor batches: coalesced requests, refused types, suspect sensors. */
public final class Batches {

    private Batches() {
    }

    /** The readings {@code in} accepts, and the rest, as two batches of the same time. */
    public static List<SensorBatch> partition(SensorBatch batch, Predicate<Reading> in) {
        List<Reading> yes = new ArrayList<>();
        List<Reading> no = new ArrayList<>();
        for (Reading r : batch.readings()) {
            (in.test(r) ? yes : no).add(r);
        }
        return List.of(new SensorBatch(batch.timestamp(), yes), new SensorBatch(batch.timestamp(), no));
    }

    /** One batch with the readings of all, in order; its timestamp is the first one's. */
    public static SensorBatch concat(List<SensorBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        if (batches.size() == 1) {
            return batches.get(0);
        }
        List<Reading> all = new ArrayList<>();
        for (SensorBatch b : batches) {
            all.addAll(b.readings());
        }
        return new SensorBatch(batches.get(0).timestamp(), all);
    }

    /** The two halves of a batch's readings (the first holds the extra one). */
    static List<SensorBatch> halves(SensorBatch batch) {
        int half = (batch.readings().size() + 1) / 2;
        return List.of(new SensorBatch(batch.timestamp(), batch.readings().subList(0, half)),
                new SensorBatch(batch.timestamp(), batch.readings().subList(half, batch.readings().size())));
    }
}
