package io.sensorreader.core.delivery;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Exporter;
import io.sensorreader.core.FailureLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The extra exporters ({@code EXPORTERS=http,log}: all but the first), each on its own executor of
 * one virtual thread, never on the sampling thread: best effort, in order, at most
 * {@value #QUEUE} batches waiting per tap (more are skipped and counted in the log). Whatever a tap
 * throws is logged through the rate-limited log; an {@link OutOfMemoryError} ends the agent.
 */
final class Taps implements AutoCloseable {

    static final int QUEUE = 100;

    private record Tap(Exporter exporter, ThreadPoolExecutor executor) {
    }

    private final List<Tap> taps = new ArrayList<>();
    private final FailureLog problems;

    Taps(List<Exporter> exporters, FailureLog problems) {
        this.problems = problems;
        for (Exporter e : exporters) {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(QUEUE), Thread.ofVirtual().name("tap-" + taps.size()).factory());
            taps.add(new Tap(e, executor));
        }
    }

    void offer(Batch batch) {
        for (Tap tap : taps) {
            try {
                tap.executor().execute(() -> deliver(tap.exporter(), batch));
            } catch (RejectedExecutionException e) {
                problems.failed("tap " + tap.exporter().destination(), "is " + QUEUE + " batches behind; a "
                        + batch.kind().label() + " was skipped for it");
            }
        }
    }

    private void deliver(Exporter exporter, Batch batch) {
        try {
            exporter.deliver(batch);
            problems.succeeded("tap " + exporter.destination());
        } catch (OutOfMemoryError e) {
            throw Fatal.outOfMemory("a tap delivered a " + batch.kind().label(), e);
        } catch (Throwable e) {
            problems.failed("tap " + exporter.destination(), "failed (" + e + ")");
        }
    }

    /** Lets what is queued finish for a moment, then stops. */
    @Override
    public void close() {
        for (Tap tap : taps) {
            tap.executor().shutdown();
        }
        for (Tap tap : taps) {
            try {
                if (!tap.executor().awaitTermination(300, TimeUnit.MILLISECONDS)) {
                    tap.executor().shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
