package io.sensorreader.http;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** An exporter context with settings in a map and a token the test sets. */
final class FakeContext implements ExporterContext {

    final AtomicReference<Optional<Secret>> token = new AtomicReference<>(Optional.empty());
    private final Map<String, Object> settings = new HashMap<>();
    private final Clock clock;

    FakeContext(Clock clock) {
        this.clock = clock;
    }

    FakeContext() {
        this(Clock.systemUTC());
    }

    FakeContext with(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    FakeContext token(String value) {
        token.set(Optional.of(Secret.of(value)));
        return this;
    }

    @Override
    public PluginConfig settings() {
        return new MapConfig("", "SENSOR_READER_", settings);
    }

    @Override
    public String deviceId() {
        return "pi-1";
    }

    @Override
    public TokenSource tokens() {
        return token::get;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String agentVersion() {
        return "1.2.3";
    }
}
