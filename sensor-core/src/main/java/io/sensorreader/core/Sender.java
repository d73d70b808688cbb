package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt through the primary exporter, with the 401 rule of the collector contract:
 * on "unauthorized", ask for a new token (one registration for all concurrent callers) and resend
 * exactly once. Any other outcome is returned as it is. Safe to use from several threads.
 */
final class Sender {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final Exporter exporter;
    private final TokenSource tokens;
    private final TokenRenewal renewal;
    private final Duration renewWait;
    private final FailureLog failures;

    Sender(Exporter exporter, TokenSource tokens, TokenRenewal renewal, Duration renewWait, FailureLog failures) {
        this.exporter = exporter;
        this.tokens = tokens;
        this.renewal = renewal;
        this.renewWait = renewWait;
        this.failures = failures;
    }

    Delivery send(Batch batch) {
        Optional<Secret> used = tokens.current();
        Delivery outcome = attempt(batch);
        if (outcome instanceof RetryLater r && r.cause() == RetryLater.Cause.REAUTHENTICATE) {
            log.info("the collector refused token {} ({}); registering again", used.map(Secret::fingerprint).orElse("none"),
                    r.detail());
            if (renewal.renewAfterUnauthorized(used, renewWait)) {
                return attempt(batch);
            }
        }
        return outcome;
    }

    String destination() {
        return exporter.destination();
    }

    private Delivery attempt(Batch batch) {
        try {
            Delivery outcome = exporter.deliver(batch);
            if (outcome == null) {
                return RetryLater.transientFailure("the exporter returned nothing");
            }
            return outcome;
        } catch (RuntimeException | LinkageError e) {
            failures.failed("exporter " + exporter.destination(), "failed (" + e + ")");
            return RetryLater.transientFailure("the exporter failed: " + e);
        }
    }

    /** For logs: one line on an outcome. */
    static String describe(Delivery outcome) {
        return switch (outcome) {
            case Delivered d -> "delivered (" + d.status() + ")";
            case RetryLater r -> "retry later (" + r.cause().name().toLowerCase(java.util.Locale.ROOT)
                    + (r.status() > 0 ? ", " + r.status() : "") + "): " + r.detail();
            case Rejected r -> "rejected (" + r.status() + "): " + r.reason();
        };
    }
}
