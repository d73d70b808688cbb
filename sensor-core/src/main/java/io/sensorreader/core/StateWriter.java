package io.sensorreader.core;

import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.TokenSource;
import io.sensorreader.core.delivery.DeliveryStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code state.json} (read by {@code sensor-reader status}) and the optional metrics endpoint
 * current: once per cycle, on its own thread, so that the sampling thread never waits for the disk.
 * Also tells the self-update, once, that the agent has delivered, and keeps the stable launcher's
 * health report ({@link ReleaseHealth}) current.
 *
 * <p>Its facts come from what it is handed: the spool, the delivery figures, the token and, through
 * a supplier, the sensors that keep missing their read deadline; it knows nothing of the agent.
 */
final class StateWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

    private final StateFile file;
    private final Clock clock;
    private final String version;
    private final Spool spool;
    private final DeliveryStats stats;
    private final TokenSource tokens;
    private final String collector;
    private final long intervalSeconds;
    private final Runnable onFirstDelivery;
    private final int sensorCount;
    private final Supplier<Map<String, Long>> lagging;
    private final java.util.Optional<ReleaseHealth> releaseHealth;
    private final Instant startedAt;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicReference<AgentState> latest = new AtomicReference<>();
    private final AtomicBoolean healthy = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("state-writer").factory());
    private volatile Instant lastCycle;
    private final FailureLog problems;
    private final OptionalInt metricsPort;
    private MetricsEndpoint endpoint;

    StateWriter(Settings settings, Clock clock, String version, Spool spool, DeliveryStats stats, TokenSource tokens,
                String collector, Runnable onFirstDelivery) {
        this(settings, clock, version, spool, stats, tokens, collector, onFirstDelivery, java.util.Optional.empty(),
                0, Map::of);
    }

    /**
     * @param sensorCount how many sensors the agent samples
     * @param lagging the sensors that keep missing their read deadline, with their misses in a row
     *     ({@link Agent#laggingSensors()}); called on the writer thread
     */
    StateWriter(Settings settings, Clock clock, String version, Spool spool, DeliveryStats stats, TokenSource tokens,
                String collector, Runnable onFirstDelivery, java.util.Optional<ReleaseHealth> releaseHealth,
                int sensorCount, Supplier<Map<String, Long>> lagging) {
        this.releaseHealth = releaseHealth;
        this.sensorCount = sensorCount;
        this.lagging = java.util.Objects.requireNonNull(lagging, "lagging");
        this.file = new StateFile(settings.dataDir());
        this.clock = clock;
        this.version = version;
        this.spool = spool;
        this.stats = stats;
        this.tokens = tokens;
        this.collector = collector;
        this.intervalSeconds = settings.interval().toSeconds();
        this.onFirstDelivery = onFirstDelivery;
        this.startedAt = clock.instant();
        this.problems = new FailureLog(LOG, clock, Duration.ofMinutes(10));
        this.metricsPort = MetricsEndpoint.port(settings.view().getString("METRICS_PORT", null));
    }

    void start() {
        if (metricsPort.isPresent()) {
            try {
                endpoint = new MetricsEndpoint(metricsPort.getAsInt(), latest::get);
                LOG.info("metrics on http://127.0.0.1:{}/metrics", endpoint.port());
            } catch (IOException e) {
                LOG.error("cannot serve metrics on 127.0.0.1:{} ({}); going on without them", metricsPort.getAsInt(),
                        e.getMessage());
            }
        }
        writer.execute(() -> guarded(() -> {
            latest.set(snapshot(null)); // on the writer thread: the spool may still be opening
            write();
        }));
    }

    /** After each cycle, from the sampling thread: queues a write and returns. */
    void cycleDone() {
        Instant cycle = clock.instant();
        lastCycle = cycle;
        try {
            writer.execute(() -> guarded(() -> {
                latest.set(snapshot(cycle));
                write();
                if (stats.lastDelivery().isPresent() && healthy.compareAndSet(false, true)) {
                    onFirstDelivery.run();
                }
                releaseHealth.ifPresent(h -> h.cycle(stats));
            }));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** No throwable ends the writer thread; out of memory ends the agent. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (OutOfMemoryError e) {
            throw io.sensorreader.core.delivery.Fatal.outOfMemory("writing the state", e);
        } catch (Throwable e) {
            problems.failed("state file " + file.path(), "not updated (" + e + ")");
        }
    }

    private void write() {
        try {
            file.write(latest.get());
        } catch (IOException | RuntimeException e) {
            problems.failed("state file " + file.path(), "cannot be written (" + e.getMessage() + "); 'sensor-reader status'"
                    + " will not see this agent");
        }
    }

    private AgentState snapshot(Instant lastCycle) {
        long batches = 0;
        long bytes = 0;
        long dead = 0;
        long evicted = 0;
        long capacity = 0;
        try {
            SpoolStats s = spool.stats();
            batches = s.batches();
            bytes = s.bytes();
            dead = s.deadLetters();
            evicted = s.evicted();
            capacity = s.capacityBytes();
        } catch (SpoolException | RuntimeException e) {
            problems.failed("spool figures", "cannot be read: " + e.getMessage());
        }
        return new AgentState(pid, version, startedAt, lastCycle, stats.lastDelivery().orElse(null),
                stats.lastFailure().orElse(null), batches, bytes, dead, evicted, stats.deliveredReadings(),
                stats.deliveredBatches(), stats.failedAttempts(), stats.spooledBatches(), stats.lostBatches() + evicted,
                tokens.current().map(Secret::fingerprint).orElse(null), collector, Math.max(1, intervalSeconds),
                stats.notDelivering(clock.instant(), batches).orElse(null), capacity, sensorCount, lagging());
    }

    private Map<String, Long> lagging() {
        try {
            return lagging.get();
        } catch (RuntimeException e) {
            problems.failed("lagging sensors", "cannot be read: " + e.getMessage());
            return Map.of();
        }
    }

    /** Writes the state one last time (after delivery spooled what was in flight), then stops. */
    @Override
    public void close() {
        try {
            writer.execute(() -> guarded(() -> {
                latest.set(snapshot(lastCycle));
                write();
            }));
        } catch (RejectedExecutionException e) {
            // closed already
        }
        writer.shutdown();
        try {
            writer.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
