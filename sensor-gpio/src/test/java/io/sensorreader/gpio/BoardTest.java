package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pin table and the checks across sensors, as the agent meets them at start-up. */
class BoardTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));

    private static PluginConfig section(Object... keyValues) {
        Map<String, Object> section = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            section.put((String) keyValues[i], keyValues[i + 1]);
        }
        return PluginConfig.forSensor("sensor_config.yaml", section);
    }

    /** Creates every section as the core does: all of them, collecting the errors. */
    private static List<String> createAll(FakeSensorContext context, PluginConfig... sections) throws Exception {
        Map<String, SensorFactory> factories = Map.of("float", new FloatSwitchFactory(), "energy",
                new EnergyMeterFactory(), "pressure", new PressureSensorFactory());
        List<String> errors = new ArrayList<>();
        for (PluginConfig section : sections) {
            try {
                Sensor unused = factories.get(section.requireString("type")).create(section, context);
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    @Test
    void reportsAnUnknownBoardOnceAndStillChecksEverySensor() throws Exception {
        try (FakeSensorContext context = new FakeSensorContext("pi-7",
                Map.of("DEVICE_TYPE", "raspberry_pi_3"), clock)) {
            List<String> errors = createAll(context,
                    section("id", "tank_top", "type", "float", "pin", 17),
                    section("id", "tank_low", "type", "float", "pin", 40),
                    section("id", "house", "type", "energy", "pin", 27));

            assertThat(errors).containsExactly(
                    "SENSOR_READER_DEVICE_TYPE is 'raspberry_pi_3'; expected raspberry_pi_4 or raspberry_pi_5",
                    "sensor_config.yaml: sensor 'tank_low' (float): pin is '40'; expected a GPIO number 2-27 (BCM)"
                            + " on raspberry_pi_4");
        }
    }

    @Test
    void acceptsBothBoardsAndTheirPins() throws Exception {
        for (String board : List.of("raspberry_pi_4", "raspberry_pi_5", "Raspberry_Pi_5")) {
            try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("DEVICE_TYPE", board), clock)) {
                assertThat(createAll(context,
                        section("id", "low", "type", "float", "pin", 2),
                        section("id", "high", "type", "float", "pin", "27"))).isEmpty();
            }
        }
    }

    @Test
    void reportsEveryPinAndChannelProblemNamingBothSensors() throws Exception {
        try (FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock)) {
            List<String> errors = createAll(context,
                    section("id", "tank_top", "type", "float", "pin", 17),
                    section("id", "tank_low", "type", "float", "pin", 17),
                    section("id", "house", "type", "energy", "pin", 17),
                    section("id", "tank_mid", "type", "float", "pin", "forty"),
                    section("id", "tank_gpio1", "type", "float", "pin", 1),
                    section("id", "no_pin", "type", "float"),
                    section("id", "p1", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 10),
                    section("id", "p2", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 6),
                    section("id", "p3", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 6,
                            "address", "0x49"));

            assertThat(errors).containsExactly(
                    "sensor_config.yaml: sensor 'tank_low' (float): pin 17 is already used by sensor 'tank_top' (float)",
                    "sensor_config.yaml: sensor 'house' (energy): pin 17 is already used by sensor 'tank_top' (float)",
                    "sensor_config.yaml: sensor 'tank_mid' (float): pin is 'forty'; expected a GPIO number 2-27 (BCM)"
                            + " on raspberry_pi_4",
                    "sensor_config.yaml: sensor 'tank_gpio1' (float): pin is '1'; expected a GPIO number 2-27 (BCM)"
                            + " on raspberry_pi_4",
                    "sensor_config.yaml: sensor 'no_pin' (float): pin is missing; expected a GPIO number 2-27 (BCM)"
                            + " on raspberry_pi_4",
                    "sensor_config.yaml: sensor 'p2' (pressure): channel 0 of the ADS1115 at 0x48 on I2C bus 1 is"
                            + " already used by sensor 'p1' (pressure)");
        }
    }

    @Test
    void aClosedBoardShutsPi4jDown() throws Exception {
        FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock);
        Sensor sensor = new FloatSwitchFactory().create(section("id", "t", "type", "float", "pin", 5), context);
        sensor.close();
        context.close();

        assertThatThrownBy(() -> context.gpioBoard().io("gpio-5", com.pi4j.io.gpio.digital.DigitalInput.class))
                .isInstanceOf(RuntimeException.class);
    }
}
