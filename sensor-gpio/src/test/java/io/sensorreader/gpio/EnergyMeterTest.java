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
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** One S0 pulse at the clock's present instant, as the mock input shows it. */
    private void pulseNow() {
        MockDigitalInput input = context.gpioBoard().io("gpio-27", MockDigitalInput.class);
        input.mockState(DigitalState.LOW);
        input.mockState(DigitalState.HIGH);
    }

    /**
     * Runs the meter for {@code seconds}: pulses at {@code watts} (none at 0) beside readings every
     * 5 s, in time order on the clock; returns the readings' watts. The first pulse comes one
     * pulse interval after the start.
     */
    private List<Double> run(Sensor sensor, double watts, int perKwh, double seconds) throws Exception {
        double interval = watts > 0 ? EnergyMeter.JOULES_PER_KWH / (perKwh * watts) : Double.MAX_VALUE;
        List<Double> values = new ArrayList<>();
        long startNanos = nanos();
        long endNanos = startNanos + (long) (seconds * 1e9);
        long nextPulse = startNanos + (long) (Math.min(interval, seconds + 1) * 1e9);
        long nextRead = startNanos + 5_000_000_000L;
        while (true) {
            long next = Math.min(nextRead, watts > 0 ? nextPulse : Long.MAX_VALUE);
            if (next > endNanos) {
                clock.advance(Duration.ofNanos(endNanos - nanos()));
                pendingPulseNanos = watts > 0 ? nextPulse - endNanos : 0;
                return values;
            }
            clock.advance(Duration.ofNanos(next - nanos()));
            if (next == nextPulse && watts > 0) {
                pulseNow();
                nextPulse += (long) (interval * 1e9);
            } else {
                values.add(sensor.read().value());
                nextRead += 5_000_000_000L;
            }
        }
    }

    private long pendingPulseNanos;

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @ParameterizedTest(name = "{0} W at 1000 imp/kWh")
    @ValueSource(doubles = {50, 120, 180, 500, 1000, 2000, 3000, 5000})
    void aSteadyLoadReadsSteadyWithinTwoPercent(double watts) throws Exception {
        Sensor sensor = meter(1000);
        // Two pulses are needed for a first figure: at 50 W they are 72 s apart.
        List<Double> values = run(sensor, watts, 1000, 3 * 72 + 600);
        List<Double> settled = values.subList(3 * 72 / 5 + 1, values.size());

        assertThat(settled).hasSizeGreaterThan(100)
                .allSatisfy(w -> assertThat(w).isCloseTo(watts, org.assertj.core.data.Percentage.withPercentage(2)));
    }

    @Test
    void readsZeroBeforeTwoPulsesHaveBeenSeen() throws Exception {
        Sensor sensor = meter(1000);
        clock.advance(Duration.ofSeconds(5));
        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0, "W").with("energy_kwh", 0.0).with("pulses", 0L));
        pulseNow();
        clock.advance(Duration.ofSeconds(5));
        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0, "W").with("energy_kwh", 0.001).with("pulses", 1L));
        clock.advance(Duration.ofSeconds(15));
        pulseNow();
        clock.advance(Duration.ofSeconds(1));
        // the pulses are 5 + 15 = 20 s apart: 3,600,000 / (1000 * 20 s) = 180 W
        assertThat(sensor.read()).isEqualTo(Measurement.of(180.0, "W").with("energy_kwh", 0.002).with("pulses", 1L));
    }

    @Test
    void aSlowLoadIsHeldBetweenItsPulsesThenDecaysAndReadsZeroOnceStopped() throws Exception {
        Sensor sensor = meter(1000);
        pulseNow();
        clock.advance(Duration.ofSeconds(20));
        pulseNow(); // 180 W: one pulse every 20 s
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(5));
            values.add(sensor.read().value());
        }
        // held up to 20 s since the last pulse, then 3,600,000 / (1000 * 25 s), .../30 s, .../35 s,
        // zero from 40 s (twice the last interval) on
        assertThat(values).containsExactly(180.0, 180.0, 180.0, 180.0, 144.0, 120.0, 102.86, 0.0, 0.0);
    }

    @ParameterizedTest(name = "{0} W stops")
    @ValueSource(doubles = {50, 500, 5000})
    void aLoadThatStopsReadsZeroWithinTwoOfItsIntervals(double watts) throws Exception {
        Sensor sensor = meter(1000);
        run(sensor, watts, 1000, 300);
        double interval = EnergyMeter.JOULES_PER_KWH / (1000 * watts);
        // the last pulse was one interval minus what was still pending before the end
        double sinceLastPulse = interval - pendingPulseNanos / 1e9;
        List<Double> after = run(sensor, 0, 1000, 2 * interval - sinceLastPulse + 5);

        assertThat(after.get(after.size() - 1)).isEqualTo(0.0);
        assertThat(after).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(watts * 1.02));
    }

    @Test
    void followsALoadSteppingUpAndDown() throws Exception {
        Sensor sensor = meter(1000);
        double[] stages = {300, 2000, 4500, 800, 100, 1500};
        for (double watts : stages) {
            List<Double> values = run(sensor, watts, 1000, 300);
            // after at most two of its pulse intervals and one read, every reading is on the new load
            double interval = EnergyMeter.JOULES_PER_KWH / (1000 * watts);
            int settle = (int) Math.ceil((2 * interval + 5) / 5);
            assertThat(values.subList(settle, values.size())).as("%s W", watts)
                    .allSatisfy(w -> assertThat(w).isCloseTo(watts, org.assertj.core.data.Percentage.withPercentage(2)));
        }
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

        assertThat(m.extras()).containsEntry("energy_kwh", 0.015).containsEntry("pulses", 5L);
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
