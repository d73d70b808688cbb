package io.sensorreader.api;

/** What a registration attempt came to. */
public sealed interface Registration {

    /**
     * The collector issued a token.
     *
     * @param token the new token; the previous one no longer works
     * @param collectorId the collector's own numeric id of the device, or {@code ""}
     */
    record Registered(Secret token, String collectorId) implements Registration {
    }

    /**
     * No token this time.
     *
     * @param status the HTTP status, or 0 when there was no answer
     * @param reason for the log, e.g. the collector's error text
     * @param permanent true when trying again cannot help without a change of settings (a 422
     *     "can't be blank"): a configuration error
     */
    record Failed(int status, String reason, boolean permanent) implements Registration {
    }
}
