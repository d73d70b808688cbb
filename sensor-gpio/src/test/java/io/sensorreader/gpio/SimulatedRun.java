package io.sensorreader.gpio;

import io.sensorreader.api.Board.I2cDevice;
import io.sensorreader.api.Board.Pull;
import io.sensorreader.api.ManualClock;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.agent.BoardFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A run of simulated mode with seed 42: a float, an energy meter, a pressure sensor and, through
 * the SPI board, a third-party input and I2C device, read every 5 s. Either as the agent builds it
 * ({@link Board#open}, simulated lines) or on Pi4J's mock platform with the same signal generators.
 * Public so that a test can call it in a class loader of its own; returns only JDK types.
 */
public final class SimulatedRun {

    private SimulatedRun() {
    }

    /** One line per cycle: the readings' values and extras as text. */
    public static List<String> readings(boolean onMockPlatform, int cycles) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-11-26T20:00:00Z"));
        FakeSensorContext context = onMockPlatform
                ? FakeSensorContext.withBoard(Board.mockPlatform(PinTable.of(PinTable.DEFAULT_BOARD).orElseThrow(),
                        null, new SignalGenerators(clock, 42), clock), clock)
                : new FakeSensorContext("pi-7", Map.of("SIMULATION_SEED", "42"), clock);
        try (context) {
            Sensor level = new FloatSwitchFactory().create(section("id", "tank", "type", "float", "pin", 17), context);
            Sensor meter = new EnergyMeterFactory().create(section("id", "house", "type", "energy", "pin", 27,
                    "pulses_per_kwh", 10000), context);
            Sensor pressure = new PressureSensorFactory().create(section("id", "p1", "type", "pressure",
                    "channel", 0, "min_pressure", 0, "max_pressure", 10), context);
            List<String> readings = new ArrayList<>();
            try (BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context)) {
                var door = board.digitalInput(section("id", "door", "type", "acme-door"), "pin", 22, Pull.UP,
                        Duration.ofMillis(5));
                I2cDevice rain = board.i2cDevice(section("id", "rain", "type", "acme-rain"), 1, 0x40);
                for (int cycle = 0; cycle < cycles; cycle++) {
                    clock.advance(Duration.ofSeconds(5));
                    byte[] echo = new byte[2];
                    rain.write(new byte[] {(byte) cycle, 7});
                    rain.read(echo);
                    readings.add(level.read() + " " + meter.read() + " " + pressure.read() + " door high "
                            + door.isHigh() + " rain " + Arrays.toString(echo));
                }
            }
            return readings;
        }
    }

    private static PluginConfig section(Object... keyValues) {
        Map<String, Object> section = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            section.put((String) keyValues[i], keyValues[i + 1]);
        }
        return PluginConfig.forSensor("sensor_config.yaml", section);
    }
}
