package io.sensorreader.gpio;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The agent's side of {@link SensorContext}, as the core behaves: shared resources closed last. */
final class FakeSensorContext implements SensorContext, AutoCloseable {

    private final String deviceId;
    private final PluginConfig settings;
    private final Clock clock;
    private final Map<String, AutoCloseable> shared = new HashMap<>();
    private final List<AutoCloseable> closeOrder = new ArrayList<>();

    FakeSensorContext(String deviceId, Map<String, ?> settings, Clock clock) {
        this.deviceId = deviceId;
        this.settings = new MapConfig("", "SENSOR_READER_", settings);
        this.clock = clock;
    }

    /** A context whose board is already made, e.g. one on a test bench. */
    static FakeSensorContext withBoard(Board board, Clock clock) {
        FakeSensorContext context = new FakeSensorContext("pi-test", Map.of(), clock);
        context.shared.put(Board.KEY, board);
        context.closeOrder.add(board);
        return context;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public PluginConfig settings() {
        return settings;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> creator) {
        AutoCloseable existing = shared.get(key);
        if (existing == null) {
            existing = creator.get();
            shared.put(key, existing);
            closeOrder.add(existing);
        }
        return type.cast(existing);
    }

    Board gpioBoard() {
        return (Board) shared.get(Board.KEY);
    }

    @Override
    public io.sensorreader.api.Board board() {
        throw new UnsupportedOperationException("the gpio tests open their Board directly");
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : closeOrder) {
            resource.close();
        }
    }
}
