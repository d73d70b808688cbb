package io.sensorreader.core.delivery;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import java.util.Collection;

/**
 * The one table of what delivery does with each outcome, used alike by the live path and the
 * spool drain ({@link Delivering}). A <em>request</em> carries one device status, or one or more
 * sensor batches joined; a <em>part</em> is what of one batch is in it.
 *
 * <pre>
 * outcome                               rule            what is done
 * ------------------------------------  --------------  -----------------------------------------------
 * Delivered                             DELIVERED       every part done (spooled records acknowledged)
 * Rejected naming refused types (422)   REFUSED_TYPES   types remembered for the run; their readings to
 *                                                       the dead letters; the rest sent again at once
 * Rejected, other (400, 422)            REJECTED        several parts: split in halves and sent again;
 *                                                       one part: to the dead letters (status, reason)
 * RetryLater 500, 501, 505-599, or an   SERVER_FAULT    only while the collector answers other
 *   answer that is not the collector's                  requests (a success since this part's last
 *   (a 2xx other than 201, odd 4xx)                     strike): several parts, or a part of several
 *                                                       readings: split in halves, sent again; one
 *                                                       part: a strike, and after POISON_ATTEMPTS
 *                                                       strikes to the dead letters with the likely
 *                                                       cause; else kept at the back of the queue.
 *                                                       Without that evidence: as OUTAGE.
 * RetryLater no answer, 408, 429,       OUTAGE          kept; the drain stops and backs off (full
 *   502, 503, 504                                       jitter, Retry-After within RETRY_MAX_BACKOFF);
 *                                                       the live path offers one cycle per interval
 * RetryLater REAUTHENTICATE             AUTHENTICATION  (the sender renewed the token and resent once)
 *                                                       kept; as OUTAGE; status says "authentication"
 * RetryLater MISDIRECTED (404, 405)     MISDIRECTED     kept; as OUTAGE; the URL is named
 * RetryLater NOT_REGISTERED             NO_TOKEN        kept; no failure; drained when a token comes
 * </pre>
 *
 * <p>Before any send, on both paths: a batch larger than {@code RETRY_MAX_BYTES} goes to the dead
 * letters ("too large to send"); readings of a type refused earlier in the run go to the dead
 * letters; readings of sensors found to be culprits of a SERVER_FAULT are sent in their own
 * request, so that the other sensors' readings are stored.
 *
 * <p>A real outage (every request fails, connections refused, timeouts) therefore dead-letters
 * nothing: no success happens between the strikes.
 */
public final class OutcomeRules {

    /** Strikes (failed attempts while the collector answered others) before a part is poison. */
    public static final int POISON_ATTEMPTS = 3;

    /** The rule an outcome falls under. */
    public enum Rule {
        DELIVERED, REFUSED_TYPES, REJECTED, SERVER_FAULT, OUTAGE, AUTHENTICATION, MISDIRECTED, NO_TOKEN
    }

    private OutcomeRules() {
    }

    /** The row of the table. */
    public static Rule of(Delivery outcome) {
        return switch (outcome) {
            case Delivered d -> Rule.DELIVERED;
            case Rejected r -> r.refusedTypes().isEmpty() ? Rule.REJECTED : Rule.REFUSED_TYPES;
            case RetryLater r -> switch (r.cause()) {
                case NOT_REGISTERED -> Rule.NO_TOKEN;
                case REAUTHENTICATE -> Rule.AUTHENTICATION;
                case MISDIRECTED -> Rule.MISDIRECTED;
                case TRANSIENT -> batchSpecific(r.status()) ? Rule.SERVER_FAULT : Rule.OUTAGE;
            };
        };
    }

    /** Whether an answered status can be about this request rather than about the collector as a whole. */
    static boolean batchSpecific(int status) {
        if (status == 0 || status == 408 || status == 429 || status == 502 || status == 503 || status == 504) {
            return false;
        }
        return status >= 200;
    }

    /** Whether the rule stops a drain pass (the collector as a whole is not taking batches). */
    public static boolean stops(Rule rule) {
        return rule == Rule.OUTAGE || rule == Rule.AUTHENTICATION || rule == Rule.MISDIRECTED || rule == Rule.NO_TOKEN;
    }

    /** The dead letter's reason for a poison part, in plain words. */
    static String poisonReason(Batch.Kind kind, int status, String detail, Collection<String> sensors, int attempts) {
        String cause;
        if (kind == Batch.Kind.SENSOR_BATCH && status == 500) {
            cause = "likely cause: a sensor id owned by another device (sensor ids are unique per type across devices;"
                    + " two devices with the same sensor file, or a changed SENSOR_READER_DEVICE_ID after a migration):"
                    + (sensors.size() == 1 ? " give " + sensors.iterator().next() + " an id of its own"
                        : " give " + (sensors.isEmpty() ? "these sensors" : String.join(", ", sensors)) + " ids of their own");
        } else if (status >= 500) {
            cause = "likely cause: the collector fails on this very " + kind.label() + " (a collector bug or a value"
                    + " it cannot store)";
        } else {
            cause = "likely cause: something between the agent and the collector (a proxy) answers for it";
        }
        return "failed " + attempts + " times with " + status + " while the collector stored other batches: "
                + detail + "; " + cause;
    }
}
