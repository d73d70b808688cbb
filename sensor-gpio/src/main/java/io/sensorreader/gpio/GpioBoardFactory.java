package io.sensorreader.gpio;

import io.sensorreader.api.Board;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorReadException;
import io.sensorreader.api.agent.BoardFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's {@link Board} for third-party sensors, on the same lines and the same pin and
 * address table as the built-in float, energy and pressure sensors (the run's shared
 * {@code io.sensorreader.gpio.Board}): a pin or an I2C address is checked against every sensor,
 * built-in or not, when the sensor is created at start-up, and a conflict is a configuration error
 * naming both sensors (exit 78). Live on gpiod and linuxfs I2C with
 * {@code SENSOR_READER_LIVE_SENSORS_ENABLED=true}, simulated otherwise (a simulated input holds the
 * level its pull gives it, a simulated I2C device answers as an ADS1115), without loading Pi4J.
 */
public final class GpioBoardFactory implements BoardFactory {

    /** Needed by ServiceLoader. */
    public GpioBoardFactory() {
    }

    @Override
    public String name() {
        return "gpio";
    }

    @Override
    public AutoCloseableBoard open(SensorContext context) {
        io.sensorreader.gpio.Board board = context.shared(io.sensorreader.gpio.Board.KEY,
                io.sensorreader.gpio.Board.class, () -> io.sensorreader.gpio.Board.open(context));
        return new SpiBoard(board);
    }

    /** The SPI face over the shared board; closing it closes what it opened (the board is the agent's). */
    static final class SpiBoard implements AutoCloseableBoard {

        private final io.sensorreader.gpio.Board board;
        private final List<AutoCloseable> opened = new ArrayList<>();

        SpiBoard(io.sensorreader.gpio.Board board) {
            this.board = board;
        }

        @Override
        public DigitalInput digitalInput(PluginConfig owner, String key, int pin, Pull pull, Duration debounce)
                throws SensorReadException {
            board.claimPin(owner, key, pin);
            Line input;
            try {
                input = board.openInput(owner.sensorId(), pin, debounce, pull);
            } catch (SensorReadException | RuntimeException e) {
                board.releasePin(pin);
                throw e;
            }
            DigitalInput result = new DigitalInput() {
                private boolean closed;

                @Override
                public boolean isHigh() {
                    return input.level() == Line.Level.HIGH;
                }

                @Override
                public void onChange(EdgeListener listener) {
                    input.onChange(level -> {
                        try {
                            listener.changed(level == Line.Level.HIGH, Stimulus.edgeTime(board.clock()));
                        } catch (RuntimeException ignored) {
                            // a plugin's listener failing must not stop Pi4J's event thread or the simulation
                        }
                    });
                }

                @Override
                public synchronized void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    input.close();
                    board.releasePin(pin);
                }
            };
            synchronized (opened) {
                opened.add(result);
            }
            return result;
        }

        @Override
        public I2cDevice i2cDevice(PluginConfig owner, int bus, int address) throws SensorReadException {
            board.claimAddress(owner, bus, address);
            I2cHandle i2c;
            try {
                i2c = board.openI2c(owner.sensorId(), bus, address);
            } catch (SensorReadException | RuntimeException e) {
                board.releaseAddress(bus, address);
                throw e;
            }
            I2cDevice result = new I2cDevice() {
                private boolean closed;

                @Override
                public void write(byte[] data) throws SensorReadException {
                    guard(() -> i2c.write(data));
                }

                @Override
                public void read(byte[] into) throws SensorReadException {
                    guard(() -> i2c.read(into));
                }

                @Override
                public void writeRegister(int register, byte[] data) throws SensorReadException {
                    guard(() -> i2c.writeRegister(register, data));
                }

                @Override
                public void readRegister(int register, byte[] into) throws SensorReadException {
                    guard(() -> i2c.readRegister(register, into));
                }

                private void guard(Runnable call) throws SensorReadException {
                    try {
                        call.run();
                    } catch (RuntimeException e) {
                        throw new SensorReadException("I2C " + Ads1115.hex(address) + " on bus " + bus + ": "
                                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
                    }
                }

                @Override
                public synchronized void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    i2c.close();
                    board.releaseAddress(bus, address);
                }
            };
            synchronized (opened) {
                opened.add(result);
            }
            return result;
        }

        @Override
        public void close() {
            List<AutoCloseable> all;
            synchronized (opened) {
                all = new ArrayList<>(opened);
                opened.clear();
            }
            for (AutoCloseable c : all) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing is best effort; each close above never throws
                }
            }
        }
    }
}
