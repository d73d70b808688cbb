package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpooledBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live delivery path: takes the sampling loop's batches and sends them on its own thread, so
 * that a slow or silent collector never delays a sample. What cannot be delivered goes to the
 * spool for the {@link RetryWorker}; what the collector rejects for good goes to the dead letters.
 *
 * <p>While the collector is failing (the last attempt, live or retried, was "retry later"), live
 * batches go straight to the spool and the retry worker alone probes the collector, with backoff.
 * A batch is never in two places: it is either being sent, or in the spool, or delivered.
 *
 * <p>Shutdown ({@link #close()}): no new batch is sent; the one in flight gets a short grace, then
 * its thread is interrupted; everything not delivered is appended to the spool.
 */
public final class Dispatcher implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration GRACE = Duration.ofMillis(1000);

    private final Sender sender;
    private final Spool spool;
    private final UnknownTypes unknownTypes;
    private final CollectorState collector;
    private final DeliveryStats stats;
    private final Clock clock;
    private final FailureLog problems;
    private final LinkedBlockingDeque<Batch> queue = new LinkedBlockingDeque<>();
    private final AtomicReference<Batch> inFlight = new AtomicReference<>();
    private final AtomicReference<SpooledBatch> abandoned = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    Dispatcher(Sender sender, Spool spool, UnknownTypes unknownTypes, CollectorState collector, DeliveryStats stats,
               Clock clock, FailureLog problems) {
        this.sender = sender;
        this.spool = spool;
        this.unknownTypes = unknownTypes;
        this.collector = collector;
        this.stats = stats;
        this.clock = clock;
        this.problems = problems;
        this.thread = Thread.ofPlatform().name("delivery-live").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    @Override
    public void submit(Batch batch) {
        if (closed.get()) {
            store(batch, 0);
            return;
        }
        queue.add(batch);
    }

    /** Batches waiting to be sent live. */
    int pending() {
        return queue.size() + (inFlight.get() == null ? 0 : 1);
    }

    private void run() {
        while (!closed.get()) {
            Batch batch;
            try {
                batch = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (batch == null) {
                continue;
            }
            inFlight.set(batch);
            try {
                deliver(batch, 0);
            } catch (RuntimeException e) {
                log.error("unexpected failure while delivering a batch; it is kept in the spool", e);
                takeOver(batch);
            } finally {
                inFlight.compareAndSet(batch, null);
            }
        }
    }

    private void deliver(Batch batch, int depth) {
        Batch toSend = batch;
        if (batch instanceof SensorBatch sb) {
            List<SensorBatch> parts = unknownTypes.split(sb);
            if (!parts.get(0).readings().isEmpty()) {
                deadLetter(parts.get(0), 422, "Unknown sensor type (remembered for this run)");
            }
            toSend = parts.get(1);
            if (((SensorBatch) toSend).readings().isEmpty()) {
                inFlight.compareAndSet(batch, null);
                return;
            }
        }
        if (collector.failing() || Thread.currentThread().isInterrupted()) {
            takeOver(batch, toSend, 0);
            return;
        }
        Delivery outcome = sender.send(toSend);
        if (inFlight.get() != batch) {
            // close() gave up waiting and spooled this batch already: never store it twice, and
            // take it back out of the spool if it did arrive after all.
            SpooledBatch copy = abandoned.getAndSet(null);
            if (outcome instanceof Delivered && copy != null) {
                forget(copy);
            }
            return;
        }
        switch (outcome) {
            case Delivered d -> {
                if (log.isDebugEnabled()) {
                    log.debug("delivered a {} of {}{}", toSend.kind().label(), toSend.timestamp(),
                            toSend instanceof SensorBatch sb ? " (" + sb.readings().size() + " readings)" : "");
                }
                stats.delivered(toSend, clock.instant());
                collector.succeeded();
                problems.succeeded("delivery to " + sender.destination());
            }
            case RetryLater r -> {
                if (r.cause() != RetryLater.Cause.NOT_REGISTERED) { // waiting for a token is no failure
                    stats.failed(r.detail(), DeliveryStats.kind(r));
                    collector.failed(r);
                }
                if (r.cause() == RetryLater.Cause.NOT_REGISTERED) {
                    log.debug("not registered yet; the batch waits in the spool for the token");
                } else {
                    problems.failed("delivery to " + sender.destination(), Sender.describe(r)
                            + "; batches go to the spool and are retried");
                }
                takeOver(batch, toSend, r.status());
            }
            case Rejected r -> {
                if (toSend instanceof SensorBatch sb && !r.refusedTypes().isEmpty()
                        && !unknownTypes.knowsAny(r.refusedTypes()) && depth < 3) {
                    unknownTypes.learn(r.refusedTypes(), sb);
                    deliver(toSend, depth + 1);
                } else {
                    deadLetter(toSend, r.status(), r.reason());
                }
            }
        }
    }

    /** Spools the batch unless close() already did. */
    private void takeOver(Batch original, Batch toStore, int status) {
        if (inFlight.compareAndSet(original, null)) {
            store(toStore, status);
        }
    }

    private void forget(SpooledBatch copy) {
        try {
            spool.acknowledge(List.of(copy));
        } catch (SpoolException | RuntimeException e) {
            log.warn("a batch delivered during shutdown is also in the spool and will be sent again: {}", e.getMessage());
        }
    }

    private void takeOver(Batch batch) {
        takeOver(batch, batch, 0);
    }

    private SpooledBatch store(Batch batch, int status) {
        for (int attempt = 1; ; attempt++) {
            try {
                SpooledBatch stored = spool.append(batch, status);
                stats.spooled();
                collector.spooled();
                return stored;
            } catch (SpoolException | RuntimeException e) {
                if (attempt >= 2) {
                    stats.lost(1);
                    log.error("could not store a {} of {} in the spool at {}; it is lost: {}", batch.kind().label(),
                            batch.timestamp(), spool.location(), e.getMessage());
                    return null;
                }
            }
        }
    }

    private void deadLetter(Batch batch, int status, String reason) {
        try {
            spool.deadLetter(batch, status, reason);
            stats.deadLettered(1);
            problems.failed("rejected by the collector: " + reason, "a " + batch.kind().label()
                    + " for good (" + status + " " + reason + "); it is kept in the dead letters");
        } catch (SpoolException e) {
            stats.lost(1);
            log.error("could not keep a rejected {} in the dead letters: {}", batch.kind().label(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.join(GRACE.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(300);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int stored = 0;
        Batch stuck = inFlight.getAndSet(null);
        if (stuck != null) {
            abandoned.set(store(stuck, 0));
            stored++;
        }
        List<Batch> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Batch b : rest) {
            store(b, 0);
            stored++;
        }
        if (stored > 0) {
            log.info("spooled {} undelivered batch(es) at shutdown", stored);
        }
    }
}
