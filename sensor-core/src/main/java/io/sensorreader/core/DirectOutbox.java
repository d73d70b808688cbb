package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interim delivery: sends each batch once through the primary exporter, then through the taps, on
 * one delivery thread, and logs the outcome. Nothing is spooled or retried; the delivery pipeline
 * (spool, retry, registration) replaces this class. When more than {@value #QUEUE} batches wait,
 * the oldest is dropped.
 */
final class DirectOutbox implements Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(DirectOutbox.class);
    private static final int QUEUE = 1_000;
    private static final Duration GRACE = Duration.ofMillis(1_500);

    private final Exporter primary;
    private final List<Exporter> taps;
    private final FailureLog failures;
    private final ThreadPoolExecutor sender;

    DirectOutbox(Exporter primary, List<Exporter> taps, Clock clock) {
        this.primary = primary;
        this.taps = List.copyOf(taps);
        this.failures = new FailureLog(LOG, clock, Duration.ofMinutes(10));
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "delivery");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());
    }

    @Override
    public void submit(Batch batch) {
        sender.execute(() -> send(batch));
    }

    private void send(Batch batch) {
        String subject = "delivery to " + primary.destination();
        Delivery outcome;
        try {
            outcome = primary.deliver(batch);
        } catch (RuntimeException e) {
            outcome = RetryLater.transientFailure("the exporter threw " + Plugins.describe(e));
        }
        switch (outcome) {
            case Delivered d -> {
                LOG.debug("{} at {}: delivered ({})", batch.kind().recordType(), batch.timestamp(), d.status());
                failures.succeeded(subject);
            }
            case RetryLater r -> failures.failed(subject, batch.kind().recordType() + " at " + batch.timestamp()
                    + " not delivered (" + r.cause() + ", status " + r.status() + ": " + r.detail()
                    + "); dropped, there is no spool yet");
            case Rejected r -> LOG.warn("{}: {} at {} rejected ({}: {}); dropped", subject, batch.kind().recordType(),
                    batch.timestamp(), r.status(), r.reason());
        }
        for (Exporter tap : taps) {
            try {
                Delivery tapped = tap.deliver(batch);
                if (!(tapped instanceof Delivered)) {
                    failures.failed("tap " + tap.destination(), "did not take a batch: " + tapped);
                }
            } catch (RuntimeException e) {
                failures.failed("tap " + tap.destination(), "threw " + Plugins.describe(e));
            }
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                int left = sender.shutdownNow().size();
                LOG.warn("shutdown: {} batches were not delivered in time; dropped", left);
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
