package io.sensorreader.api;

import java.util.Optional;

/**
 * The device's current collector token, kept by the agent. Exporters ask for it on every request,
 * so a token renewed by another thread is used at once. Safe to call from any thread.
 */
@FunctionalInterface
public interface TokenSource {

    /** The token, or empty while the device is not registered yet. */
    Optional<Secret> current();
}
