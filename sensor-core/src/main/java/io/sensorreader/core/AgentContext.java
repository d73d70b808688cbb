package io.sensorreader.core;

import io.sensorreader.api.Board;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorReadException;
import io.sensorreader.api.TokenSource;
import io.sensorreader.api.agent.BoardFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent offers sensor and exporter factories in one run. Shared resources are made on
 * first request and closed, newest first, by {@link #close()} after every sensor.
 */
final class AgentContext implements SensorContext, ExporterContext, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentContext.class);

    private final Settings settings;
    private final Clock clock;
    private final String agentVersion;
    private final TokenSource tokens;
    private final Map<String, AutoCloseable> shared = new LinkedHashMap<>();
    private BoardFactory.AutoCloseableBoard board;

    AgentContext(Settings settings, Clock clock, String agentVersion, TokenSource tokens) {
        this.settings = settings;
        this.clock = clock;
        this.agentVersion = agentVersion;
        this.tokens = tokens;
    }

    @Override
    public String deviceId() {
        return settings.deviceId();
    }

    @Override
    public PluginConfig settings() {
        return settings.view();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public TokenSource tokens() {
        return tokens;
    }

    @Override
    public String agentVersion() {
        return agentVersion;
    }

    @Override
    public synchronized <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> creator) {
        AutoCloseable existing = shared.get(key);
        if (existing == null) {
            T made = creator.get();
            shared.put(key, made);
            return made;
        }
        return type.cast(existing);
    }

    /**
     * The board, opened on first use by the first {@link BoardFactory} on the agent's class path, so
     * that Pi4J is loaded only where a sensor asks for a pin or a bus.
     */
    @Override
    public synchronized Board board() throws SensorReadException {
        if (board == null) {
            BoardFactory factory = ServiceLoader.load(BoardFactory.class, AgentContext.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(() -> new SensorReadException("this agent has no GPIO or I2C support installed"
                            + " (sensor-gpio's jar is not in lib/)"));
            board = factory.open(this);
            shared.put(BoardFactory.class.getName(), board);
        }
        return board;
    }

    /** Closes the shared resources, newest first; failures are logged. */
    @Override
    public synchronized void close() {
        List<Map.Entry<String, AutoCloseable>> entries = new ArrayList<>(shared.entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            try {
                entries.get(i).getValue().close();
            } catch (Exception | Error e) {
                LOG.warn("closing shared resource '{}' failed: {}", entries.get(i).getKey(), Plugins.describe(e));
            }
        }
        shared.clear();
        board = null;
    }
}
