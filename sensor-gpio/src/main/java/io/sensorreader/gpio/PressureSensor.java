package io.sensorreader.gpio;

import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorReadException;

/**
 * A 0.5-4.5 V pressure transducer on one ADS1115 input, behind a voltage divider that keeps the
 * input within the chip's supply. The sensor's voltage (input voltage ÷ divider ratio) maps
 * linearly from 0.5 V at {@code min_pressure} to 4.5 V at {@code max_pressure}, clamped to that
 * range and rounded to 2 decimals; the sensor voltage goes along as {@code voltage}.
 */
final class PressureSensor implements Sensor {

    static final double LOW_VOLTS = 0.5;
    static final double HIGH_VOLTS = 4.5;

    private final String id;
    private final String description;
    private final Ads1115 chip;
    private final int channel;
    private final Gain gain;
    private final double dividerRatio;
    private final double minPressure;
    private final double maxPressure;
    private final String unit;
    private final Runnable release;

    PressureSensor(String id, String description, Ads1115 chip, int channel, Gain gain, double dividerRatio,
                   double minPressure, double maxPressure, String unit, Runnable release) {
        this.id = id;
        this.description = description;
        this.chip = chip;
        this.channel = channel;
        this.gain = gain;
        this.dividerRatio = dividerRatio;
        this.minPressure = minPressure;
        this.maxPressure = maxPressure;
        this.unit = unit;
        this.release = release;
    }

    @Override
    public String type() {
        return "PressureSensor";
    }

    @Override
    public Measurement read() throws SensorReadException {
        double sensorVolts = chip.volts(channel, gain) / dividerRatio;
        double pressure = minPressure + (sensorVolts - LOW_VOLTS) * (maxPressure - minPressure) / (HIGH_VOLTS - LOW_VOLTS);
        pressure = Math.max(minPressure, Math.min(maxPressure, pressure));
        return Measurement.of(EnergyMeter.round(pressure, 2), unit).with("voltage", EnergyMeter.round(sensorVolts, 3));
    }

    @Override
    public void close() {
        release.run();
    }
}
