package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class EnergyMeterTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
    private final FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock);

    @AfterEach
    void closeBoard() throws Exception {
        context.close();
    }

    private Sensor meter(int pulsesPerKwh) throws Exception {
        return new EnergyMeterFactory().create(PluginConfig.forSensor("sensor_config.yaml", Map.of(
                "id", "house", "type", "energy", "description", "Main meter", "pin", 27,
                "pulses_per_kwh", pulsesPerKwh)), context);
    }

    private void pulses(int count) {
        MockDigitalInput input = context.gpioBoard().io("gpio-27", MockDigitalInput.class);
        for (int i = 0; i < count; i++) {
            input.mockState(DigitalState.LOW);
            input.mockState(DigitalState.HIGH);
        }
    }

    @ParameterizedTest(name = "{1} pulses in {2} s at {0}/kWh: {3} W")
    @CsvSource({
            "1000, 10, 36, 1000.0",
            "1000, 1, 5, 720.0",
            "800, 4, 9, 2000.0",
            "10000, 25, 60, 150.0",
            "1000, 0, 5, 0.0",
    })
    void averagesPowerOverTheIntervalSinceTheLastReading(int perKwh, int count, int seconds, double watts)
            throws Exception {
        Sensor sensor = meter(perKwh);
        pulses(count);
        clock.advance(Duration.ofSeconds(seconds));

        Measurement m = sensor.read();

        assertThat(m.value()).isEqualTo(watts);
        assertThat(m.unit()).isEqualTo("W");
        assertThat(m.extras()).containsEntry("pulses", (long) count)
                .containsEntry("energy_kwh", (double) count / perKwh);
    }

    @Test
    void keepsTheCumulativeEnergyAcrossReadings() throws Exception {
        Sensor sensor = meter(1000);
        assertThat(sensor.type()).isEqualTo("EnergyConsumptionSensor");
        pulses(10);
        clock.advance(Duration.ofSeconds(36));
        sensor.read();

        pulses(5);
        clock.advance(Duration.ofSeconds(36));
        Measurement m = sensor.read();

        assertThat(m).isEqualTo(Measurement.of(500.0, "W").with("energy_kwh", 0.015).with("pulses", 5L));
    }

    @Test
    void countsEachPulseExactlyOnceWhileReadingsRunBesideThem() throws Exception {
        Sensor sensor = meter(1000);
        AtomicBoolean done = new AtomicBoolean();
        Thread meterSide = new Thread(() -> {
            pulses(20_000);
            done.set(true);
        });
        long seen = 0;
        meterSide.start();
        while (!done.get()) {
            seen += (Long) sensor.read().extras().get("pulses");
        }
        meterSide.join();
        seen += (Long) sensor.read().extras().get("pulses");

        assertThat(seen).isEqualTo(20_000);
        assertThat(sensor.read().extras()).containsEntry("energy_kwh", 20.0);
    }

    @Test
    void aRisingEdgeAloneIsNotAPulse() throws Exception {
        Sensor sensor = meter(1000);
        MockDigitalInput input = context.gpioBoard().io("gpio-27", MockDigitalInput.class);
        input.mockState(DigitalState.HIGH);
        clock.advance(Duration.ofSeconds(5));

        assertThat(sensor.read().extras()).containsEntry("pulses", 0L);
    }
}
