package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sections in, sensors or exact errors out. */
class FactoriesTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
    private final FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock);

    @AfterEach
    void closeBoard() throws Exception {
        context.close();
    }

    private static PluginConfig section(String type, Object... keyValues) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("id", "s1");
        section.put("type", type);
        if (type.equals("pressure")) {
            section.putAll(Map.of("channel", 0, "min_pressure", 0, "max_pressure", 10));
        } else {
            section.put("pin", 17);
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            section.put((String) keyValues[i], keyValues[i + 1]);
        }
        return PluginConfig.forSensor("sensor_config.yaml", section);
    }

    private void assertRejected(SensorFactory factory, PluginConfig config, String message) {
        assertThatThrownBy(() -> factory.create(config, context))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void areFoundByServiceLoaderUnderTheirTypeNames() {
        List<String> names = ServiceLoader.load(SensorFactory.class).stream()
                .map(p -> p.get().name()).sorted().toList();

        assertThat(names).containsExactly("energy", "float", "pressure");
    }

    @Test
    void offerOneSimulatedFloatAndOneSimulatedMeterButNoPressureSensor() {
        assertThat(new FloatSwitchFactory().defaultSections("pi-7")).containsExactly(Map.of(
                "id", "pi-7-float-1", "type", "float", "description", "Simulated tank level", "pin", 17));
        assertThat(new EnergyMeterFactory().defaultSections("pi-7")).containsExactly(Map.of(
                "id", "pi-7-energy-1", "type", "energy", "description", "Simulated energy meter", "pin", 27,
                "pulses_per_kwh", 10000));
        assertThat(new PressureSensorFactory().defaultSections("pi-7")).isEmpty();
    }

    @Test
    void rejectsAWrongFloatSection() {
        FloatSwitchFactory factory = new FloatSwitchFactory();
        assertRejected(factory, section("float", "inverted", "maybe"),
                "sensor_config.yaml: sensor 's1' (float): inverted is 'maybe'; expected true or false");
        assertRejected(factory, section("float", "pin", 18, "debounce", "soon"),
                "sensor_config.yaml: sensor 's1' (float): debounce is 'soon'; expected a duration such as 500ms, 5s,"
                        + " 2m or 1h");
    }

    @Test
    void rejectsAWrongEnergySection() {
        assertRejected(new EnergyMeterFactory(), section("energy", "pulses_per_kwh", 0),
                "sensor_config.yaml: sensor 's1' (energy): pulses_per_kwh is '0'; expected pulses per kWh, 1-1000000");
    }

    @Test
    void rejectsAWrongPressureSection() {
        PressureSensorFactory factory = new PressureSensorFactory();
        assertRejected(factory, section("pressure", "channel", 4),
                "sensor_config.yaml: sensor 's1' (pressure): channel is '4'; expected an ADS1115 input 0-3");
        assertRejected(factory, section("pressure", "max_pressure", 0),
                "sensor_config.yaml: sensor 's1' (pressure): max_pressure 0.0 is not above min_pressure 0.0;"
                        + " expected the pressure at 4.5 V above the pressure at 0.5 V");
        assertRejected(factory, section("pressure", "min_pressure", "low"),
                "sensor_config.yaml: sensor 's1' (pressure): min_pressure is 'low'; expected a number");
        assertRejected(factory, section("pressure", "address", "0x20"),
                "sensor_config.yaml: sensor 's1' (pressure): address is '0x20'; expected an ADS1115 address 0x48-0x4B");
        assertRejected(factory, section("pressure", "address", "forty-eight"),
                "sensor_config.yaml: sensor 's1' (pressure): address is 'forty-eight'; expected an ADS1115 address"
                        + " 0x48-0x4B");
        assertRejected(factory, section("pressure", "gain", 3.3),
                "sensor_config.yaml: sensor 's1' (pressure): gain is '3.3'; expected the ADS1115's full scale in"
                        + " volts: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256");
        assertRejected(factory, section("pressure", "divider_ratio", 1.5),
                "sensor_config.yaml: sensor 's1' (pressure): divider_ratio is '1.5'; expected a ratio above 0 and at"
                        + " most 1, e.g. 0.767 for 10k over 33k");
        assertRejected(factory, section("pressure", "i2c_bus", -1),
                "sensor_config.yaml: sensor 's1' (pressure): i2c_bus is '-1'; expected an I2C bus number, e.g. 1 for"
                        + " /dev/i2c-1");
    }

    @Test
    void acceptsTheAddressAsHexTextOrNumber() throws Exception {
        PressureSensorFactory factory = new PressureSensorFactory();
        assertThat(factory.create(section("pressure", "address", "0x4B"), context)).isNotNull();
        assertThat(factory.create(section("pressure", "address", 0x4A, "id", "s2"), context)).isNotNull();
        assertThat(factory.create(section("pressure", "address", "73", "id", "s3"), context)).isNotNull();
    }

}
