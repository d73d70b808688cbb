package io.sensorreader.core;

import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every sensor on a fixed-rate schedule and hands each cycle's {@link SensorBatch}, then its
 * {@link DeviceStatus}, to the {@link Outbox}.
 *
 * <p>Ticks fall on whole seconds, {@code first + k × interval}, computed from the clock, never
 * from the previous cycle's end, so nothing drifts. All readings of a cycle carry the tick's epoch
 * second.
 *
 * <p>Deadlines: at each tick every sensor's {@code read()} starts at once, each on a virtual thread
 * of its own, and the cycle waits for them until the latest of their deadlines (by default
 * {@link #DEFAULT_DEADLINE_SHARE} of the interval, {@code read_timeout} per sensor). A read that has
 * not returned by its deadline, or that took longer than it, is abandoned for that cycle: the batch
 * goes out without it, the other sensors' readings on time. A read still running at the next tick
 * is not started again (a hung sensor holds one parked virtual thread, never more) and counts as
 * another miss. A sensor that misses {@link #LAGGING_AFTER} times in a row is reported once at WARN,
 * counted in the one-minute summary and listed by {@link #lagging()} until it answers in time.
 *
 * <p>Failures: anything a sensor throws, {@link Error}s included ({@code OutOfMemoryError},
 * {@code StackOverflowError}), costs that reading; it is logged through {@link FailureLog}. Nothing
 * a sensor or the outbox does ends the loop: a cycle that fails is logged and the next one runs.
 * Only {@link #stop()} ends it.
 *
 * <p>Runs on the thread that calls {@link #run()}; {@link #stop()} and {@link #lagging()} may be
 * called from any thread.
 */
final class SamplingLoop {

    /** The share of the interval a read may take unless its section says {@code read_timeout}. */
    static final double DEFAULT_DEADLINE_SHARE = 0.5;

    /** Misses in a row after which a sensor is reported as lagging. */
    static final int LAGGING_AFTER = 3;

    private static final Logger LOG = LoggerFactory.getLogger(SamplingLoop.class);
    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

    /** One sensor's read state, touched by the loop thread and by its read's thread. */
    private static final class Slot {
        final SensorSet.Loaded loaded;
        final Duration deadline;
        final String subject;
        /** The read in flight, or null; set by the loop, cleared by the read's thread when it ends. */
        volatile Read inFlight;
        int missesInARow;
        long misses;

        Slot(SensorSet.Loaded loaded, Duration deadline) {
            this.loaded = loaded;
            this.deadline = deadline;
            this.subject = "sensor '" + loaded.id() + "'";
        }
    }

    /** One read: its outcome once it has ended. */
    private static final class Read {
        final Instant started;
        volatile boolean ended;
        volatile Measurement measurement;
        volatile Throwable failure;
        volatile Instant endedAt;

        Read(Instant started) {
            this.started = started;
        }
    }

    private final List<Slot> slots;
    private final DeviceHealth health;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration interval;
    private final Pacer pacer;
    private final FailureLog failures;
    private final Map<String, Long> lagging = new ConcurrentHashMap<>();

    private volatile boolean stopped;
    private Instant nextSummary;
    private long cycles;
    private long readings;
    private long failedReads;
    private long missedDeadlines;
    private long skippedTicks;

    SamplingLoop(List<SensorSet.Loaded> sensors, DeviceHealth health, Outbox outbox, Clock clock, Duration interval,
                 Pacer pacer, Duration failureQuiet) {
        this.slots = sensors.stream().map(s -> new Slot(s, s.readTimeout() != null ? s.readTimeout()
                : defaultDeadline(interval))).toList();
        this.health = health;
        this.outbox = outbox;
        this.clock = clock;
        this.interval = interval;
        this.pacer = pacer;
        this.failures = new FailureLog(LOG, clock, failureQuiet);
    }

    /** {@link #DEFAULT_DEADLINE_SHARE} of the interval, whole milliseconds. */
    static Duration defaultDeadline(Duration interval) {
        return Duration.ofMillis(Math.max(1, (long) (interval.toMillis() * DEFAULT_DEADLINE_SHARE)));
    }

    /**
     * Samples until {@link #stop()}. The first cycle runs at once, stamped with the current whole
     * second (start-up time to the first delivery matters); the schedule is anchored there.
     */
    void run() {
        Instant now = clock.instant();
        Instant due = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        nextSummary = due.plus(SUMMARY_EVERY);
        LOG.info("sampling {} sensors every {} s", slots.size(), interval.toSeconds());
        try {
            while (!stopped && pacer.awaitUntil(due)) {
                try {
                    cycle(due.getEpochSecond());
                } catch (InterruptedException e) {
                    throw e;
                } catch (Throwable e) {
                    // The supervisor: whatever broke this cycle, the schedule goes on.
                    failures.failed("sampling", "a cycle failed (" + Plugins.describe(e) + "); going on");
                }
                due = next(due, clock.instant());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("sampling stopped after {} cycles", cycles);
    }

    /** The tick after {@code due}: skips ticks already past; re-anchors when the clock went back. */
    Instant next(Instant due, Instant now) {
        Instant next = due.plus(interval);
        if (now.isAfter(next)) {
            long behind = Duration.between(next, now).toMillis() / interval.toMillis() + 1;
            next = next.plus(interval.multipliedBy(behind));
            skippedTicks += behind;
            LOG.debug("a cycle overran; skipped {} ticks", behind);
        } else if (Duration.between(now, next).compareTo(interval) > 0) {
            LOG.info("the clock went back by {} s; sampling from now on", Duration.between(now, due).toSeconds());
            next = nextWholeSecond(now);
        }
        return next;
    }

    private static Instant nextWholeSecond(Instant now) {
        Instant second = Instant.ofEpochSecond(now.getEpochSecond());
        return second.equals(now) ? now : second.plusSeconds(1);
    }

    /** Stops the loop; the current cycle, if any, completes. */
    void stop() {
        stopped = true;
        pacer.stop();
    }

    /** The sensors that keep missing their deadline, by id, with their misses in a row; for {@code status}. */
    Map<String, Long> lagging() {
        return Map.copyOf(lagging);
    }

    /** One cycle now, for {@code run --once}: every sensor once, stamped {@code timestamp}, then the device status. */
    void cycleOnce(long timestamp) {
        try {
            cycle(timestamp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One cycle: every sensor once (in parallel, under deadlines), stamped {@code timestamp}, then the device status. */
    void cycle(long timestamp) throws InterruptedException {
        summarize();
        Instant start = clock.instant();
        Instant latest = start;
        List<Read> reads = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            Read read = slot.inFlight == null ? start(slot, start) : null;
            reads.add(read);
            Instant due = start.plus(slot.deadline);
            if (read != null && due.isAfter(latest)) {
                latest = due;
            }
        }
        pacer.awaitReads(latest, () -> {
            Set<String> pending = new HashSet<>();
            for (int i = 0; i < slots.size(); i++) {
                if (reads.get(i) != null && !reads.get(i).ended) {
                    pending.add(slots.get(i).loaded.id());
                }
            }
            return pending;
        });
        List<Reading> batch = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            Read read = reads.get(i);
            if (read == null || !read.ended || Duration.between(read.started, read.endedAt).compareTo(slot.deadline) > 0) {
                missed(slot, read == null);
            } else if (read.failure != null) {
                onTime(slot);
                failedReads++;
                failures.failed(slot.subject, "read failed (" + Plugins.describe(read.failure) + "); skipped its reading");
            } else {
                onTime(slot);
                SensorSet.Loaded loaded = slot.loaded;
                batch.add(Reading.of(loaded.id(), loaded.type(), loaded.description(), read.measurement, timestamp));
                failures.succeeded(slot.subject);
            }
        }
        readings += batch.size();
        cycles++;
        submit(new SensorBatch(timestamp, batch));
        try {
            submit(health.sample(timestamp));
        } catch (RuntimeException e) {
            failures.failed("device status", "failed (" + Plugins.describe(e) + "); skipped it this cycle");
        }
    }

    /** Starts one read on a virtual thread of its own; the sensor is decorated, so it runs in its plugin's loader. */
    private Read start(Slot slot, Instant now) {
        Read read = new Read(now);
        slot.inFlight = read;
        Runnable body = () -> {
            try {
                Measurement m = slot.loaded.sensor().read();
                if (m == null) {
                    throw new IllegalStateException("read() returned nothing");
                }
                read.measurement = m;
            } catch (Throwable e) {
                // OutOfMemoryError and StackOverflowError included: they cost this reading only.
                read.failure = e;
            } finally {
                read.endedAt = clock.instant();
                read.ended = true;
                slot.inFlight = null;
                pacer.wake();
            }
        };
        try {
            Thread.ofVirtual().name("read " + slot.loaded.id()).start(body);
        } catch (Throwable e) {
            slot.inFlight = null;
            read.failure = e;
            read.endedAt = now;
            read.ended = true;
        }
        return read;
    }

    private void missed(Slot slot, boolean stillRunning) {
        missedDeadlines++;
        slot.misses++;
        slot.missesInARow++;
        LOG.debug("{}: {} its {} ms deadline; skipped its reading this cycle", slot.subject,
                stillRunning ? "still reading from an earlier cycle, past" : "missed", slot.deadline.toMillis());
        if (slot.missesInARow >= LAGGING_AFTER) {
            if (lagging.put(slot.loaded.id(), (long) slot.missesInARow) == null) {
                LOG.warn("{}: missed its read deadline ({} ms) {} times in a row; its readings are skipped until it"
                        + " answers in time (set read_timeout in its section to allow more)", slot.subject,
                        slot.deadline.toMillis(), slot.missesInARow);
            }
        }
    }

    private void onTime(Slot slot) {
        if (lagging.remove(slot.loaded.id()) != null) {
            LOG.info("{}: answers in time again after {} missed deadlines", slot.subject, slot.missesInARow);
        }
        slot.missesInARow = 0;
    }

    private void submit(io.sensorreader.api.Batch batch) {
        try {
            outbox.submit(batch);
        } catch (RuntimeException e) {
            failures.failed("outbox", "refused a " + batch.kind().label() + " (" + Plugins.describe(e) + ")");
        }
    }

    /** Before a cycle: one INFO line when a minute has passed since the last one. */
    private void summarize() {
        Instant now = clock.instant();
        if (nextSummary == null || now.isBefore(nextSummary)) {
            return;
        }
        String delivery = outbox.summary();
        LOG.info("last minute: {} cycles, {} readings, {} failed reads{}{}{}", cycles, readings, failedReads,
                missedDeadlines == 0 ? "" : ", " + missedDeadlines + " missed read deadlines"
                        + (lagging.isEmpty() ? "" : " (lagging: " + String.join(", ", new TreeSet<>(lagging.keySet())) + ")"),
                skippedTicks == 0 ? "" : ", " + skippedTicks + " ticks skipped by slow cycles",
                delivery.isEmpty() ? "" : "; " + delivery);
        cycles = 0;
        readings = 0;
        failedReads = 0;
        missedDeadlines = 0;
        skippedTicks = 0;
        nextSummary = now.plus(SUMMARY_EVERY);
    }
}
