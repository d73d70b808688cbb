package io.sensorreader.core;

import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every sensor on a fixed-rate schedule and hands each cycle's {@link SensorBatch}, then its
 * {@link DeviceStatus}, to the {@link Outbox}.
 *
 * <p>Ticks fall on whole seconds, {@code first + k × interval}, computed from the clock, never
 * from the previous cycle's end, so nothing drifts. A cycle that overruns (a slow sensor) costs
 * the ticks it overlapped, not the schedule. All readings of a cycle carry the tick's epoch
 * second. A sensor that throws loses that reading; the failure is logged through
 * {@link FailureLog}. Nothing a sensor or the outbox does ends the loop; only {@link #stop()} does.
 *
 * <p>Runs on the thread that calls {@link #run()}; {@link #stop()} may be called from any thread.
 */
final class SamplingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingLoop.class);
    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

    private final List<SensorSet.Loaded> sensors;
    private final DeviceHealth health;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration interval;
    private final Pacer pacer;
    private final FailureLog failures;

    private volatile boolean stopped;
    private Instant nextSummary;
    private long cycles;
    private long readings;
    private long failedReads;
    private long skippedTicks;

    SamplingLoop(List<SensorSet.Loaded> sensors, DeviceHealth health, Outbox outbox, Clock clock, Duration interval,
                 Pacer pacer, Duration failureQuiet) {
        this.sensors = List.copyOf(sensors);
        this.health = health;
        this.outbox = outbox;
        this.clock = clock;
        this.interval = interval;
        this.pacer = pacer;
        this.failures = new FailureLog(LOG, clock, failureQuiet);
    }

    /**
     * Samples until {@link #stop()}. The first cycle runs at once, stamped with the current whole
     * second (start-up time to the first delivery matters); the schedule is anchored there.
     */
    void run() {
        Instant now = clock.instant();
        Instant due = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        nextSummary = due.plus(SUMMARY_EVERY);
        LOG.info("sampling {} sensors every {} s", sensors.size(), interval.toSeconds());
        try {
            while (!stopped && pacer.awaitUntil(due)) {
                cycle(due.getEpochSecond());
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

    /** One cycle: every sensor once, stamped {@code timestamp}, then the device status. */
    void cycle(long timestamp) {
        summarize();
        List<Reading> batch = new ArrayList<>(sensors.size());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        for (SensorSet.Loaded loaded : sensors) {
            Sensor sensor = loaded.sensor();
            String subject = "sensor '" + loaded.id() + "'";
            thread.setContextClassLoader(loaded.loader());
            try {
                Measurement m = sensor.read();
                if (m == null) {
                    throw new IllegalStateException("read() returned nothing");
                }
                batch.add(Reading.of(loaded.id(), loaded.type(), loaded.description(), m, timestamp));
                failures.succeeded(subject);
            } catch (Exception | LinkageError | StackOverflowError e) {
                failedReads++;
                failures.failed(subject, "read failed (" + Plugins.describe(e) + "); skipped its reading");
            } finally {
                thread.setContextClassLoader(previous);
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
        LOG.info("last minute: {} cycles, {} readings, {} failed reads{}{}", cycles, readings, failedReads,
                skippedTicks == 0 ? "" : ", " + skippedTicks + " ticks skipped by slow cycles",
                delivery.isEmpty() ? "" : "; " + delivery);
        cycles = 0;
        readings = 0;
        failedReads = 0;
        skippedTicks = 0;
        nextSummary = now.plus(SUMMARY_EVERY);
    }
}
