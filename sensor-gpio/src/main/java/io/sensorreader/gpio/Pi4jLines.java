package io.sensorreader.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import io.sensorreader.api.Board.Pull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lines and I2C devices on one Pi4J context, built explicitly with exactly the providers in use
 * (Pi4J's own discovery is off): gpiod inputs and linuxfs I2C on a Pi, or, for tests, Pi4J's mock
 * inputs and {@link MockAds1115} chips on its mock I2C. The only class of the module's main code that
 * names Pi4J: it is loaded when live sensors are on (or a test asks for it), never in simulated mode.
 */
final class Pi4jLines implements Lines {

    // The board's logger: to an operator these lines are the board.
    private static final Logger log = LoggerFactory.getLogger(Board.class);

    private final Context pi4j;
    private final String inputProvider;
    private final String i2cProvider;

    private Pi4jLines(Context pi4j, String inputProvider, String i2cProvider) {
        this.pi4j = pi4j;
        this.inputProvider = inputProvider;
        this.i2cProvider = i2cProvider;
    }

    /** A Pi: gpiod inputs on {@code chip} (Pi4J's default chip when empty) and linuxfs I2C. */
    static Lines live(Optional<String> chip) {
        ContextBuilder builder = Pi4J.newContextBuilder().noAutoDetect().noAutoInject().disableShutdownHook()
                .add(GpioDDigitalInputProvider.newInstance(), LinuxFsI2CProvider.newInstance());
        chip.ifPresent(builder::setGpioChipName);
        return new Pi4jLines(builder.build(), GpioDDigitalInputProvider.ID, LinuxFsI2CProvider.ID);
    }

    /** Pi4J's mock platform; every I2C device answers as an ADS1115 driven by {@code simulation}. */
    static Lines mock(Simulation simulation) {
        Context pi4j = Pi4J.newContextBuilder().noAutoDetect().noAutoInject().disableShutdownHook()
                .add(MockDigitalInputProvider.newInstance(), new MockAds1115Provider(simulation))
                .build();
        return new Pi4jLines(pi4j, MockDigitalInputProvider.ID, MockI2CProvider.ID);
    }

    @Override
    public Line input(String id, String name, int pin, Duration debounce, Pull pull) {
        DigitalInputConfig config = DigitalInput.newConfigBuilder(pi4j)
                .id(id)
                .name(name)
                .address(pin)
                .pull(switch (pull) {
                    case UP -> PullResistance.PULL_UP;
                    case DOWN -> PullResistance.PULL_DOWN;
                    case NONE -> PullResistance.OFF;
                })
                .debounce(debounce.toNanos() / 1_000, TimeUnit.MICROSECONDS)
                .provider(inputProvider)
                .build();
        DigitalInput input = pi4j.create(config, DigitalInput.class);
        if (input instanceof MockDigitalInput mock) {
            // The mock starts low and ignores pulls: show what the pull-up would make it.
            if (pull == Pull.UP) {
                mock.mockState(DigitalState.HIGH);
            }
            return new MockInput(mock);
        }
        return new Input(input);
    }

    @Override
    public I2cHandle i2c(String id, int bus, int address) {
        I2CConfig config = I2C.newConfigBuilder(pi4j).id(id).bus(bus).device(address).provider(i2cProvider).build();
        I2C i2c = pi4j.create(config, I2C.class);
        return new I2cHandle() {
            @Override
            public int write(byte[] data) {
                return i2c.write(data);
            }

            @Override
            public int read(byte[] into) {
                return i2c.read(into);
            }

            @Override
            public int writeRegister(int register, byte[] data) {
                return i2c.writeRegister(register, data);
            }

            @Override
            public int readRegister(int register, byte[] into) {
                return i2c.readRegister(register, into);
            }

            @Override
            public void close() {
                shutdownQuietly(i2c);
            }
        };
    }

    /** Closes an input or a bus handle and takes it out of Pi4J's registry; never throws. */
    private void shutdownQuietly(IO<?, ?, ?> io) {
        try {
            pi4j.shutdown(io.id());
        } catch (RuntimeException e) {
            log.debug("closing {} failed", io.id(), e);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T io(String id, Class<T> type) {
        return type.cast(pi4j.io(id, (Class) type));
    }

    @Override
    public void close() {
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            log.warn("Pi4J did not shut down cleanly: {}", e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Line.Level level(DigitalState state) {
        return state == DigitalState.HIGH ? Line.Level.HIGH
                : state == DigitalState.LOW ? Line.Level.LOW : Line.Level.UNKNOWN;
    }

    /** A Pi4J digital input; its listeners run on Pi4J's event thread on a Pi. */
    private class Input implements Line {

        final DigitalInput input;
        private final List<DigitalStateChangeListener> listeners = new ArrayList<>();

        Input(DigitalInput input) {
            this.input = input;
        }

        @Override
        public Level level() {
            return Pi4jLines.level(input.state());
        }

        @Override
        public void onChange(Consumer<Level> edge) {
            DigitalStateChangeListener listener = event -> edge.accept(Pi4jLines.level(event.state()));
            synchronized (listeners) {
                listeners.add(listener);
            }
            input.addListener(listener);
        }

        @Override
        public void close() {
            synchronized (listeners) {
                listeners.forEach(input::removeListener);
                listeners.clear();
            }
            shutdownQuietly(input);
        }
    }

    /** A mock input, which a simulation or a test sets. */
    private final class MockInput extends Input implements Line.Driven {

        MockInput(MockDigitalInput input) {
            super(input);
        }

        @Override
        public void drive(Level level) {
            ((MockDigitalInput) input).mockState(level == Level.HIGH ? DigitalState.HIGH
                    : level == Level.LOW ? DigitalState.LOW : DigitalState.UNKNOWN);
        }
    }

    /**
     * {@link SimulatedAds1115}'s chip on Pi4J's mock I2C, using the mock's own register FIFOs: a
     * config write that starts a conversion queues busy, idle and the conversion code.
     */
    static final class MockAds1115 extends MockI2C {

        private final Simulation simulation;
        private final int bus;
        private final int address;
        private int lastConfig = -1;

        MockAds1115(I2CProvider provider, I2CConfig config, Simulation simulation) {
            super(provider, config);
            this.simulation = simulation;
            this.bus = config.bus();
            this.address = config.device();
        }

        @Override
        public int writeRegister(int register, byte[] data, int offset, int length) {
            if (register != Ads1115.CONFIG_REGISTER || length != 2) {
                return super.writeRegister(register, data, offset, length);
            }
            int word = (data[offset] & 0xFF) << 8 | data[offset + 1] & 0xFF;
            if ((word & Ads1115.OS) == 0) {
                lastConfig = word;
                return super.writeRegister(register, data, offset, length);
            }
            int code = SimulatedAds1115.conversion(simulation, bus, address, word);
            lastConfig = word;
            queue(Ads1115.CONFIG_REGISTER, word & ~Ads1115.OS);
            queue(Ads1115.CONFIG_REGISTER, word | Ads1115.OS);
            queue(Ads1115.CONVERSION_REGISTER, code);
            return length;
        }

        /** The last config word written, or -1; for tests. */
        int lastConfig() {
            return lastConfig;
        }

        private void queue(int register, int word) {
            super.writeRegister(register, new byte[] {(byte) (word >> 8), (byte) word}, 0, 2);
        }
    }

    /** Pi4J's mock I2C provider, making {@link MockAds1115} chips instead of bare FIFOs. */
    private static final class MockAds1115Provider extends MockI2CProviderImpl {

        private final Simulation simulation;

        MockAds1115Provider(Simulation simulation) {
            this.simulation = simulation;
        }

        @Override
        public I2C create(I2CConfig config) {
            MockAds1115 chip = new MockAds1115(this, config, simulation);
            context.registry().add(chip);
            return chip;
        }
    }
}
