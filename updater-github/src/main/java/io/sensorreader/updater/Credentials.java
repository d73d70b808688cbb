package io.sensorreader.updater;

import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateException;

import java.util.Optional;

/** Where an updater gets the token for GitHub; the test seam for strategies. */
@FunctionalInterface
interface Credentials {

    /** No credentials: public repositories only. */
    Credentials NONE = Optional::empty;

    /**
     * The token to send, or empty when none is configured.
     *
     * @throws UpdateException when credentials are configured but GitHub would not issue a token
     */
    Optional<Secret> token() throws UpdateException;

    /**
     * Forgets a token GitHub refused (401: revoked, or the App's installation changed), so that the
     * next {@link #token()} asks for a new one.
     */
    default void forget(Secret refused) {
    }
}
