package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's delivery pipeline, as the sampling loop's {@link Outbox}: live batches are sent at
 * once on their own thread ({@link Dispatcher}); what fails is spooled and drained beside them by
 * the {@link RetryWorker}; taps (extra exporters such as the log exporter) see every live batch,
 * and their failures are only logged.
 *
 * <pre>{@code
 * Courier courier = new Courier(exporter, List.of(), spool, tokenKeeper, tokenKeeper::renewAfterUnauthorized,
 *         RetrySettings.from(settings), clock);
 * courier.start();
 * loop.run(courier);        // submit() per batch
 * courier.close();          // at shutdown: spools what is in flight
 * }</pre>
 */
public final class Courier implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(Courier.class);

    private final List<Exporter> taps;
    private final Dispatcher dispatcher;
    private final RetryWorker retryWorker;
    private final DeliveryStats stats = new DeliveryStats();
    private final UnknownTypes unknownTypes = new UnknownTypes();
    private final FailureLog tapFailures;

    /**
     * @param primary the exporter whose outcomes decide what is spooled
     * @param taps further exporters that see every live batch, best effort
     * @param spool where undelivered batches wait, and the dead letters
     * @param tokens the current token, to know which one a 401 refused
     * @param renewal re-registration after a 401; {@link TokenRenewal#NONE} without registration
     */
    public Courier(Exporter primary, List<Exporter> taps, Spool spool, TokenSource tokens, TokenRenewal renewal,
                   RetrySettings settings, Clock clock) {
        this(primary, taps, spool, tokens, renewal, settings, clock, RandomGenerator.getDefault());
    }

    Courier(Exporter primary, List<Exporter> taps, Spool spool, TokenSource tokens, TokenRenewal renewal,
            RetrySettings settings, Clock clock, RandomGenerator random) {
        this.taps = List.copyOf(taps);
        FailureLog problems = new FailureLog(log, clock, Duration.ofMinutes(5));
        this.tapFailures = problems;
        Sender sender = new Sender(primary, tokens, renewal, settings.renewWait(), problems);
        CollectorState collector = new CollectorState();
        this.dispatcher = new Dispatcher(sender, spool, unknownTypes, collector, stats, clock, problems);
        this.retryWorker = new RetryWorker(sender, spool, unknownTypes, collector, stats, clock, settings, random);
    }

    /** Starts the live sender and the background drain. */
    public void start() {
        dispatcher.start();
        retryWorker.start();
    }

    @Override
    public void submit(Batch batch) {
        for (Exporter tap : taps) {
            try {
                tap.deliver(batch);
            } catch (RuntimeException | LinkageError e) {
                tapFailures.failed("tap " + tap.destination(), "failed (" + e + ")");
            }
        }
        dispatcher.submit(batch);
    }

    /** Asks the retry worker for a pass now. */
    public void drainNow() {
        retryWorker.wakeUp();
    }

    /**
     * One drain pass on the caller's thread, for {@code retry-now}; without {@link #start()}.
     */
    public RetryWorker.Pass drainOnce(RetryWorker.Progress progress) {
        return retryWorker.drainOnce(progress);
    }

    /** What became of batches since start. */
    public DeliveryStats stats() {
        return stats;
    }

    /** Stops sampling hand-offs, spools what is in flight, stops the drain; within about 1.5 s. */
    @Override
    public void close() {
        Thread live = Thread.ofPlatform().name("close-live").start(dispatcher::close);
        retryWorker.close();
        try {
            live.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
