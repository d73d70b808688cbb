package io.sensorreader.gpio;

import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An energy meter's S0 output on a GPIO (pull-up on): the meter's transistor pulls the line low
 * for each pulse, {@code pulses_per_kwh} pulses per kWh. A listener stamps each falling edge with
 * the clock's instant; power comes from the time between pulses, not from pulses counted per read
 * (which alternates between 0 and a spike when pulses are slower than readings):
 *
 * <ul>
 *   <li>pulses since the previous read: {@code watts = 3,600,000 * n / (pulses_per_kwh * s)}, where
 *       {@code n} is the number of those pulses and {@code s} the seconds from the pulse before them
 *       to the last one (the mean over whole intervals; with one new pulse, the last interval);</li>
 *   <li>no new pulse: the last value is held while the time since the last pulse is within the last
 *       interval; beyond it the value is {@code 3,600,000 / (pulses_per_kwh * seconds since the last
 *       pulse)} (the most the load can be without having pulsed yet), and zero from twice the last
 *       interval on;</li>
 *   <li>fewer than two pulses ever seen: zero.</li>
 * </ul>
 *
 * {@code energy_kwh} is the running total, {@code pulses} the pulses since the previous read. A pulse
 * that arrives while a read runs lands in the next read; none is counted twice.
 */
final class EnergyMeter implements Sensor {

    static final double JOULES_PER_KWH = 3_600_000.0;

    private final int pulsesPerKwh;
    private final Stimulus stimulus;
    private final Clock clock;
    private final Runnable release;

    // Guarded by this.
    private long total;
    private long totalAtLastRead;
    private Instant lastPulse;
    private Instant previousPulse;
    /** The pulse before the first one counted since the previous read (null: none yet). */
    private Instant windowStart;
    /** Whole intervals between pulses from windowStart to lastPulse. */
    private long windowIntervals;
    private double heldWatts;

    EnergyMeter(int pulsesPerKwh, Line input, Stimulus stimulus, Clock clock, Runnable release) {
        this.pulsesPerKwh = pulsesPerKwh;
        this.stimulus = stimulus;
        this.clock = clock;
        this.release = release;
        input.onChange(level -> {
            if (level == Line.Level.LOW) {
                pulse(Stimulus.edgeTime(clock));
            }
        });
    }

    /** One pulse at {@code at}. */
    synchronized void pulse(Instant at) {
        if (lastPulse != null && at.isBefore(lastPulse)) {
            at = lastPulse;
        }
        if (total == totalAtLastRead) {
            windowStart = lastPulse != null ? lastPulse : at;
            windowIntervals = lastPulse != null ? 1 : 0;
        } else {
            windowIntervals++;
        }
        total++;
        previousPulse = lastPulse;
        lastPulse = at;
    }

    @Override
    public String type() {
        return "EnergyConsumptionSensor";
    }

    @Override
    public Measurement read() {
        Instant now = clock.instant();
        stimulus.advance(now);
        synchronized (this) {
            long counted = total - totalAtLastRead;
            totalAtLastRead = total;
            double watts = watts(counted, now);
            return Measurement.of(round(watts, 2), "W")
                    .with("energy_kwh", round((double) total / pulsesPerKwh, 6))
                    .with("pulses", counted);
        }
    }

    private double watts(long counted, Instant now) {
        if (previousPulse == null) {
            heldWatts = 0;
            return 0;
        }
        if (counted > 0) {
            double span = seconds(windowStart, lastPulse);
            heldWatts = span > 0 && windowIntervals > 0
                    ? JOULES_PER_KWH * windowIntervals / (pulsesPerKwh * span) : heldWatts;
            return heldWatts;
        }
        double interval = seconds(previousPulse, lastPulse);
        double since = seconds(lastPulse, now);
        if (since <= interval) {
            return heldWatts;
        }
        if (since >= 2 * interval) {
            return 0;
        }
        return Math.min(heldWatts, JOULES_PER_KWH / (pulsesPerKwh * since));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    static double round(double value, int places) {
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }

    @Override
    public void close() {
        release.run();
    }
}
