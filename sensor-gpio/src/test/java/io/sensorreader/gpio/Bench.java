package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;

import java.util.HashMap;
import java.util.Map;

/** A test bench: inputs the test drives itself, and ADS1115 inputs at voltages the test sets. */
final class Bench implements Simulation {

    private final Map<String, Double> volts = new HashMap<>();
    boolean chipAnswers = true;

    /** Puts {@code sensorVolts} behind a divider of {@code ratio} on an input of the chip at 0x48, bus 1. */
    void sensorVolts(int channel, double sensorVolts, double ratio) {
        adcVolts(1, 0x48, channel, sensorVolts * ratio);
    }

    void adcVolts(int bus, int address, int channel, double adcVolts) {
        volts.put(bus + "/" + address + "/" + channel, adcVolts);
    }

    @Override
    public Stimulus floatLevel(String sensorId, Line.Driven input) {
        return Stimulus.NONE;
    }

    @Override
    public Stimulus pulses(String sensorId, Line.Driven input, int pulsesPerKwh) {
        return Stimulus.NONE;
    }

    @Override
    public double volts(int bus, int address, int channel) {
        if (!chipAnswers) {
            throw new IllegalStateException("Remote I/O error");
        }
        return volts.getOrDefault(bus + "/" + address + "/" + channel, 0.0);
    }

    /** A board for raspberry_pi_4 on Pi4J's mock platform, through the Pi4J wiring, on this bench. */
    Board board(ManualClock clock) {
        return Board.mockPlatform(PinTable.of("raspberry_pi_4").orElseThrow(), null, this, clock);
    }
}
