package io.sensorreader.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Not delivered, but the same bytes may succeed later: keep the batch (spool it) and try again.
 *
 * @param cause why, as a category the agent acts on
 * @param status the HTTP status, or 0 when there was no answer
 * @param detail for the log: what happened, never a secret
 * @param after the collector's hint ({@code Retry-After}), if it gave one
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
        /** 5xx, a timeout, a refused or reset connection, a garbage answer: wait and retry. */
        TRANSIENT,
        /** 401: the token is missing, unknown or expired; register again, then resend once. */
        UNAUTHORIZED,
        /** No token yet: the device is not registered; keep the batch until it is. */
        NOT_REGISTERED,
        /** 404 or 405: the collector URL is wrong; keep the batch and say so loudly. */
        MISDIRECTED
    }
}
