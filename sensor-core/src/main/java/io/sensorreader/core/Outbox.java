package io.sensorreader.core;

import io.sensorreader.api.Batch;

/**
 * Where the sampling loop hands its batches. Implementations deliver them beside the loop (never
 * on the sampling thread), print them (dry run), or spool them.
 */
public interface Outbox extends AutoCloseable {

    /**
     * Takes a batch. Called on the sampling thread once or twice per cycle; must not block on the
     * network or on the disk for long.
     */
    void submit(Batch batch);

    /**
     * What became of batches so far, for the sampling loop's once-a-minute summary line; empty
     * when there is nothing to say.
     */
    default String summary() {
        return "";
    }

    /**
     * Shutdown: stops taking batches, gives in-flight sends a short grace, spools what is still
     * undelivered. Returns within about 1.5 s.
     */
    @Override
    void close();
}
