package io.sensorreader.core;

import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The token source exporters are given at creation, bound afterwards to the {@link TokenKeeper}
 * that needs the exporter's registrar first. Until bound it answers from the settings.
 */
public final class TokenSlot implements TokenSource {

    private volatile TokenSource source;

    /** @param initial where tokens come from until {@link #bind(TokenSource)} */
    public TokenSlot(TokenSource initial) {
        this.source = Objects.requireNonNull(initial);
    }

    /** From now on, tokens come from {@code keeper}. */
    public void bind(TokenSource keeper) {
        this.source = Objects.requireNonNull(keeper);
    }

    @Override
    public Optional<Secret> current() {
        return source.current();
    }
}
