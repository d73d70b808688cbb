package io.sensorreader.core;

import io.sensorreader.api.RetryLater;

/**
 * Whether the collector is failing right now, shared by the live path and the retry worker: while
 * it fails, live batches go straight to the spool and only the retry worker, with its backoff,
 * talks to the collector.
 */
final class CollectorState {

    private volatile boolean failing;

    boolean failing() {
        return failing;
    }

    void failed(RetryLater why) {
        failing = true;
    }

    void succeeded() {
        failing = false;
    }

    void spooled() {
        // A hook for metrics; the retry worker polls the spool on its own schedule.
    }
}
