package io.sensorreader.api;

import java.util.Optional;

/**
 * Delivers batches somewhere: the collector over HTTP, the log. Created once per run by its
 * {@link ExporterFactory}.
 *
 * <p>Threads: {@link #deliver(Batch)} is called from the agent's delivery threads, never from the
 * sampling thread, and may be called from several threads at once. It must finish within its own
 * deadline (a request timeout), so that shutdown is never held up for long. Every call into an
 * exporter ({@code deliver}, {@code registrar}, {@code destination}, {@code close}, and its
 * registrar's {@code register}) runs with the plugin's class loader as the context class loader.
 */
public interface Exporter extends AutoCloseable {

    /**
     * Tries once to deliver the batch. Never throws for anything the other side did: every
     * answer, garbage and silence included, maps to a {@link Delivery}.
     */
    Delivery deliver(Batch batch);

    /**
     * The registration protocol, for exporters whose destination issues tokens (the collector).
     * The agent owns the life cycle (when to register, where to keep the token); the exporter owns
     * the request.
     */
    default Optional<Registrar> registrar() {
        return Optional.empty();
    }

    /** Where batches go, for logs and {@code status}, e.g. {@code http://collector:3000}; no secret. */
    String destination();

    /** Releases connections. Called once, at shutdown, after the last delivery; must not throw. */
    @Override
    default void close() {
    }
}
