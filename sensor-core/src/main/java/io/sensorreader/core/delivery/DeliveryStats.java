package io.sensorreader.core.delivery;

import io.sensorreader.api.Batch;
import io.sensorreader.api.SensorBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of batches since start, and whether delivery works: for the per-minute summary,
 * device status, {@code state.json}, {@code status}, the metrics endpoint and the self-update
 * ({@link DeliverySignals}). Thread-safe; cheap to update.
 *
 * <p>"Not delivering" ({@link #notDelivering(Instant)}): for more than three intervals nothing
 * (or, while sensor readings were offered, no reading) reached the collector although there was
 * something to send; the reason names the latest problem: collector unreachable, poison batches
 * and their sensors, authentication, the collector URL, the spool failing.
 */
public final class DeliveryStats implements DeliverySignals {

    /** Why delivery does not work, as an operator reads it. */
    public enum Problem {
        UNREACHABLE("collector unreachable"),
        POISON("poison batches"),
        AUTHENTICATION("authentication"),
        MISDIRECTED("wrong collector URL"),
        NOT_REGISTERED("not registered yet"),
        SPOOL("spool failing");

        private final String words;

        Problem(String words) {
            this.words = words;
        }

        /** E.g. "collector unreachable". */
        public String words() {
            return words;
        }
    }

    private record Issue(Problem problem, String detail, Instant at) {
    }

    private final Duration interval;
    private final Instant startedAt;
    private final LongAdder deliveredBatches = new LongAdder();
    private final LongAdder deliveredReadings = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
    private final AtomicReference<Instant> lastReadingDelivery = new AtomicReference<>();
    private final AtomicReference<Instant> lastOffered = new AtomicReference<>();
    private final AtomicReference<Instant> lastReadingsOffered = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final AtomicReference<String> lastFailureKind = new AtomicReference<>();
    /** Orders deliveries and failures: whichever happened last has the higher number. */
    private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDeliveryEvent;
    private volatile long lastFailureEvent;
    private final AtomicReference<Issue> issue = new AtomicReference<>();
    private volatile boolean unreachable;

    /**
     * @param interval the sampling interval: "not delivering" is more than three of them
     * @param startedAt when the agent started
     */
    public DeliveryStats(Duration interval, Instant startedAt) {
        this.interval = interval;
        this.startedAt = startedAt;
    }

    /** With a 10 s interval, started at the epoch: for tests and commands that only count. */
    public DeliveryStats() {
        this(Duration.ofSeconds(10), Instant.EPOCH);
    }

    /** One batch delivered at {@code at} (the delivery service counts requests of several). */
    public void delivered(Batch batch, Instant at) {
        delivered(1, batch instanceof SensorBatch sb ? sb.readings().size() : 0, at);
    }

    /** For commands that deliver once ({@code retry-now}): a 10 s interval. */
    public static DeliveryStats forCommand(Instant now) {
        return new DeliveryStats(Duration.ofSeconds(10), now);
    }

    void offered(Batch batch, Instant at) {
        lastOffered.set(at);
        if (batch instanceof SensorBatch sb && !sb.readings().isEmpty()) {
            lastReadingsOffered.set(at);
        }
    }

    void delivered(int batches, int readings, Instant at) {
        requests.increment();
        deliveredBatches.add(batches);
        deliveredReadings.add(readings);
        lastDelivery.set(at);
        lastDeliveryEvent = events.incrementAndGet();
        if (readings > 0) {
            lastReadingDelivery.set(at);
        }
        unreachable = false;
        Issue current = issue.get();
        if (current != null && current.problem() != Problem.POISON) {
            issue.compareAndSet(current, null);
        }
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
     *     e.g. {@code transient 503}, {@code transient} (no answer at all)
     */
    public void failed(String reason, String kind) {
        failedAttempts.increment();
        lastFailure.set(reason);
        lastFailureKind.set(kind);
        lastFailureEvent = events.incrementAndGet();
    }

    /** The kind of an outcome that was not delivered, for {@link #failed(String, String)}. */
    public static String kind(io.sensorreader.api.Delivery outcome) {
        return switch (outcome) {
            case io.sensorreader.api.RetryLater r ->
                    r.cause().name().toLowerCase(java.util.Locale.ROOT) + (r.status() > 0 ? " " + r.status() : "");
            case io.sensorreader.api.Rejected r -> "rejected " + r.status();
            case io.sensorreader.api.Delivered d -> "delivered";
        };
    }

    /** Whether the last attempt failed (nothing delivered since): the kind of that failure (self-update health). */
    public Optional<String> failingWith() {
        return lastFailureEvent > lastDeliveryEvent ? Optional.ofNullable(lastFailureKind.get()) : Optional.empty();
    }

    void problem(Problem problem, String detail, Instant at) {
        issue.set(new Issue(problem, detail, at));
        if (problem == Problem.UNREACHABLE) {
            unreachable = true;
        }
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

    /** Requests the collector answered with success. */
    public long successfulRequests() {
        return requests.sum();
    }

    /** Batches handed to the spool because they could not be delivered at once. */
    public long spooledBatches() {
        return spooled.sum();
    }

    /** Batches (or parts of batches) sent to the dead letters. */
    public long deadLetteredBatches() {
        return deadLettered.sum();
    }

    /** Attempts that failed (retry later, or rejected). */
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

    /** The last failure's description (scrubbed), for {@code status}. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    @Override
    public boolean deliveredSinceStart() {
        return lastDelivery.get() != null;
    }

    @Override
    public boolean collectorUnreachable() {
        return unreachable;
    }

    /**
     * Why the agent is not delivering, or empty while it is: nothing delivered for more than
     * three intervals while there was something to send (or no reading while readings were offered).
     *
     * @param waiting batches waiting in the spool
     */
    public Optional<String> notDelivering(Instant now, long waiting) {
        Duration limit = interval.multipliedBy(3);
        Instant since = Optional.ofNullable(lastDelivery.get()).orElse(startedAt);
        Instant offered = lastOffered.get();
        boolean pending = waiting > 0 || offered != null && offered.isAfter(since);
        String what = null;
        if (pending && Duration.between(since, now).compareTo(limit) > 0) {
            what = "nothing delivered for " + Duration.between(since, now).toSeconds() + " s";
        } else {
            Instant readingsSince = Optional.ofNullable(lastReadingDelivery.get()).orElse(startedAt);
            Instant readingsOffered = lastReadingsOffered.get();
            if (readingsOffered != null && readingsOffered.isAfter(readingsSince)
                    && Duration.between(readingsSince, now).compareTo(limit) > 0) {
                what = "no sensor reading delivered for " + Duration.between(readingsSince, now).toSeconds() + " s";
            }
        }
        if (what == null) {
            return Optional.empty();
        }
        Issue why = issue.get();
        return Optional.of(why == null
                ? what + (lastFailure.get() == null ? "" : "; last failure: " + lastFailure.get())
                : what + ": " + why.problem().words() + " (" + why.detail() + ")");
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
