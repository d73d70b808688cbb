package io.sensorreader.api;

import java.util.Set;

/**
 * The collector refused the batch itself (400, 422): the same bytes can never succeed. The batch
 * goes to the dead letters, kept for inspection, never retried blindly.
 *
 * @param status the HTTP status
 * @param reason the collector's error text
 * @param unknownTypes sensor types the collector said it does not know ({@code 422 Unknown sensor
 *     type: X}); when not empty, the readings of the other types may be sent again on their own
 */
public record Rejected(int status, String reason, Set<String> unknownTypes) implements Delivery {

    public Rejected {
        unknownTypes = Set.copyOf(unknownTypes);
    }

    /** A rejection that names no unknown type. */
    public Rejected(int status, String reason) {
        this(status, reason, Set.of());
    }
}
