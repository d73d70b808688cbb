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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(changes).as("level changes in an hour").isBetween(20L, 90L);
            double meanWatts = watts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(meanWatts).as("mean power").isBetween(150.0, 1500.0);
            assertThat(kwh).as("energy in an hour").isCloseTo(meanWatts / 1000, org.assertj.core.data.Offset.offset(0.002));
            assertThat(bars).allSatisfy(b -> assertThat(b).isBetween(1.0, 9.0));
            assertThat(bars.stream().distinct().count()).as("distinct pressures").isGreaterThan(50);
        }
    }

    @Test
    void twoRunsWithTheSameSeedGiveTheSameReadingsAndAnotherSeedOthers() throws Exception {
        assertThat(readings("42", 50)).isEqualTo(readings("42", 50));
        assertThat(readings("42", 50)).isNotEqualTo(readings("43", 50));
    }

    @Test
    void aFirstDryRunOfFortySecondsShowsReadingsThatChange() throws Exception {
        for (String seed : List.of("1", "2", "3", "4", "5", "-7", "123456789")) {
            List<List<Measurement>> run = readings(seed, 20); // 40 s at a 2 s interval
            assertThat(run.stream().map(r -> r.get(0).value()).distinct().count()).as("float levels, seed %s", seed)
                    .isEqualTo(2);
            assertThat(run.stream().map(r -> r.get(1).value()).distinct().count()).as("powers, seed %s", seed)
                    .isGreaterThan(2);
            assertThat(run.subList(10, 20)).as("power once two pulses were seen, seed %s", seed)
                    .allSatisfy(r -> assertThat(r.get(1).value()).isGreaterThan(50.0));
        }
    }

    @Test
    void theLoadFollowsTheDay() throws Exception {
        ManualClock day = new ManualClock(java.time.Instant.parse("2025-11-26T00:00:00Z"));
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("SIMULATION_SEED", "9"), day)) {
            Sensor meter = fromDefaults(new EnergyMeterFactory(), context);
            double[] hourly = new double[24];
            double kwhBefore = 0;
            for (int hour = 0; hour < 24; hour++) {
                for (int cycle = 0; cycle < 720; cycle++) {
                    day.advance(Duration.ofSeconds(5));
                    double kwh = (double) meter.read().extras().get("energy_kwh");
                    if (cycle == 719) {
                        hourly[hour] = (kwh - kwhBefore) * 1000;
                        kwhBefore = kwh;
                    }
                }
            }
            // mean watts per hour: the night is lowest, the evening highest
            double night = (hourly[2] + hourly[3] + hourly[4]) / 3;
            double evening = (hourly[19] + hourly[20] + hourly[21]) / 3;
            assertThat(night).isBetween(100.0, 450.0);
            assertThat(evening).isGreaterThan(night + 300);
        }
    }

    @Test
    void aSeedThatIsNotANumberIsAConfigError() throws Exception {
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("SIMULATION_SEED", "abc"), clock)) {
            assertThatThrownBy(() -> fromDefaults(new FloatSwitchFactory(), context))
                    .isInstanceOf(io.sensorreader.api.ConfigException.class)
                    .hasMessageContaining("SENSOR_READER_SIMULATION_SEED").hasMessageContaining("abc")
                    .hasMessageContaining("a whole number");
        }
        assertThat(new FloatSwitchFactory().settingKeys()).contains("SIMULATION_SEED", "GPIO_CHIP");
    }

    /** The default float and meter, {@code cycles} reads 2 s apart: [float, meter] per cycle. */
    private List<List<Measurement>> readings(String seed, int cycles) throws Exception {
        ManualClock fixed = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("SIMULATION_SEED", seed), fixed)) {
            Sensor level = fromDefaults(new FloatSwitchFactory(), context);
            Sensor meter = fromDefaults(new EnergyMeterFactory(), context);
            List<List<Measurement>> readings = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                fixed.advance(Duration.ofSeconds(2));
                readings.add(List.of(level.read(), meter.read()));
            }
            return readings;
        }
    }
}
