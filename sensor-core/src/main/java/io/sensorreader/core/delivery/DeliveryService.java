package io.sensorreader.core.delivery;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.TokenSource;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpooledBatch;
import io.sensorreader.core.FailureLog;
import io.sensorreader.core.Outbox;
import io.sensorreader.core.RetrySettings;
import io.sensorreader.core.TokenRenewal;
import io.sensorreader.core.delivery.OutcomeRules.Rule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's delivery, one component: the sampling loop's {@link Outbox}, the live path and the
 * spool drain on one thread ({@code delivery}), both deciding by {@link OutcomeRules}.
 *
 * <p>Live path: each batch is sent once, at once; what is not delivered is spooled. While the
 * collector is out, only batches of the last interval are offered (the traffic the agent makes
 * anyway); older ones go straight to the spool. The first success after an outage schedules the
 * drain after a random delay of at most {@link #RECOVERY_SPREAD}, so that a fleet does not drain at
 * the same second; from then on the drain goes at full speed, one request after the other, with
 * every live batch sent before the next drain request.
 *
 * <p>Drain: pages of the spool, bounded by count and by bytes ({@code RETRY_MAX_BYTES}); the
 * sensor batches of a page are joined into requests of at most {@code RETRY_MAX_READINGS}
 * readings and {@code RETRY_MAX_BYTES} bytes even when device statuses lie between them; the
 * statuses go in their own requests, in spool order. A pass stops on an outage and backs off with
 * full jitter ({@link Backoff}, capped by {@code RETRY_MAX_BACKOFF}, {@code Retry-After} within the
 * cap); a part struck as a possible poison goes to the back of the queue so that the pass goes on;
 * it ends when it meets a record it moved.
 *
 * <p>Threads: {@link #submit} from the sampling thread (never blocks); the rest on the delivery
 * thread, or on the caller's for {@link #drainOnce} (when not started). No throwable ends the
 * delivery thread; an {@link OutOfMemoryError} ends the agent ({@link Fatal}). Taps run on their
 * own executor ({@link Taps}).
 */
public final class DeliveryService implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    /** The longest random delay between the first success after an outage and the drain. */
    public static final Duration RECOVERY_SPREAD = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofMillis(1000);
    private static final Duration SLICE = Duration.ofMillis(1000);
    private static final int MIN_PAGE = 20;
    private static final int MAX_PAGE = 1_000;

    private final Sender sender;
    private final Spool spool;
    private final RetrySettings settings;
    private final Duration interval;
    private final Clock clock;
    private final RandomGenerator random;
    private final DeliveryStats stats;
    private final Taps taps;
    private final FailureLog problems;
    private final FailureLog deadLog;
    private final Backoff backoff;
    private final Thread thread;
    private final Object monitor = new Object();
    private final ConcurrentLinkedDeque<Live> live = new ConcurrentLinkedDeque<>();
    private final AtomicReference<Live> inFlight = new AtomicReference<>();
    private final AtomicReference<SpooledBatch> abandoned = new AtomicReference<>();
    private volatile boolean closed;
    private volatile boolean woken;
    private final List<Runnable> statusListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeAfter = new java.util.concurrent.CopyOnWriteArrayList<>();

    // Delivery thread only (or drainOnce's caller) from here on.
    private final Set<String> refusedTypes = ConcurrentHashMap.newKeySet();
    private final Set<String> suspects = new HashSet<>();
    private final Map<String, Strike> strikes = new HashMap<>();
    private final List<SpooledBatch> acks = new ArrayList<>();
    private long successes;
    private Instant lastSuccess;
    private boolean outage;
    private Instant nextDrainAt;
    private DrainPass pass;
    private Optional<RetryLater> lastStop = Optional.empty();

    /**
     * @param primary the exporter whose outcomes decide
     * @param tapExporters further exporters that see every live batch, best effort, on their own executor
     * @param tokens the token in use (to renew after a 401, and to scrub)
     * @param interval the sampling interval
     */
    public DeliveryService(Exporter primary, List<Exporter> tapExporters, Spool spool, TokenSource tokens,
                           TokenRenewal renewal, RetrySettings settings, Duration interval, Clock clock,
                           RandomGenerator random, Redactor redactor, DeliveryStats stats) {
        this.spool = spool;
        this.settings = settings;
        this.interval = interval;
        this.clock = clock;
        this.random = random;
        this.stats = stats;
        this.problems = new FailureLog(log, clock, Duration.ofMinutes(5));
        this.deadLog = new FailureLog(log, clock, Duration.ofHours(1));
        this.sender = new Sender(primary, tokens, renewal, settings.renewWait(), redactor);
        this.taps = new Taps(tapExporters, problems);
        this.backoff = new Backoff(settings.interval(), settings.maxBackoff(), random);
        this.thread = Thread.ofPlatform().name("delivery").daemon().unstarted(this::run);
    }

    /** Starts the delivery thread; it drains what the spool holds at once. */
    public void start() {
        start(true);
    }

    /**
     * Starts the delivery thread.
     *
     * @param drainAtOnce false when the spool is still opening: live batches go out at once and the
     *     first drain waits for {@link #drainNow()} (called when the spool is open), so that the first
     *     delivery never waits for the spool
     */
    public void start(boolean drainAtOnce) {
        if (drainAtOnce) {
            nextDrainAt = clock.instant();
        }
        thread.start();
    }

    /** What became of batches. */
    public DeliveryStats stats() {
        return stats;
    }

    @Override
    public void submit(Batch batch) {
        taps.offer(batch);
        if (closed) {
            store(batch, 0, null);
            return;
        }
        live.add(new Live(batch, clock.instant()));
        wake();
        if (batch instanceof DeviceStatus) {
            for (Runnable r : statusListeners) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    problems.failed("status listener", "failed (" + e + ")");
                }
            }
        }
    }

    /** Runs {@code listener} on the sampling thread after each device status (the end of a cycle). */
    public void onStatus(Runnable listener) {
        statusListeners.add(listener);
    }

    /** Closes {@code c} after this service, in the order given (the state writer, the keeper, the spool). */
    public void closeAfter(AutoCloseable c) {
        closeAfter.add(c);
    }

    /** Asks for a drain pass now (e.g. when the first token came). */
    public void drainNow() {
        woken = true;
        wake();
    }

    private void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    @Override
    public String summary() {
        return "since start " + stats.deliveredBatches() + " batches (" + stats.deliveredReadings() + " readings) delivered, "
                + stats.spooledBatches() + " spooled, " + stats.deadLetteredBatches() + " dead-lettered";
    }

    // ---- the delivery thread ---------------------------------------------------------------

    private void run() {
        try {
            while (!closed) {
                try {
                    step();
                } catch (OutOfMemoryError e) {
                    throw Fatal.outOfMemory("delivering", e);
                } catch (InterruptedException e) {
                    if (closed) {
                        break;
                    }
                } catch (Throwable e) {
                    problems.failed("delivery", "unexpected failure (" + e + "); delivery goes on");
                    log.debug("the failure", e);
                    endPass(Flow.STOP);
                }
            }
        } finally {
            if (pass != null) {
                pass.lock.close();
                pass = null;
            }
        }
    }

    private void step() throws InterruptedException {
        Live next = live.poll();
        if (next != null) {
            live(next);
            return;
        }
        if (pass != null) {
            Flow flow = page(pass, RetryProgress.NONE, true);
            if (flow != Flow.GO) {
                endPass(flow);
            }
            return;
        }
        Instant now = clock.instant();
        if (woken || nextDrainAt != null && !now.isBefore(nextDrainAt)) {
            woken = false;
            beginPass();
            return;
        }
        synchronized (monitor) {
            if (live.isEmpty() && !closed && !woken) {
                long millis = SLICE.toMillis();
                if (nextDrainAt != null) {
                    millis = Math.clamp(Duration.between(now, nextDrainAt).toMillis(), 1, SLICE.toMillis());
                }
                monitor.wait(millis);
            }
        }
    }

    private void beginPass() {
        try {
            Optional<Spool.DrainLock> lock = spool.tryLockDrain();
            if (lock.isEmpty()) {
                nextDrainAt = clock.instant().plus(settings.interval()); // another process drains
                return;
            }
            pass = new DrainPass(lock.get());
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot take the drain lock", e);
            nextDrainAt = clock.instant().plus(backoff.failed(Optional.empty()));
        }
    }

    private void endPass(Flow flow) {
        DrainPass ended = pass;
        pass = null;
        if (ended != null) {
            ended.lock.close();
            if (ended.delivered > 0 || ended.deadLettered > 0) {
                log.info("spool: {} batch(es) delivered, {} dead-lettered, {} left", ended.delivered, ended.deadLettered,
                        left());
            }
        }
        Instant now = clock.instant();
        switch (flow) {
            case EMPTY -> {
                backoff.succeeded();
                nextDrainAt = null;
            }
            case END -> nextDrainAt = now.plus(settings.interval());
            case STOP, GO -> {
                if (closed) {
                    return;
                }
                if (lastStop.isPresent() && lastStop.get().cause() == RetryLater.Cause.NOT_REGISTERED) {
                    nextDrainAt = now.plus(settings.maxBackoff()); // and at once when the token comes
                } else {
                    Duration wait = backoff.failed(lastStop.flatMap(RetryLater::after));
                    nextDrainAt = now.plus(wait);
                    log.info("the collector at {} is failing ({}); next spool retry in {} ms", sender.destination(),
                            lastStop.map(Sender::describe).orElse("unknown"), wait.toMillis());
                }
            }
        }
    }

    // ---- live ------------------------------------------------------------------------------

    private void live(Live item) {
        Instant now = clock.instant();
        stats.offered(item.batch, now);
        if (outage && Duration.between(item.at, now).compareTo(interval) > 0) {
            store(item.batch, 0, null); // stale: the collector is out and this cycle's batches are on their way
            return;
        }
        inFlight.set(item);
        Origin origin = new Origin(item.batch, null);
        origin.liveItem = item;
        try {
            List<Part> parts = prepare(origin);
            Flow flow = Flow.GO;
            for (Part p : parts) {
                if (flow == Flow.STOP || inFlight.get() != item) {
                    keep(p, false, 0, null);
                } else {
                    flow = send(List.of(p), 0);
                }
            }
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            problems.failed("delivery", "unexpected failure with a " + item.batch.kind().label() + " (" + e
                    + "); it is kept in the spool");
            origin.failedHard = true;
            finish(origin);
        } finally {
            if (!origin.released && !inFlight.compareAndSet(item, null)) {
                // close() gave up waiting and spooled this batch already: take it back out if it arrived.
                SpooledBatch copy = abandoned.getAndSet(null);
                if (copy != null && origin.deliveredWhole) {
                    try {
                        spool.acknowledge(List.of(copy));
                    } catch (SpoolException | RuntimeException e) {
                        log.warn("a batch delivered during shutdown is also in the spool and will be sent again: {}",
                                e.getMessage());
                    }
                }
            }
            flushAcks();
        }
    }

    // ---- drain -----------------------------------------------------------------------------

    /** The outcome of a {@link #drainOnce} pass. */
    public record Pass(long delivered, long deadLettered, long left, Optional<RetryLater> stoppedBy, boolean busy) {
    }

    /** Told after each request of a pass. */
    @FunctionalInterface
    public interface RetryProgress {
        void update(long delivered, long deadLettered, long left);

        RetryProgress NONE = (d, x, l) -> { };
    }

    /**
     * One pass on the caller's thread, for {@code retry-now}: until the spool is empty, the
     * collector stops taking batches, or only struck parts are left. Not while {@link #start()}ed.
     */
    public Pass drainOnce(RetryProgress progress) {
        Optional<Spool.DrainLock> lock;
        try {
            lock = spool.tryLockDrain();
        } catch (SpoolException e) {
            return new Pass(0, 0, left(), Optional.of(RetryLater.transientFailure(e.getMessage())), true);
        }
        if (lock.isEmpty()) {
            return new Pass(0, 0, left(), Optional.empty(), true);
        }
        DrainPass p = new DrainPass(lock.get());
        lastStop = Optional.empty();
        try {
            Flow flow;
            do {
                flow = page(p, progress, false);
            } while (flow == Flow.GO && !closed);
            return new Pass(p.delivered, p.deadLettered, left(), flow == Flow.STOP ? lastStop : Optional.empty(), false);
        } finally {
            p.lock.close();
        }
    }

    /** One page of a pass. */
    private Flow page(DrainPass p, RetryProgress progress, boolean liveBetween) {
        List<SpooledBatch> page;
        try {
            page = spool.oldest(p.pageSize, settings.maxBytes());
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot read the spool", e);
            lastStop = Optional.of(RetryLater.transientFailure("the spool failed: " + e.getMessage()));
            return Flow.STOP;
        }
        if (page.isEmpty()) {
            return Flow.EMPTY;
        }
        p.pageSize = pageFor(page);
        List<Origin> origins = new ArrayList<>(page.size());
        boolean wrapped = false;
        for (SpooledBatch sb : page) {
            if (p.moved.contains(sb.key())) {
                wrapped = true;
                break;
            }
            origins.add(new Origin(sb.batch(), sb));
        }
        if (origins.isEmpty()) {
            return Flow.END;
        }
        long before = p.delivered + p.deadLettered;
        Request request = new Request(p, progress);
        for (int i = 0; i < origins.size() && request.flow == Flow.GO && !closed; i++) {
            Origin o = origins.get(i);
            o.pass = p;
            for (Part part : prepare(o)) {
                request.add(part);
            }
            if (liveBetween) {
                Live next;
                while ((next = live.poll()) != null) {
                    live(next);
                }
            }
        }
        request.flush();
        Flow flow = request.flow;
        flushAcks();
        if (closed && flow == Flow.GO) {
            lastStop = Optional.of(RetryLater.transientFailure("shutting down"));
            return Flow.STOP;
        }
        if (flow != Flow.GO) {
            return flow;
        }
        boolean moved = p.delivered + p.deadLettered > before || p.movedSomething;
        p.movedSomething = false;
        return wrapped || !moved ? Flow.END : Flow.GO;
    }

    /**
     * The requests of a page: sensor parts joined up to the limits, the statuses met on the way
     * each in its own request right after the sensor request they came with, in spool order.
     */
    private final class Request {
        final DrainPass pass;
        final RetryProgress progress;
        List<Part> group = new ArrayList<>();
        final List<Part> statuses = new ArrayList<>();
        long readings;
        long bytes;
        Flow flow = Flow.GO;

        Request(DrainPass pass, RetryProgress progress) {
            this.pass = pass;
            this.progress = progress;
        }

        void add(Part part) {
            if (flow != Flow.GO || closed) {
                keep(part, false, 0, null);
                return;
            }
            if (part.batch instanceof SensorBatch sb) {
                long size = size(part);
                if (!group.isEmpty() && (readings + sb.readings().size() > settings.maxReadings()
                        || bytes + size > settings.maxBytes())) {
                    flush();
                    if (flow != Flow.GO) {
                        keep(part, false, 0, null);
                        return;
                    }
                }
                group.add(part);
                readings += sb.readings().size();
                bytes += size;
            } else {
                statuses.add(part);
            }
        }

        void flush() {
            if (!group.isEmpty()) {
                if (flow == Flow.GO && !closed) {
                    flow = sendCounted(group, pass, progress);
                } else {
                    group.forEach(part -> keep(part, false, 0, null));
                }
            }
            group = new ArrayList<>();
            readings = 0;
            bytes = 0;
            for (Part status : statuses) {
                if (flow == Flow.GO && !closed) {
                    flow = sendCounted(List.of(status), pass, progress);
                } else {
                    keep(status, false, 0, null);
                }
            }
            statuses.clear();
        }
    }

    private Flow sendCounted(List<Part> group, DrainPass p, RetryProgress progress) {
        Flow flow = send(group, 0);
        flushAcks();
        progress.update(p.delivered, p.deadLettered, left());
        return flow;
    }

    /** How many batches make about one request of {@code maxReadings}, judging by this page. */
    private int pageFor(List<SpooledBatch> page) {
        long readings = 0;
        for (SpooledBatch b : page) {
            readings += b.batch() instanceof SensorBatch sb ? Math.max(1, sb.readings().size()) : 1;
        }
        long perBatch = Math.max(1, readings / page.size());
        return (int) Math.max(MIN_PAGE, Math.min(MAX_PAGE, 2L * settings.maxReadings() / perBatch));
    }

    private static long size(Part part) {
        if (part.origin.stored != null && part.batch == part.origin.original && part.origin.stored.sizeBytes() > 0) {
            return part.origin.stored.sizeBytes();
        }
        return part.batch.toJson().length();
    }

    private long left() {
        try {
            return spool.stats().batches();
        } catch (SpoolException | RuntimeException e) {
            return -1;
        }
    }

    // ---- the table, applied ----------------------------------------------------------------

    /** What of a batch is to be sent, after the rules that apply before any send. */
    private List<Part> prepare(Origin o) {
        Batch batch = o.original;
        long bytes = o.stored != null && o.stored.sizeBytes() > 0 ? o.stored.sizeBytes() : batch.toJson().length();
        if (bytes > settings.maxBytes() && batch.toJson().length() > settings.maxBytes()) {
            o.open = 1;
            deadLetter(new Part(o, batch, false), 0, "too large to send: " + batch.toJson().length()
                    + " bytes, more than RETRY_MAX_BYTES (" + settings.maxBytes() + ")", "too large to send");
            return List.of();
        }
        if (!(batch instanceof SensorBatch sb)) {
            o.open = 1;
            return List.of(new Part(o, batch, false));
        }
        List<Part> parts = new ArrayList<>(2);
        SensorBatch rest = sb;
        if (!refusedTypes.isEmpty()) {
            List<SensorBatch> split = Batches.partition(rest, r -> refusedTypes.contains(r.type()));
            if (!split.get(0).readings().isEmpty()) {
                deadLetterReadings(o, split.get(0), 422, "Unknown sensor type: " + split.get(0).readings().stream()
                        .map(Reading::type).distinct().sorted().collect(java.util.stream.Collectors.joining(", ")));
                rest = split.get(1);
            }
        }
        if (!suspects.isEmpty() && !rest.readings().isEmpty()) {
            List<SensorBatch> split = Batches.partition(rest, r -> suspects.contains(sensorKey(r)));
            if (!split.get(0).readings().isEmpty() && !split.get(1).readings().isEmpty()) {
                parts.add(new Part(o, split.get(1), false));
                parts.add(new Part(o, split.get(0), true));
            } else if (!split.get(0).readings().isEmpty()) {
                parts.add(new Part(o, rest, true));
            }
        }
        if (parts.isEmpty() && !rest.readings().isEmpty()) {
            parts.add(new Part(o, rest, false));
        }
        o.open = parts.size();
        if (parts.isEmpty()) {
            finish(o); // every reading went to the dead letters
        }
        return parts;
    }

    private static String sensorKey(Reading r) {
        return r.type() + "/" + r.sensorId();
    }

    /** One request for the group; the table decides; returns whether to go on. */
    private Flow send(List<Part> group, int depth) {
        Batch request;
        int readings = 0;
        if (group.size() == 1) {
            request = group.get(0).batch;
        } else {
            List<SensorBatch> sensor = new ArrayList<>(group.size());
            for (Part p : group) {
                sensor.add((SensorBatch) p.batch);
            }
            request = Batches.concat(sensor);
        }
        if (request instanceof SensorBatch sb) {
            readings = sb.readings().size();
        }
        Delivery outcome = sender.send(request);
        Instant now = clock.instant();
        Rule rule = OutcomeRules.of(outcome);
        switch (rule) {
            case DELIVERED -> {
                successes++;
                lastSuccess = now;
                stats.delivered(group.size(), readings, now);
                if (outage) {
                    outage = false;
                    Duration spread = Duration.ofMillis(random.nextLong(RECOVERY_SPREAD.toMillis() + 1));
                    if (pass == null && !isDraining(group)) {
                        nextDrainAt = now.plus(spread);
                    }
                    log.info("the collector at {} answers again; the spool drains in {} s", sender.destination(),
                            spread.toSeconds());
                }
                problems.succeeded("delivery to " + sender.destination());
                backoff.succeeded();
                for (Part p : group) {
                    p.origin.delivered(p);
                    done(p);
                }
                return Flow.GO;
            }
            case REFUSED_TYPES -> {
                Rejected r = (Rejected) outcome;
                stats.failed(Sender.describe(r), DeliveryStats.kind(r));
                learnTypes(r.refusedTypes(), request);
                List<Part> again = new ArrayList<>(group.size());
                for (Part p : group) {
                    if (p.batch instanceof SensorBatch sb) {
                        List<SensorBatch> split = Batches.partition(sb, x -> r.refusedTypes().contains(x.type()));
                        if (!split.get(0).readings().isEmpty()) {
                            deadLetterReadings(p.origin, split.get(0), r.status(), r.reason());
                        }
                        if (split.get(1).readings().isEmpty()) {
                            done(p);
                        } else {
                            again.add(new Part(p.origin, split.get(1), p.suspects));
                        }
                    } else {
                        again.add(p);
                    }
                }
                if (again.isEmpty()) {
                    return Flow.GO;
                }
                if (depth < 3) {
                    return send(again, depth + 1);
                }
                for (Part p : again) {
                    deadLetter(p, r.status(), r.reason(), r.reason());
                }
                return Flow.GO;
            }
            case REJECTED -> {
                Rejected r = (Rejected) outcome;
                stats.failed(Sender.describe(r), DeliveryStats.kind(r));
                if (group.size() > 1) {
                    return halves(group, depth);
                }
                deadLetter(group.get(0), r.status(), r.reason(), r.status() + " " + r.reason());
                return Flow.GO;
            }
            case SERVER_FAULT -> {
                RetryLater r = (RetryLater) outcome;
                if (!answersOthers(group, now)) {
                    // No evidence yet that the collector stores anything: keep the parts, and let the
                    // requests after this one (statuses first of all) show whether it answers at all.
                    DrainPass dp = group.get(0).origin.pass;
                    if (dp != null && dp.faultsWithoutEvidence++ >= 1) {
                        return stop(group, r, DeliveryStats.Problem.UNREACHABLE);
                    }
                    stats.failed(Sender.describe(r));
                    stats.problem(DeliveryStats.Problem.UNREACHABLE, r.detail(), now);
                    problems.failed("delivery to " + sender.destination(), Sender.describe(r)
                            + "; batches are kept in the spool and retried");
                    lastStop = Optional.of(r);
                    group.forEach(p -> keep(p, false, r.status(), r.detail()));
                    return Flow.GO;
                }
                stats.failed(Sender.describe(r), DeliveryStats.kind(r));
                if (group.size() > 1) {
                    return halves(group, depth);
                }
                Part p = group.get(0);
                if (p.batch instanceof SensorBatch sb && sb.readings().size() > 1 && !p.suspects) {
                    List<SensorBatch> two = Batches.halves(sb);
                    p.origin.open += 1;
                    Flow first = send(List.of(new Part(p.origin, two.get(0), false)), depth + 1);
                    Part second = new Part(p.origin, two.get(1), false);
                    if (first != Flow.GO) {
                        keep(second, false, r.status(), r.detail());
                        return first;
                    }
                    return send(List.of(second), depth + 1);
                }
                return strike(p, r, now);
            }
            case NO_TOKEN -> {
                RetryLater r = (RetryLater) outcome;
                stats.problem(DeliveryStats.Problem.NOT_REGISTERED, r.detail(), now);
                lastStop = Optional.of(r);
                group.forEach(p -> keep(p, false, 0, null));
                return Flow.STOP;
            }
            case AUTHENTICATION -> {
                return stop(group, (RetryLater) outcome, DeliveryStats.Problem.AUTHENTICATION);
            }
            case MISDIRECTED -> {
                return stop(group, (RetryLater) outcome, DeliveryStats.Problem.MISDIRECTED);
            }
            default -> {
                return stop(group, (RetryLater) outcome, DeliveryStats.Problem.UNREACHABLE);
            }
        }
    }

    private boolean isDraining(List<Part> group) {
        return group.get(0).origin.stored != null;
    }

    private Flow halves(List<Part> group, int depth) {
        int half = group.size() / 2;
        Flow first = send(group.subList(0, half), depth + 1);
        if (first != Flow.GO) {
            group.subList(half, group.size()).forEach(p -> keep(p, false, 0, null));
            return first;
        }
        return send(group.subList(half, group.size()), depth + 1);
    }

    /** Whether the collector stored something lately, and since this part's last strike. */
    private boolean answersOthers(List<Part> group, Instant now) {
        if (lastSuccess == null || Duration.between(lastSuccess, now).compareTo(interval.multipliedBy(3)) > 0) {
            return false;
        }
        if (group.size() > 1) {
            return true;
        }
        Origin o = group.get(0).origin;
        o.strike();
        return successes > o.startSeq;
    }

    private Flow strike(Part p, RetryLater r, Instant now) {
        Strike s = p.origin.strike();
        if (!p.origin.struck) {
            p.origin.struck = true;
            s.count++;
            s.seq = successes;
        }
        Set<String> sensors = new TreeSet<>();
        if (p.batch instanceof SensorBatch sb) {
            for (Reading reading : sb.readings()) {
                sensors.add(reading.sensorId());
                if (suspects.add(sensorKey(reading))) {
                    log.info("the collector fails on readings of sensor '{}' ({}) while it stores others; they are sent on"
                            + " their own from now on", reading.sensorId(), r.detail());
                }
            }
        }
        if (s.count >= OutcomeRules.POISON_ATTEMPTS) {
            String reason = OutcomeRules.poisonReason(p.batch.kind(), r.status(), r.detail(), sensors, s.count);
            stats.problem(DeliveryStats.Problem.POISON, p.batch.kind().label() + (sensors.isEmpty() ? ""
                    : " of " + String.join(", ", sensors)) + " dead-lettered after " + r.status(), now);
            deadLetter(p, r.status(), reason, "poison " + p.batch.kind().label() + " (" + r.status()
                    + (sensors.isEmpty() ? "" : ", sensors " + String.join(", ", sensors)) + ")");
        } else {
            keep(p, true, r.status(), r.detail());
        }
        return Flow.GO;
    }

    private Flow stop(List<Part> group, RetryLater r, DeliveryStats.Problem problem) {
        Instant now = clock.instant();
        stats.failed(Sender.describe(r), DeliveryStats.kind(r));
        stats.problem(problem, r.detail(), now);
        problems.failed("delivery to " + sender.destination(), Sender.describe(r) + "; batches are kept in the spool"
                + " and retried");
        outage = true;
        lastStop = Optional.of(r);
        group.forEach(p -> keep(p, false, r.status(), r.detail()));
        if (pass == null && nextDrainAt == null) {
            // A live failure with no drain due: probe with the backoff (the live path probes too).
            nextDrainAt = now.plus(backoff.failed(r.after()));
        }
        return Flow.STOP;
    }

    private void learnTypes(Set<String> types, Batch request) {
        for (String type : types) {
            if (refusedTypes.add(type)) {
                Set<String> sensors = new TreeSet<>();
                if (request instanceof SensorBatch sb) {
                    for (Reading r : sb.readings()) {
                        if (r.type().equals(type)) {
                            sensors.add(r.sensorId());
                        }
                    }
                }
                log.warn("the collector does not know the sensor type '{}' (used by {}); their readings go to the dead"
                        + " letters from now on and the other sensors are delivered without them. Teach the collector the"
                        + " type, then run 'sensor-reader spool requeue --type {}'", type,
                        sensors.isEmpty() ? "no sensor of this batch" : String.join(", ", sensors), type);
            }
        }
    }

    // ---- what becomes of parts and their batches -------------------------------------------

    private void done(Part p) {
        p.origin.open--;
        if (p.origin.open <= 0) {
            finish(p.origin);
        }
    }

    private void keep(Part p, boolean struck, int status, String detail) {
        p.origin.kept.add(p.batch);
        p.origin.moveBack |= struck;
        if (status != 0 || detail != null) {
            p.origin.attempted = true;
            p.origin.lastStatus = status;
            p.origin.lastDetail = detail;
        }
        done(p);
    }

    private void deadLetter(Part p, int status, String reason, String cause) {
        Origin o = p.origin;
        try {
            if (o.stored != null && p.batch == o.original) {
                spool.deadLetter(o.stored, status, reason);
                o.gone = true;
            } else {
                spool.deadLetter(p.batch, status, reason);
            }
            stats.deadLettered(1);
            if (o.pass != null) {
                o.pass.deadLettered++;
            }
            countDeadLetter(cause, p.batch.kind().label() + " " + status + ": " + reason);
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot keep a dead letter", e);
            stats.lost(1);
        }
        done(p);
    }

    private void deadLetterReadings(Origin o, SensorBatch readings, int status, String reason) {
        try {
            spool.deadLetter(readings, status, reason);
            stats.deadLettered(1);
            if (o.pass != null) {
                o.pass.deadLettered++;
            }
            countDeadLetter(reason, readings.readings().size() + " reading(s) of " + readings.readings().stream()
                    .map(Reading::sensorId).distinct().sorted().toList());
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot keep a dead letter", e);
            stats.lost(1);
        }
    }

    private void countDeadLetter(String cause, String latest) {
        deadLog.counted("dead letters (" + cause + ")", latest + ". Inspect them with 'sensor-reader spool dead';"
                + " once the cause is fixed, 'sensor-reader spool requeue --all' sends them again, 'sensor-reader spool"
                + " purge --all' deletes them", "dead letters");
    }

    /** All parts of a batch are settled: acknowledge, replace, move to the back, or spool it. */
    private void finish(Origin o) {
        if (o.finished) {
            return;
        }
        o.finished = true;
        if (o.stored == null) {
            if (o.failedHard && o.kept.isEmpty() && !o.anyDelivered) {
                o.kept.add(o.original);
            }
            if (o.liveItem != null) {
                if (!inFlight.compareAndSet(o.liveItem, null)) {
                    return; // close() spooled the batch already
                }
                o.released = true;
            }
            for (Batch b : o.kept) {
                store(b, o.lastStatus, o.strikeOrNull());
            }
            return;
        }
        if (o.gone) {
            return;
        }
        try {
            if (o.kept.isEmpty()) {
                acks.add(o.stored);
                if (o.pass != null) {
                    o.pass.delivered++;
                }
                strikes.remove(o.stored.key());
            } else if (o.kept.size() == 1 && o.kept.get(0) == o.original && !o.moveBack) {
                if (o.attempted) {
                    spool.recordAttempt(o.stored, o.lastStatus, o.lastDetail == null ? "" : o.lastDetail);
                }
            } else {
                Strike s = strikes.remove(o.stored.key());
                for (Batch b : o.kept) {
                    SpooledBatch again = spool.append(b, o.lastStatus);
                    if (s != null) {
                        strikes.put(again.key(), s.copy());
                    }
                    if (o.pass != null && o.moveBack) {
                        o.pass.moved.add(again.key());
                        o.pass.movedSomething = true;
                    }
                }
                spool.acknowledge(List.of(o.stored));
            }
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot update the spool", e);
        }
    }

    private void flushAcks() {
        if (acks.isEmpty()) {
            return;
        }
        try {
            spool.acknowledge(List.copyOf(acks));
        } catch (SpoolException | RuntimeException e) {
            spoolFailed("cannot acknowledge delivered batches (they will be sent again)", e);
        }
        acks.clear();
    }

    /** Spools a batch; a second failure loses it, loudly. */
    private SpooledBatch store(Batch batch, int status, Strike strike) {
        for (int attempt = 1; ; attempt++) {
            try {
                SpooledBatch stored = spool.append(batch, status);
                stats.spooled();
                if (strike != null) {
                    strikes.put(stored.key(), strike.copy());
                }
                if (nextDrainAt == null) {
                    nextDrainAt = clock.instant().plus(settings.interval());
                }
                return stored;
            } catch (SpoolException | RuntimeException e) {
                if (attempt >= 2) {
                    stats.lost(1);
                    spoolFailed("could not store a " + batch.kind().label() + " of " + batch.timestamp() + "; it is lost", e);
                    return null;
                }
            }
        }
    }

    private void spoolFailed(String what, Exception e) {
        stats.problem(DeliveryStats.Problem.SPOOL, what + ": " + e.getMessage(), clock.instant());
        problems.failed("spool " + spool.location(), what + ": " + e.getMessage());
    }

    // ---- shutdown --------------------------------------------------------------------------

    /** Stops taking batches, gives a request in flight a short grace, spools what is not delivered. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        if (thread.isAlive()) {
            try {
                thread.join(GRACE.toMillis());
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(300);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int stored = 0;
        Live stuck = inFlight.getAndSet(null);
        if (stuck != null) {
            abandoned.set(store(stuck.batch, 0, null));
            stored++;
        }
        Live rest;
        while ((rest = live.poll()) != null) {
            store(rest.batch, 0, null);
            stored++;
        }
        if (stored > 0) {
            log.info("spooled {} undelivered batch(es) at shutdown", stored);
        }
        taps.close();
        for (AutoCloseable c : closeAfter) {
            try {
                c.close();
            } catch (Exception | LinkageError e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    // ---- values ----------------------------------------------------------------------------

    private enum Flow {
        /** Go on with the next request. */
        GO,
        /** The collector does not take batches now: stop, back off. */
        STOP,
        /** The spool is empty. */
        EMPTY,
        /** Only parts struck in this pass are left: the next pass after RETRY_INTERVAL. */
        END
    }

    private record Live(Batch batch, Instant at) {
    }

    private record Part(Origin origin, Batch batch, boolean suspects) {
    }

    private static final class Strike {
        int count;
        long seq = -1;

        Strike copy() {
            Strike s = new Strike();
            s.count = count;
            s.seq = seq;
            return s;
        }
    }

    /** A batch as it came (live, or a spooled record) and what became of its parts. */
    private final class Origin {
        final Batch original;
        final SpooledBatch stored;
        final List<Batch> kept = new ArrayList<>(1);
        DrainPass pass;
        Live liveItem;
        Strike strike;
        long startSeq = -1;
        boolean struck;
        boolean finished;
        boolean released;
        int open;
        boolean moveBack;
        boolean attempted;
        boolean gone;
        boolean failedHard;
        boolean anyDelivered;
        boolean deliveredWhole;
        int lastStatus;
        String lastDetail;

        Origin(Batch original, SpooledBatch stored) {
            this.original = original;
            this.stored = stored;
        }

        Strike strike() {
            if (strike == null) {
                strike = stored == null ? null : strikes.get(stored.key());
                if (strike == null) {
                    strike = new Strike();
                    if (stored != null) {
                        strikes.put(stored.key(), strike);
                    }
                }
                startSeq = strike.seq;
            }
            return strike;
        }

        Strike strikeOrNull() {
            return strike != null && strike.count > 0 ? strike : null;
        }

        void delivered(Part p) {
            anyDelivered = true;
            if (p.batch == original) {
                deliveredWhole = true;
            }
        }
    }

    private static final class DrainPass {
        final Spool.DrainLock lock;
        final Set<String> moved = new LinkedHashSet<>();
        int pageSize = MIN_PAGE;
        int faultsWithoutEvidence;
        long delivered;
        long deadLettered;
        boolean movedSomething;

        DrainPass(Spool.DrainLock lock) {
            this.lock = lock;
        }
    }
}
