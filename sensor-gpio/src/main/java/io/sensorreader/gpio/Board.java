package io.sensorreader.gpio;

import io.sensorreader.api.Board.Pull;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorReadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The board the sensors share: its {@link Lines} (Pi4J's gpiod inputs and linuxfs I2C on a Pi,
 * plain-Java lines driven by a {@link Simulation} elsewhere, so that simulated mode loads no Pi4J
 * class), the pin table, and who uses which pin and which ADS1115 input. Made once per run through {@link SensorContext#shared}, closed by the agent
 * after every sensor.
 *
 * <p>Problems with the agent's settings (an unknown {@code DEVICE_TYPE}) are reported once, by the
 * first sensor that asks; the others are then checked against the default table, so that one run
 * reports every problem.
 */
final class Board implements AutoCloseable {

    static final String KEY = "io.sensorreader.gpio.board";

    /** The agent settings the board reads (besides the core's LIVE_SENSORS_ENABLED and DEVICE_TYPE). */
    static final java.util.Set<String> SETTING_KEYS = java.util.Set.of("GPIO_CHIP", "SIMULATION_SEED");

    private static final Logger log = LoggerFactory.getLogger(Board.class);

    private final Lines lines;
    private final boolean live;
    private final PinTable table;
    private final Simulation simulation;
    private final Path devices;
    private final Clock clock;
    private ConfigException settingsProblem;
    private final Map<Integer, String> pinUsers = new HashMap<>();
    private final Map<String, String> channelUsers = new HashMap<>();
    private final Map<String, Ads1115> chips = new HashMap<>();

    private Board(Lines lines, boolean live, PinTable table, ConfigException settingsProblem, Simulation simulation,
                  Path devices, Clock clock) {
        this.lines = lines;
        this.live = live;
        this.table = table;
        this.settingsProblem = settingsProblem;
        this.simulation = simulation;
        this.devices = devices;
        this.clock = clock;
    }

    /** The board the agent's settings describe; never throws, problems wait for the first sensor. */
    static Board open(SensorContext context) {
        PluginConfig settings = context.settings();
        List<String> problems = new ArrayList<>();
        boolean live = false;
        try {
            live = settings.getBoolean("LIVE_SENSORS_ENABLED", false);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        String type = settings.getString("DEVICE_TYPE", PinTable.DEFAULT_BOARD);
        PinTable table = PinTable.of(type).orElse(null);
        if (table == null) {
            problems.add(settings.invalid("DEVICE_TYPE", PinTable.known()).getMessage());
            table = PinTable.of(PinTable.DEFAULT_BOARD).orElseThrow();
        }
        long seed = context.deviceId().hashCode();
        String seedText = settings.getString("SIMULATION_SEED", null);
        if (seedText != null && !seedText.isBlank()) {
            try {
                seed = Long.parseLong(seedText.strip());
            } catch (NumberFormatException e) {
                problems.add(settings.invalid("SIMULATION_SEED", "a whole number").getMessage());
            }
        }
        ConfigException problem = problems.isEmpty() ? null : new ConfigException(String.join("\n", problems));
        if (live) {
            String override = settings.getString("GPIO_CHIP", null);
            Optional<String> chip = GpioChips.choose(override, Path.of("/sys"), Path.of("/dev"));
            log.info("sensors on {}: gpiod inputs on {}, linuxfs I2C", table.board(),
                    chip.map(c -> c + (override != null ? " (SENSOR_READER_GPIO_CHIP)" : " (found by its label)"))
                            .orElse("Pi4J's default chip"));
            return new Board(Pi4jLines.live(chip), true, table, problem, null, Path.of("/dev"), context.clock());
        }
        log.info("sensors simulated (SENSOR_READER_LIVE_SENSORS_ENABLED is not true)");
        return simulated(table, problem, new SignalGenerators(context.clock(), seed), context.clock());
    }

    /** A board on plain-Java lines, driven by {@code simulation}; simulated mode, and tests of it. */
    static Board simulated(PinTable table, ConfigException settingsProblem, Simulation simulation, Clock clock) {
        return new Board(new SimulatedLines(simulation), false, table, settingsProblem, simulation, null, clock);
    }

    /** For tests: a board on Pi4J's mock platform, driven by {@code simulation}, through the Pi4J wiring. */
    static Board mockPlatform(PinTable table, ConfigException settingsProblem, Simulation simulation, Clock clock) {
        return new Board(Pi4jLines.mock(simulation), false, table, settingsProblem, simulation, null, clock);
    }

    boolean live() {
        return live;
    }

    Clock clock() {
        return clock;
    }

    /** Throws the settings problem to the first sensor that asks, and to no other. */
    private void reportSettings() {
        ConfigException problem = settingsProblem;
        if (problem != null) {
            settingsProblem = null;
            throw problem;
        }
    }

    /**
     * Reserves the GPIO under {@code key} for this section's sensor.
     *
     * @throws ConfigException for a pin outside the table or already used by another sensor
     */
    synchronized int claimPin(PluginConfig config, String key) {
        reportSettings();
        int pin = table.requireGpio(config, key);
        claimPin(config, key, pin);
        return pin;
    }

    /**
     * Reserves GPIO {@code pin} for the sensor of {@code config} (built-in or third-party).
     *
     * @throws ConfigException naming both sensors when another one already uses it
     */
    synchronized void claimPin(PluginConfig config, String key, int pin) {
        String user = pinUsers.get(pin);
        if (user != null) {
            throw config.problem(key + " " + pin + " is already used by sensor " + user);
        }
        pinUsers.put(pin, label(config));
    }

    /** {@code 'tank_top' (float)}: a sensor as conflict messages name it. */
    static String label(PluginConfig config) {
        Object type = config.raw("type").orElse(null);
        return "'" + config.sensorId() + "'" + (type == null ? "" : " (" + type + ")");
    }

    /**
     * Reserves a whole I2C address for a third-party sensor.
     *
     * @throws ConfigException naming both sensors when another sensor uses it (or one of its inputs)
     */
    synchronized void claimAddress(PluginConfig config, int bus, int address) {
        String prefix = bus + "/" + address + "/";
        for (Map.Entry<String, String> e : channelUsers.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                throw config.problem("I2C address " + Ads1115.hex(address) + " on bus " + bus
                        + " is already used by sensor " + e.getValue());
            }
        }
        channelUsers.put(prefix + "*", label(config));
    }

    synchronized void releaseAddress(int bus, int address) {
        channelUsers.remove(bus + "/" + address + "/*");
    }

    /** Opens a digital input with the given pull (the simulated one starts at what the pull makes it). */
    Line openInput(String sensorId, int pin, Duration debounce, Pull pull) throws SensorReadException {
        return open(sensorId, pin, debounce, pull);
    }

    /** Opens a raw I2C device for a third-party sensor. */
    I2cHandle openI2c(String sensorId, int bus, int address) throws SensorReadException {
        if (live) {
            Path device = devices.resolve("i2c-" + bus);
            if (!Files.exists(device)) {
                throw new SensorReadException("there is no I2C bus " + device + "; enable it with dtparam=i2c_arm=on"
                        + " in /boot/firmware/config.txt (or raspi-config, Interface Options, I2C) and reboot");
            }
        }
        String id = "i2c-" + bus + "-" + Integer.toHexString(address) + "-" + sensorId;
        try {
            return lines.i2c(id, bus, address);
        } catch (RuntimeException e) {
            throw new SensorReadException("cannot open I2C device " + Ads1115.hex(address) + " on bus " + bus + " ("
                    + reason(e) + "); the user running the agent needs the 'i2c' group and I2C enabled"
                    + " (dtparam=i2c_arm=on)", e);
        }
    }

    /**
     * Reserves one input of an ADS1115.
     *
     * @throws ConfigException when another sensor already reads it
     */
    synchronized void claimChannel(PluginConfig config, int bus, int address, int channel) {
        reportSettings();
        String key = bus + "/" + address + "/" + channel;
        String user = channelUsers.get(key);
        if (user == null) {
            user = channelUsers.get(bus + "/" + address + "/*");
        }
        if (user != null) {
            throw config.problem("channel " + channel + " of the ADS1115 at " + Ads1115.hex(address)
                    + " on I2C bus " + bus + " is already used by sensor " + user);
        }
        channelUsers.put(key, label(config));
    }

    synchronized void releasePin(int pin) {
        pinUsers.remove(pin);
    }

    synchronized void releaseChannel(int bus, int address, int channel) {
        channelUsers.remove(bus + "/" + address + "/" + channel);
    }

    /**
     * Opens a digital input with the pull-up on. In simulated mode the input starts high, as the
     * pull-up would make it.
     *
     * @throws SensorReadException when the line cannot be had, with the fix
     */
    Line openInput(String sensorId, int pin, Duration debounce) throws SensorReadException {
        return open(sensorId, pin, debounce, Pull.UP);
    }

    private Line open(String sensorId, int pin, Duration debounce, Pull pull) throws SensorReadException {
        try {
            return lines.input("gpio-" + pin, sensorId, pin, debounce, pull);
        } catch (RuntimeException e) {
            throw new SensorReadException("cannot open GPIO " + pin + " (" + reason(e) + "); the user running the"
                    + " agent needs the 'gpio' group for /dev/gpiochip* (sudo usermod -aG gpio <user>, then log in"
                    + " again), no other program may hold the line (see gpioinfo), and the bundled libgpiod needs"
                    + " Raspberry Pi OS Bookworm or later", e);
        }
    }

    /** The signal generator for a float switch's input; nothing on live hardware. */
    Stimulus floatStimulus(String sensorId, Line input) {
        return input instanceof Line.Driven driven && simulation != null
                ? simulation.floatLevel(sensorId, driven) : Stimulus.NONE;
    }

    /** The signal generator for a pulse meter's input; nothing on live hardware. */
    Stimulus pulseStimulus(String sensorId, Line input, int pulsesPerKwh) {
        return input instanceof Line.Driven driven && simulation != null
                ? simulation.pulses(sensorId, driven, pulsesPerKwh) : Stimulus.NONE;
    }

    /**
     * The ADS1115 at an address, opened; shared by the sensors on its inputs.
     *
     * @throws SensorReadException when the bus is missing or not accessible, with the fix
     */
    synchronized Ads1115 chip(int bus, int address) throws SensorReadException {
        String key = bus + "/" + address;
        Ads1115 chip = chips.get(key);
        if (chip != null) {
            return chip;
        }
        if (live) {
            Path device = devices.resolve("i2c-" + bus);
            if (!Files.exists(device)) {
                throw new SensorReadException("there is no I2C bus " + device + "; enable it with dtparam=i2c_arm=on"
                        + " in /boot/firmware/config.txt (or raspi-config, Interface Options, I2C) and reboot");
            }
            if (!Files.isReadable(device) || !Files.isWritable(device)) {
                throw new SensorReadException("no permission to use " + device + "; add the user running the agent"
                        + " to the 'i2c' group (sudo usermod -aG i2c <user>) and log in again");
            }
        }
        String id = "ads1115-" + bus + "-" + Integer.toHexString(address);
        chip = new Ads1115(bus, address, () -> lines.i2c(id, bus, address));
        try {
            chip.open();
        } catch (RuntimeException e) {
            throw new SensorReadException(chip.name() + " cannot be opened (" + reason(e) + "); the user running the"
                    + " agent needs the 'i2c' group and I2C enabled (dtparam=i2c_arm=on)", e);
        }
        chips.put(key, chip);
        return chip;
    }

    /** For tests: the open line or device with this id ({@code gpio-17}, {@code ads1115-1-48}). */
    <T> T io(String id, Class<T> type) {
        return lines.io(id, type);
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public synchronized void close() {
        chips.values().forEach(Ads1115::close);
        chips.clear();
        lines.close();
    }
}
