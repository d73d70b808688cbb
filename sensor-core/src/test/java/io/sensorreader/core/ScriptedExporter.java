package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.SensorBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A hand-written collector stand-in: answers by a rule, records every request and every reading
 * that was "stored" (delivered), so tests can check that each arrived exactly once.
 */
final class ScriptedExporter implements Exporter {

    final List<Batch> requests = new CopyOnWriteArrayList<>();
    final List<Reading> stored = new CopyOnWriteArrayList<>();
    final List<Batch> storedStatuses = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile Function<Batch, Delivery> rule = b -> null;
    volatile CountDownLatch block;

    /** The next {@code n} requests fail with a 503. */
    ScriptedExporter down(int n) {
        failuresLeft.set(n);
        return this;
    }

    /** Reject any request that holds a reading with this id, as a 422. */
    ScriptedExporter rejectSensor(String id) {
        rule = b -> b instanceof SensorBatch sb && sb.readings().stream().anyMatch(r -> r.sensorId().equals(id))
                ? new Rejected(422, "0 metrics valid, 1 dropped. Errors: sensor[" + id + "]: Missing required fields")
                : null;
        return this;
    }

    /** Reject batches with readings of this type, as the reference collector does. */
    ScriptedExporter unknownType(String type) {
        rule = b -> b instanceof SensorBatch sb && sb.readings().stream().anyMatch(r -> r.type().equals(type))
                ? new Rejected(422, "Unknown sensor type: " + type, Set.of(type))
                : null;
        return this;
    }

    @Override
    public Delivery deliver(Batch batch) {
        requests.add(batch);
        CountDownLatch gate = block;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RetryLater.transientFailure("interrupted");
            }
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new RetryLater(RetryLater.Cause.TRANSIENT, 503, "Service Unavailable", Optional.empty());
        }
        Delivery ruled = rule.apply(batch);
        if (ruled != null) {
            return ruled;
        }
        if (batch instanceof SensorBatch sb) {
            stored.addAll(sb.readings());
        } else {
            storedStatuses.add(batch);
        }
        return new Delivered(201);
    }

    List<Long> storedTimestamps() {
        List<Long> t = new ArrayList<>();
        for (Reading r : stored) {
            t.add(r.timestamp());
        }
        return t;
    }

    @Override
    public String destination() {
        return "scripted";
    }
}
