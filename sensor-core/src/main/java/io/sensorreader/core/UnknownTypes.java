package io.sensorreader.core;

import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sensor types the collector said it does not know ({@code 422 Unknown sensor type: X}),
 * remembered for the run so that later batches are split before they are sent instead of after a
 * failed round trip. An operator is warned once per type, with the sensors that use it.
 */
final class UnknownTypes {

    private static final Logger log = LoggerFactory.getLogger(UnknownTypes.class);

    private final Set<String> types = ConcurrentHashMap.newKeySet();

    /** Remembers the types; warns once for each new one, naming the sensors of {@code batch}. */
    void learn(Set<String> unknown, SensorBatch batch) {
        for (String type : unknown) {
            if (types.add(type)) {
                Set<String> sensors = new TreeSet<>();
                for (Reading r : batch.readings()) {
                    if (r.type().equals(type)) {
                        sensors.add(r.sensorId());
                    }
                }
                log.warn("the collector does not know the sensor type '{}' (used by {}); their readings go to the dead "
                        + "letters from now on and the other sensors are delivered without them. Teach the collector "
                        + "the type, then run 'sensor-reader spool requeue'", type,
                        sensors.isEmpty() ? "no sensor of this batch" : String.join(", ", sensors));
            }
        }
    }

    boolean knowsAny(Set<String> unknown) {
        return !unknown.isEmpty() && types.containsAll(unknown);
    }

    /**
     * Splits a batch into the readings of unknown types (first) and the rest (second); either may
     * be empty.
     */
    List<SensorBatch> split(SensorBatch batch) {
        if (types.isEmpty()) {
            return List.of(new SensorBatch(batch.timestamp(), List.of()), batch);
        }
        return Batches.partition(batch, Set.copyOf(types));
    }

    Set<String> snapshot() {
        return Set.copyOf(types);
    }
}
