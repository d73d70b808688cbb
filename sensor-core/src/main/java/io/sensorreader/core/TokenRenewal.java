package io.sensorreader.core;

import io.sensorreader.api.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * Asked by a sender that got a 401: register again (once for all who saw the same token) and say
 * whether a new token is now current. {@code TokenKeeper::renewAfterUnauthorized} fits.
 */
@FunctionalInterface
public interface TokenRenewal {

    /** Never renews: for exporters without registration. */
    TokenRenewal NONE = (rejected, maxWait) -> false;

    /**
     * @param rejected the token the 401 answered to
     * @param maxWait how long the caller may wait
     * @return true when a token other than {@code rejected} is current, so one resend is worth it
     */
    boolean renewAfterUnauthorized(Optional<Secret> rejected, Duration maxWait);
}
