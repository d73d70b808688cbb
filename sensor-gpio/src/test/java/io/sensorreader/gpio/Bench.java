package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

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
    public Stimulus floatLevel(String sensorId, MockDigitalInput input) {
        return Stimulus.NONE;
    }

    @Override
    public Stimulus pulses(String sensorId, MockDigitalInput input, int pulsesPerKwh) {
        return Stimulus.NONE;
    }

    @Override
    public double volts(int bus, int address, int channel) {
        if (!chipAnswers) {
            throw new IllegalStateException("Remote I/O error");
        }
        return volts.getOrDefault(bus + "/" + address + "/" + channel, 0.0);
    }

    /** A mock-platform board for raspberry_pi_4 on this bench. */
    Board board(ManualClock clock) {
        return Board.simulated(PinTable.of("raspberry_pi_4").orElseThrow(), null, this, clock);
    }
}
