package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.SensorBatch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what became of batches since start: for the per-minute summary, device status,
 * {@code status} and metrics. Thread-safe; cheap to update from every delivery thread.
 */
public final class DeliveryStats {

    private final LongAdder deliveredBatches = new LongAdder();
    private final LongAdder deliveredReadings = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final AtomicReference<String> lastFailureKind = new AtomicReference<>();
    /** Orders deliveries and failures: whichever happened last has the higher number. */
    private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDeliveryEvent;
    private volatile long lastFailureEvent;

    void delivered(Batch batch, Instant at) {
        deliveredBatches.increment();
        if (batch instanceof SensorBatch sb) {
            deliveredReadings.add(sb.readings().size());
        }
        lastDelivery.set(at);
        lastDeliveryEvent = events.incrementAndGet();
    }

    void deliveredSpooled(int batches, int readings, Instant at) {
        deliveredBatches.add(batches);
        deliveredReadings.add(readings);
        lastDelivery.set(at);
        lastDeliveryEvent = events.incrementAndGet();
    }

    void spooled() {
        spooled.increment();
    }

    void deadLettered(int batches) {
        deadLettered.add(batches);
    }

    void failed(String reason) {
        failed(reason, "failed");
    }

    /**
     * @param kind what kind of failure, comparable between versions: the cause and the HTTP status,
     *             e.g. {@code transient 503}, {@code transient} (no answer at all)
     */
    void failed(String reason, String kind) {
        failedAttempts.increment();
        lastFailure.set(reason);
        lastFailureKind.set(kind);
        lastFailureEvent = events.incrementAndGet();
    }

    /** The kind of a retry-later answer, for {@link #failed(String, String)}. */
    static String kind(io.sensorreader.api.RetryLater r) {
        return r.cause().name().toLowerCase(java.util.Locale.ROOT) + (r.status() > 0 ? " " + r.status() : "");
    }

    /** Whether the last attempt failed (nothing delivered since): the kind of that failure. */
    public Optional<String> failingWith() {
        return lastFailureEvent > lastDeliveryEvent ? Optional.ofNullable(lastFailureKind.get()) : Optional.empty();
    }

    void lost(int batches) {
        lost.add(batches);
    }

    /** Batches the collector stored, live or from the spool. */
    public long deliveredBatches() {
        return deliveredBatches.sum();
    }

    /** Readings the collector stored. */
    public long deliveredReadings() {
        return deliveredReadings.sum();
    }

    /** Batches handed to the spool because they could not be delivered at once. */
    public long spooledBatches() {
        return spooled.sum();
    }

    /** Batches (or parts of batches) sent to the dead letters. */
    public long deadLetteredBatches() {
        return deadLettered.sum();
    }

    /** Attempts that ended in "retry later". */
    public long failedAttempts() {
        return failedAttempts.sum();
    }

    /** Batches that could be neither delivered nor stored (the spool itself failed). */
    public long lostBatches() {
        return lost.sum();
    }

    /** When a batch was last delivered. */
    public Optional<Instant> lastDelivery() {
        return Optional.ofNullable(lastDelivery.get());
    }

    /** The last failure's description, for {@code status}. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** The figures as device-status metrics. */
    public Map<String, Object> asMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batches_delivered", deliveredBatches());
        m.put("readings_delivered", deliveredReadings());
        m.put("batches_spooled", spooledBatches());
        m.put("batches_dead_lettered", deadLetteredBatches());
        m.put("delivery_failures", failedAttempts());
        m.put("batches_lost", lostBatches());
        return m;
    }
}
