package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Simulated mode: no sensor file, no settings, an hour of readings on the mock platform. */
class SignalGeneratorsTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));

    private static Sensor fromDefaults(SensorFactory factory, FakeSensorContext context) throws Exception {
        Map<String, Object> section = factory.defaultSections(context.deviceId()).getFirst();
        return factory.create(PluginConfig.forSensor("defaults", section), context);
    }

    @Test
    void theDefaultSensorsGivePlausibleReadingsForAnHour() throws Exception {
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of(), clock)) {
            Sensor level = fromDefaults(new FloatSwitchFactory(), context);
            Sensor meter = fromDefaults(new EnergyMeterFactory(), context);
            Sensor pressure = new PressureSensorFactory().create(PluginConfig.forSensor("sensor_config.yaml", Map.of(
                    "id", "p1", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 10)), context);

            List<Double> levels = new ArrayList<>();
            List<Double> watts = new ArrayList<>();
            List<Double> bars = new ArrayList<>();
            double kwh = 0;
            for (int cycle = 0; cycle < 720; cycle++) {
                clock.advance(Duration.ofSeconds(5));
                levels.add(level.read().value());
                Measurement power = meter.read();
                watts.add(power.value());
                kwh = (double) power.extras().get("energy_kwh");
                bars.add(pressure.read().value());
            }

            assertThat(levels).containsOnly(0.0, 1.0);
            long changes = 0;
            for (int i = 1; i < levels.size(); i++) {
                changes += levels.get(i).equals(levels.get(i - 1)) ? 0 : 1;
            }
            assertThat(changes).as("level changes in an hour").isBetween(8L, 30L);
            double meanWatts = watts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(meanWatts).as("mean power").isBetween(150.0, 700.0);
            assertThat(kwh).as("energy in an hour").isCloseTo(meanWatts / 1000, org.assertj.core.data.Offset.offset(0.002));
            assertThat(bars).allSatisfy(b -> assertThat(b).isBetween(1.0, 9.0));
            assertThat(bars.stream().distinct().count()).as("distinct pressures").isGreaterThan(50);
        }
    }

    @Test
    void twoRunsWithTheSameClockGiveTheSameReadings() throws Exception {
        assertThat(energyReadings()).isEqualTo(energyReadings());
    }

    private List<Measurement> energyReadings() throws Exception {
        ManualClock fixed = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of(), fixed)) {
            Sensor meter = fromDefaults(new EnergyMeterFactory(), context);
            List<Measurement> readings = new ArrayList<>();
            for (int cycle = 0; cycle < 50; cycle++) {
                fixed.advance(Duration.ofSeconds(5));
                readings.add(meter.read());
            }
            return readings;
        }
    }
}
