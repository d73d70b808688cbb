package io.sensorreader.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Not delivered, but the same bytes may succeed later: keep the batch (spool it) and try again.
 *
 * @param cause why, as a category the agent acts on
 * @param status the destination's status code (HTTP), or 0 when there was none
 * @param detail for the log: what happened; never a secret (exporters scrub what a server echoed)
 * @param after the destination's hint when to try again (HTTP {@code Retry-After}), if it gave one;
 *     the agent clamps it to {@code SENSOR_READER_RETRY_MAX_BACKOFF}
 */
public record RetryLater(Cause cause, int status, String detail, Optional<Duration> after) implements Delivery {

    public RetryLater {
        after = after == null ? Optional.empty() : after;
    }

    /** A transient failure without a status: no connection, a reset, a timeout. */
    public static RetryLater transientFailure(String detail) {
        return new RetryLater(Cause.TRANSIENT, 0, detail, Optional.empty());
    }

    /** What the agent should do about it. */
    public enum Cause {
        /** A server fault (5xx), a timeout, a refused or reset connection, a garbage answer: wait and retry. */
        TRANSIENT,
        /**
         * The destination refused the credentials (for HTTP, a 401: the token is missing, unknown or
         * expired): the agent renews them through the exporter's {@link Registrar}, then resends once.
         */
        REAUTHENTICATE,
        /** No token yet: the device is not registered; keep the batch until it is. */
        NOT_REGISTERED,
        /** The destination address is wrong (for HTTP, a 404 or 405): keep the batch and say so loudly. */
        MISDIRECTED
    }
}
