package io.sensorreader.core;

import io.sensorreader.api.Batch;
import java.io.PrintWriter;

/**
 * Delivers nothing: prints each batch's exact request body ({@link Batch#toJson()}), one a line,
 * and flushes, so that {@code run --dry-run | jq} sees every batch as it happens.
 */
final class DryRunOutbox implements Outbox {

    private final PrintWriter out;

    DryRunOutbox(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void submit(Batch batch) {
        out.println(batch.toJson());
        out.flush();
    }

    @Override
    public synchronized void close() {
        out.flush();
    }
}
