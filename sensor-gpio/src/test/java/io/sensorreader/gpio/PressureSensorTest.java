package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorReadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ADS1115 protocol against {@link Pi4jLines.MockAds1115} on Pi4J's mock I2C. */
class PressureSensorTest {

    private static final double DIVIDER = 33.0 / 43.0;

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
    private final Bench bench = new Bench();
    private final FakeSensorContext context = FakeSensorContext.withBoard(bench.board(clock), clock);

    @AfterEach
    void closeBoard() throws Exception {
        context.close();
    }

    private Sensor pressure(String id, int channel, Object... extra) throws Exception {
        Map<String, Object> section = new LinkedHashMap<>(Map.of("id", id, "type", "pressure",
                "description", "Main line", "channel", channel, "min_pressure", 0, "max_pressure", 10, "unit", "bar"));
        for (int i = 0; i < extra.length; i += 2) {
            section.put((String) extra[i], extra[i + 1]);
        }
        return new PressureSensorFactory().create(PluginConfig.forSensor("sensor_config.yaml", section), context);
    }

    private Pi4jLines.MockAds1115 chip(int bus, int address) {
        return context.gpioBoard().io("ads1115-" + bus + "-" + Integer.toHexString(address),
                Pi4jLines.MockAds1115.class);
    }

    @ParameterizedTest(name = "{0} V at the sensor: {1} bar")
    @CsvSource({
            "0.5, 0.0",
            "1.3, 2.0",
            "2.5, 5.0",
            "3.7, 8.0",
            "4.5, 10.0",
            "0.2, 0.0",
            "0.0, 0.0",
            "5.0, 10.0",
    })
    void mapsHalfToFourAndAHalfVoltsOntoThePressureRangeClamped(double sensorVolts, double bar) throws Exception {
        Sensor sensor = pressure("p1", 0);
        bench.sensorVolts(0, sensorVolts, DIVIDER);

        Measurement m = sensor.read();

        assertThat(m.value()).isEqualTo(bar);
        assertThat(m.unit()).isEqualTo("bar");
        assertThat((double) m.extras().get("voltage")).isCloseTo(sensorVolts, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void readsEachSensorFromItsOwnInput() throws Exception {
        Sensor first = pressure("p1", 0);
        Sensor fourth = pressure("p4", 3, "min_pressure", 0, "max_pressure", 100, "unit", "psi");
        bench.sensorVolts(0, 1.5, DIVIDER);
        bench.sensorVolts(3, 3.5, DIVIDER);

        assertThat(first.read().value()).isEqualTo(2.5);
        assertThat(chip(1, 0x48).lastConfig()).isEqualTo(0xC383);
        assertThat(fourth.read()).isEqualTo(Measurement.of(75.0, "psi").with("voltage", 3.5));
        assertThat(chip(1, 0x48).lastConfig()).isEqualTo(0xF383);
    }

    @Test
    void sendsTheGainAndUndoesTheDivider() throws Exception {
        Sensor sensor = pressure("p1", 1, "gain", 6.144, "divider_ratio", 0.5, "min_pressure", -1, "max_pressure", 15);
        bench.sensorVolts(1, 4.0, 0.5);

        assertThat(sensor.read().value()).isEqualTo(13.0); // -1 + (4.0 - 0.5) / 4 * 16
        // OS, AIN1 (101), PGA 000 (6.144 V), single-shot, 128 SPS, comparator off
        assertThat(chip(1, 0x48).lastConfig()).isEqualTo(0xD183);
    }

    @Test
    void readsASecondChipAtTheConfiguredAddressAndBus() throws Exception {
        Sensor sensor = pressure("p1", 2, "address", "0x49", "i2c_bus", 3);
        bench.adcVolts(3, 0x49, 2, 2.5 * DIVIDER);

        assertThat(sensor.read().value()).isEqualTo(5.0);
        assertThat(chip(3, 0x49).lastConfig()).isEqualTo(0xE383);
    }

    @Test
    void codesANegativeInputAsNegativeVolts() throws Exception {
        Sensor sensor = pressure("p1", 0);
        bench.adcVolts(1, 0x48, 0, -0.1);

        assertThat(sensor.read().value()).isEqualTo(0.0);
    }

    @Test
    void failsTheReadingWhenTheChipDoesNotAnswerAndUsesItAgainWhenItComesBack() throws Exception {
        Sensor sensor = pressure("p1", 0);
        bench.sensorVolts(0, 2.5, DIVIDER);
        bench.chipAnswers = false;

        assertThatThrownBy(sensor::read)
                .isInstanceOf(SensorReadException.class)
                .hasMessage("ADS1115 0x48 on I2C bus 1 did not answer (Remote I/O error); check its wiring, power"
                        + " and address (i2cdetect -y 1)");

        bench.chipAnswers = true;
        assertThat(sensor.read().value()).isEqualTo(5.0);
    }

    @Test
    void roundsToTwoDecimals() throws Exception {
        Sensor sensor = pressure("p1", 0, "max_pressure", 7);
        bench.sensorVolts(0, 1.0, DIVIDER);

        assertThat(sensor.read().value()).isEqualTo(0.88);
    }
}
