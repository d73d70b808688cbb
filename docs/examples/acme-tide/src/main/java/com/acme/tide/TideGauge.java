package com.acme.tide;

import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;
import java.time.Clock;
import java.time.Duration;

/** The water level, in metres, as a sine around the mean level. Reads only the clock: never blocks. */
final class TideGauge implements Sensor {

    private final Clock clock;
    private final double level;
    private final double amplitude;
    private final double periodMillis;

    TideGauge(Clock clock, double level, double amplitude, Duration period) {
        this.clock = clock;
        this.level = level;
        this.amplitude = amplitude;
        this.periodMillis = period.toMillis();
    }

    @Override
    public String type() {
        return "FloatSensor";
    }

    @Override
    public Measurement read() {
        double phase = 2 * Math.PI * (clock.millis() % (long) periodMillis) / periodMillis;
        double metres = level + amplitude * Math.sin(phase);
        return Measurement.of(Math.round(metres * 1000) / 1000.0, "m");
    }
}
