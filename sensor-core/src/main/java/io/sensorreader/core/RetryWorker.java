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
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool beside the live loop: oldest first; consecutive sensor batches coalesced into
 * one {@code POST /metrics} (up to {@link RetrySettings#maxReadings()} readings or
 * {@link RetrySettings#maxBytes()} bytes); a rejected coalesced request split in halves until the
 * bad batch is found, so only that one goes to the dead letters. While the collector fails it backs
 * off exponentially with jitter, from the retry interval up to the cap, honouring
 * {@code Retry-After}; after a success it returns to the interval.
 *
 * <p>Only one process drains at a time: each pass holds the spool's drain lock, and a pass that
 * cannot take it does nothing.
 */
public final class RetryWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetryWorker.class);
    /** Bounds of a page read from the spool; a page is sized to about one coalesced request. */
    private static final int MIN_PAGE = 20;
    private static final int MAX_PAGE = 1_000;

    private final Sender sender;
    private final Spool spool;
    private final UnknownTypes unknownTypes;
    private final CollectorState collector;
    private final DeliveryStats stats;
    private final Clock clock;
    private final RetrySettings settings;
    private final Backoff backoff;
    private final Object wake = new Object();
    private final Thread thread;
    private volatile boolean closed;
    private boolean woken;

    RetryWorker(Sender sender, Spool spool, UnknownTypes unknownTypes, CollectorState collector, DeliveryStats stats,
                Clock clock, RetrySettings settings, RandomGenerator random) {
        this.sender = sender;
        this.spool = spool;
        this.unknownTypes = unknownTypes;
        this.collector = collector;
        this.stats = stats;
        this.clock = clock;
        this.settings = settings;
        this.backoff = new Backoff(settings.interval(), settings.maxBackoff(), random);
        this.thread = Thread.ofPlatform().name("delivery-retry").daemon().unstarted(this::run);
    }

    /** Starts the background drain on its own thread. */
    void start() {
        thread.start();
    }

    /** Asks the background drain to make a pass now rather than at its next tick. */
    void wakeUp() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** The outcome of one pass. */
    public record Pass(long delivered, long deadLettered, long left, Optional<RetryLater> stoppedBy, boolean busy) {
    }

    /** Told after each request of a pass. */
    @FunctionalInterface
    public interface Progress {
        void update(long delivered, long deadLettered, long left);

        Progress NONE = (d, x, l) -> { };
    }

    /**
     * Drains until the spool is empty or the collector fails. On the caller's thread; the
     * background worker calls it too.
     */
    public Pass drainOnce(Progress progress) {
        Optional<Spool.DrainLock> lock;
        try {
            lock = spool.tryLockDrain();
        } catch (SpoolException e) {
            log.error("cannot take the drain lock of {}: {}", spool.location(), e.getMessage());
            return new Pass(0, 0, left(), Optional.of(RetryLater.transientFailure(e.getMessage())), true);
        }
        if (lock.isEmpty()) {
            return new Pass(0, 0, left(), Optional.empty(), true);
        }
        try (Spool.DrainLock held = lock.get()) {
            Tally tally = new Tally();
            // Measured: decoding 1,000 batches a page kept a 32 MiB heap busy in GC for 45% of a drain;
            // a page of about one request's worth reads no further ahead than it sends.
            int pageSize = MIN_PAGE;
            while (!closed) {
                List<SpooledBatch> page = spool.oldest(pageSize);
                if (page.isEmpty()) {
                    break;
                }
                pageSize = pageFor(page);
                Optional<RetryLater> stop = sendPage(page, tally, progress);
                if (stop.isPresent()) {
                    return new Pass(tally.delivered, tally.deadLettered, left(), stop, false);
                }
            }
            return new Pass(tally.delivered, tally.deadLettered, left(), Optional.empty(), false);
        } catch (SpoolException e) {
            log.error("the spool at {} failed while draining: {}", spool.location(), e.getMessage());
            return new Pass(0, 0, left(), Optional.of(RetryLater.transientFailure(e.getMessage())), false);
        }
    }

    /** How many batches make about one request of {@code maxReadings}, judging by this page. */
    private int pageFor(List<SpooledBatch> page) {
        long readings = 0;
        for (SpooledBatch b : page) {
            readings += b.batch() instanceof SensorBatch sb ? sb.readings().size() : 1;
        }
        long perBatch = Math.max(1, readings / page.size());
        return (int) Math.max(MIN_PAGE, Math.min(MAX_PAGE, settings.maxReadings() / perBatch));
    }

    private long left() {
        try {
            return spool.stats().batches();
        } catch (SpoolException | RuntimeException e) {
            return -1;
        }
    }

    /** A spooled batch and what of it is still to be sent (unknown types taken out). */
    private record Work(SpooledBatch origin, Batch effective) {
        int readings() {
            return effective instanceof SensorBatch sb ? sb.readings().size() : 0;
        }
    }

    private static final class Tally {
        long delivered;
        long deadLettered;
    }

    private Optional<RetryLater> sendPage(List<SpooledBatch> page, Tally tally, Progress progress) throws SpoolException {
        List<Work> work = new ArrayList<>(page.size());
        for (SpooledBatch sb : page) {
            work.add(new Work(sb, sb.batch()));
        }
        work = strip(work, tally);
        int i = 0;
        while (i < work.size()) {
            List<Work> group = new ArrayList<>();
            Work first = work.get(i);
            group.add(first);
            i++;
            if (first.effective() instanceof SensorBatch) {
                long readings = first.readings();
                long bytes = size(first);
                while (i < work.size() && work.get(i).effective() instanceof SensorBatch
                        && readings + work.get(i).readings() <= settings.maxReadings()
                        && bytes + size(work.get(i)) <= settings.maxBytes()) {
                    readings += work.get(i).readings();
                    bytes += size(work.get(i));
                    group.add(work.get(i));
                    i++;
                }
            }
            Optional<RetryLater> stop = send(group, tally, false);
            progress.update(tally.delivered, tally.deadLettered, left());
            if (stop.isPresent() || closed) {
                return stop.isPresent() ? stop : Optional.of(RetryLater.transientFailure("shutting down"));
            }
        }
        return Optional.empty();
    }

    private static long size(Work w) {
        return w.origin().sizeBytes() > 0 ? w.origin().sizeBytes() : w.effective().toJson().length();
    }

    /** Takes the readings of types the collector does not know out of each batch, to the dead letters. */
    private List<Work> strip(List<Work> work, Tally tally) throws SpoolException {
        List<Work> out = new ArrayList<>(work.size());
        for (Work w : work) {
            if (w.effective() instanceof SensorBatch sb) {
                List<SensorBatch> parts = unknownTypes.split(sb);
                if (!parts.get(0).readings().isEmpty()) {
                    spool.deadLetter(parts.get(0), 422, "Unknown sensor type (remembered for this run)");
                    stats.deadLettered(1);
                    tally.deadLettered++;
                    out.add(new Work(w.origin(), parts.get(1)));
                    continue;
                }
            }
            out.add(w);
        }
        return out;
    }

    private Optional<RetryLater> send(List<Work> group, Tally tally, boolean relearned) throws SpoolException {
        List<SensorBatch> sensorParts = new ArrayList<>();
        Batch single = null;
        for (Work w : group) {
            if (w.effective() instanceof SensorBatch sb) {
                if (!sb.readings().isEmpty()) {
                    sensorParts.add(sb);
                }
            } else {
                single = w.effective();
            }
        }
        Batch request = single != null ? single : sensorParts.isEmpty() ? null : Batches.concat(sensorParts);
        if (request == null) {
            // Every reading went to the dead letters (unknown types): nothing left to deliver.
            spool.acknowledge(origins(group));
            return Optional.empty();
        }
        Delivery outcome = sender.send(request);
        switch (outcome) {
            case Delivered d -> {
                acknowledge(group, tally, request instanceof SensorBatch sb ? sb.readings().size() : 0);
                if (collector.failing()) {
                    log.info("the collector at {} answers again; draining the spool", sender.destination());
                }
                collector.succeeded();
                return Optional.empty();
            }
            case RetryLater r -> {
                if (r.cause() != RetryLater.Cause.NOT_REGISTERED) { // waiting for a token is no failure
                    stats.failed(r.detail(), DeliveryStats.kind(r));
                    collector.failed(r);
                }
                try {
                    spool.recordAttempt(group.get(0).origin(), r.status(), r.detail());
                } catch (SpoolException | RuntimeException e) {
                    log.debug("could not count the attempt: {}", e.getMessage());
                }
                return Optional.of(r);
            }
            case Rejected r -> {
                if (request instanceof SensorBatch sb && !r.refusedTypes().isEmpty()
                        && !unknownTypes.knowsAny(r.refusedTypes()) && !relearned) {
                    unknownTypes.learn(r.refusedTypes(), sb);
                    return send(strip(group, tally), tally, true);
                }
                if (group.size() > 1) {
                    int half = group.size() / 2;
                    Optional<RetryLater> stop = send(group.subList(0, half), tally, relearned);
                    return stop.isPresent() ? stop : send(group.subList(half, group.size()), tally, relearned);
                }
                spool.deadLetter(group.get(0).origin(), r.status(), r.reason());
                stats.deadLettered(1);
                tally.deadLettered++;
                log.warn("the collector rejected spooled batch {} for good ({} {}); it is kept in the dead letters",
                        group.get(0).origin().key(), r.status(), r.reason());
                return Optional.empty();
            }
        }
    }

    private void acknowledge(List<Work> group, Tally tally, int readings) throws SpoolException {
        spool.acknowledge(origins(group));
        tally.delivered += group.size();
        stats.deliveredSpooled(group.size(), readings, clock.instant());
    }

    private static List<SpooledBatch> origins(List<Work> group) {
        List<SpooledBatch> origins = new ArrayList<>(group.size());
        for (Work w : group) {
            origins.add(w.origin());
        }
        return origins;
    }

    private void run() {
        Duration wait = settings.interval();
        while (!closed) {
            synchronized (wake) {
                long deadline = System.nanoTime() + wait.toNanos();
                while (!woken && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wake.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
            if (closed) {
                return;
            }
            Pass pass;
            try {
                pass = drainOnce(Progress.NONE);
            } catch (RuntimeException e) {
                log.error("the retry worker failed; it tries again later", e);
                pass = new Pass(0, 0, -1, Optional.of(RetryLater.transientFailure(e.toString())), false);
            }
            if (pass.delivered() > 0 || pass.deadLettered() > 0) {
                log.info("spool: {} batch(es) delivered, {} dead-lettered, {} left", pass.delivered(), pass.deadLettered(),
                        pass.left());
            }
            Optional<RetryLater> stop = pass.stoppedBy();
            if (stop.isPresent() && stop.get().cause() != RetryLater.Cause.NOT_REGISTERED) {
                wait = backoff.failed(stop.get().after());
                log.info("the collector at {} is failing ({}); next spool retry in {} ms", sender.destination(),
                        Sender.describe(stop.get()), wait.toMillis());
            } else {
                backoff.succeeded();
                wait = settings.interval();
            }
        }
    }

    /** Stops the background drain: a request in flight gets a short grace, then is interrupted. */
    @Override
    public void close() {
        closed = true;
        wakeUp();
        if (thread.isAlive()) {
            try {
                thread.join(1_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(300);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
