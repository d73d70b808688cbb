package io.sensorreader.api;

import java.util.Optional;

/**
 * Registration with a destination that issues tokens (the collector's {@code POST /devices}), offered
 * by an exporter through {@link Exporter#registrar()}. Optional: most exporters have none. Stateless:
 * the agent decides when to call it (at first start, on {@link RetryLater.Cause#REAUTHENTICATE},
 * for {@code register}), stores the token (mode 0600) and makes sure concurrent refusals cause one
 * registration only. Called from the agent's token thread or a command, never the sampling thread.
 */
public interface Registrar {

    /**
     * Registers the device, or renews its token.
     *
     * @param deviceId the device's id
     * @param description the device's description
     * @param previous the token held so far, sent so the collector renews that device's token even
     *     when it has expired; empty for a first registration
     * @return the outcome; never throws for anything the collector did
     */
    Registration register(String deviceId, String description, Optional<Secret> previous);
}
