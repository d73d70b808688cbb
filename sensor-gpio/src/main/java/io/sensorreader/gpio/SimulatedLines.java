package io.sensorreader.gpio;

import io.sensorreader.api.Board.Pull;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Inputs and I2C devices in plain Java, for simulated mode: the {@link Simulation} sets the levels
 * and answers for the ADS1115s, and no Pi4J class is loaded. They behave as Pi4J's mock platform
 * does with the pull-up applied: an input starts at the level its pull gives it (low without a
 * pull), ignores the debounce, and its listeners run synchronously inside {@link Line.Driven#drive},
 * only on a change. Every I2C device answers as an ADS1115.
 */
final class SimulatedLines implements Lines {

    private final Simulation simulation;
    private final Map<String, Object> open = new HashMap<>();
    private boolean closed;

    SimulatedLines(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public Line input(String id, String name, int pin, Duration debounce, Pull pull) {
        SimulatedLine line = new SimulatedLine(id, pull == Pull.UP ? Line.Level.HIGH : Line.Level.LOW);
        register(id, line);
        return line;
    }

    @Override
    public I2cHandle i2c(String id, int bus, int address) {
        SimulatedAds1115 chip = new SimulatedAds1115(simulation, bus, address, () -> forget(id));
        register(id, chip);
        return chip;
    }

    private synchronized void register(String id, Object io) {
        if (closed) {
            throw new IllegalStateException("the simulated board is closed");
        }
        if (open.putIfAbsent(id, io) != null) {
            throw new IllegalStateException("'" + id + "' is already open");
        }
    }

    private synchronized void forget(String id) {
        open.remove(id);
    }

    @Override
    public synchronized <T> T io(String id, Class<T> type) {
        Object io = closed ? null : open.get(id);
        if (io == null) {
            throw new IllegalStateException("no open simulated I/O '" + id + "'");
        }
        return type.cast(io);
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.clear();
    }

    /** A level and its listeners. */
    private final class SimulatedLine implements Line.Driven {

        private final String id;
        private final List<Consumer<Level>> listeners = new CopyOnWriteArrayList<>();
        private volatile Level level;

        SimulatedLine(String id, Level level) {
            this.id = id;
            this.level = level;
        }

        @Override
        public Level level() {
            return level;
        }

        @Override
        public void drive(Level next) {
            if (level == next) {
                return;
            }
            level = next;
            for (Consumer<Level> listener : listeners) {
                listener.accept(next);
            }
        }

        @Override
        public void onChange(Consumer<Level> edge) {
            listeners.add(edge);
        }

        @Override
        public void close() {
            listeners.clear();
            forget(id);
        }
    }
}
