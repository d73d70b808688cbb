package io.sensorreader.api;

import java.util.Optional;

/**
 * The collector's registration request ({@code POST /devices}). Stateless: the agent decides when
 * to call it, stores the token and makes sure concurrent 401s cause one registration only.
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

    /**
     * The exact body of {@code POST /devices}: {@code {"id": "...", "description": "..."}}, in the
     * same spacing and escaping as every other request body (see {@link Batch#toJson()}).
     */
    static String requestBody(String deviceId, String description) {
        return Json.registration(deviceId, description);
    }
}
