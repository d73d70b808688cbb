package io.sensorreader.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An energy meter's S0 output on a GPIO (pull-up on): the meter's transistor pulls the line low
 * for each pulse, {@code pulses_per_kwh} pulses per kWh. A listener counts falling edges into one
 * running total; a read takes the total once and reports the pulses since the previous read as
 * average watts over that interval, and the running total as {@code energy_kwh}. Pulses that
 * arrive while a read is slow land in the total and show in the next read; none is counted twice.
 */
final class EnergyMeter implements Sensor {

    private static final double JOULES_PER_KWH = 3_600_000.0;

    private final String id;
    private final String description;
    private final int pulsesPerKwh;
    private final DigitalInput input;
    private final Stimulus stimulus;
    private final Clock clock;
    private final Runnable release;
    private final AtomicLong pulses = new AtomicLong();
    private final DigitalStateChangeListener listener;

    private long pulsesAtLastRead;
    private Instant lastRead;

    EnergyMeter(String id, String description, int pulsesPerKwh, DigitalInput input, Stimulus stimulus, Clock clock,
                Runnable release) {
        this.id = id;
        this.description = description;
        this.pulsesPerKwh = pulsesPerKwh;
        this.input = input;
        this.stimulus = stimulus;
        this.clock = clock;
        this.release = release;
        this.lastRead = clock.instant();
        this.listener = event -> {
            if (event.state() == DigitalState.LOW) {
                pulses.incrementAndGet();
            }
        };
        input.addListener(listener);
    }

    @Override
    public String type() {
        return "EnergyConsumptionSensor";
    }

    @Override
    public synchronized Measurement read() {
        Instant now = clock.instant();
        stimulus.advance(now);
        long total = pulses.get();
        long counted = total - pulsesAtLastRead;
        double seconds = Duration.between(lastRead, now).toNanos() / 1e9;
        double watts = seconds > 0 ? counted * JOULES_PER_KWH / pulsesPerKwh / seconds : 0.0;
        pulsesAtLastRead = total;
        lastRead = now;
        return Measurement.of(round(watts, 2), "W")
                .with("energy_kwh", round((double) total / pulsesPerKwh, 6))
                .with("pulses", counted);
    }

    static double round(double value, int places) {
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }

    @Override
    public void close() {
        input.removeListener(listener);
        release.run();
    }
}
