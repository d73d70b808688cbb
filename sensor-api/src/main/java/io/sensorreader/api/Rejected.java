package io.sensorreader.api;

import java.util.Set;

/**
 * The destination refused the batch itself (for HTTP, a 400 or 422): the same bytes can never
 * succeed. The batch goes to the dead letters, kept for inspection, never retried blindly.
 *
 * @param status the destination's status code (HTTP), or 0
 * @param reason the destination's error text, scrubbed of secrets
 * @param refusedTypes reading types the destination said it does not accept (the reference
 *     collector's {@code 422 Unknown sensor type: X}); when not empty, the readings of the other
 *     types are sent again on their own and these types go to the dead letters
 */
public record Rejected(int status, String reason, Set<String> refusedTypes) implements Delivery {

    public Rejected {
        refusedTypes = Set.copyOf(refusedTypes);
    }

    /** A rejection that names no unknown type. */
    public Rejected(int status, String reason) {
        this(status, reason, Set.of());
    }
}
