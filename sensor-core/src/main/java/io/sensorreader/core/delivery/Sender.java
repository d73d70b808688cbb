package io.sensorreader.core.delivery;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import io.sensorreader.core.TokenRenewal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt through the primary exporter, with the 401 rule of the collector contract
 * (on "unauthorized", ask for a new token, one registration for all callers, and resend exactly
 * once). Whatever the exporter throws becomes a transient failure, except an
 * {@link OutOfMemoryError}, which ends the agent ({@link Fatal}). Every text that came from the
 * server is scrubbed by the {@link Redactor} before it is returned.
 */
final class Sender {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final Exporter exporter;
    private final TokenSource tokens;
    private final TokenRenewal renewal;
    private final Duration renewWait;
    private final Redactor redactor;
    private boolean awaitedFirstToken; // the delivery thread only

    Sender(Exporter exporter, TokenSource tokens, TokenRenewal renewal, Duration renewWait, Redactor redactor) {
        this.exporter = exporter;
        this.tokens = tokens;
        this.renewal = renewal;
        this.renewWait = renewWait;
        this.redactor = redactor;
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
        } else if (outcome instanceof RetryLater r && r.cause() == RetryLater.Cause.NOT_REGISTERED && used.isEmpty()
                && !awaitedFirstToken) {
            // A new device: its first batch waits (once, within renewWait) for the registration the
            // keeper started, instead of going to the spool and out with the next drain.
            awaitedFirstToken = true;
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
        Delivery outcome;
        try {
            outcome = exporter.deliver(batch);
        } catch (OutOfMemoryError e) {
            throw Fatal.outOfMemory("delivering a " + batch.kind().label(), e);
        } catch (Throwable e) {
            return RetryLater.transientFailure("the exporter for " + exporter.destination() + " failed: " + e);
        }
        if (outcome == null) {
            return RetryLater.transientFailure("the exporter returned nothing");
        }
        return switch (outcome) {
            case Delivered d -> d;
            case RetryLater r -> new RetryLater(r.cause(), r.status(), redactor.scrub(r.detail()), r.after());
            case Rejected r -> new Rejected(r.status(), redactor.scrub(r.reason()), r.refusedTypes());
        };
    }

    /** For logs: one line on an outcome. */
    static String describe(Delivery outcome) {
        return switch (outcome) {
            case Delivered d -> "delivered (" + d.status() + ")";
            case RetryLater r -> "retry later (" + r.cause().name().toLowerCase(Locale.ROOT)
                    + (r.status() > 0 ? ", " + r.status() : "") + "): " + r.detail();
            case Rejected r -> "rejected (" + r.status() + "): " + r.reason();
        };
    }
}
