package io.sensorreader.gpio;

/**
 * What stands in for the world when the sensors run on simulated lines (or, in tests, on Pi4J's
 * mock platform): signal generators in simulated mode ({@link SignalGenerators}), a test bench in
 * tests.
 */
interface Simulation {

    /** Drives a float switch's input. */
    Stimulus floatLevel(String sensorId, Line.Driven input);

    /** Drives an S0 pulse input. */
    Stimulus pulses(String sensorId, Line.Driven input, int pulsesPerKwh);

    /**
     * The voltage at an ADS1115's input pin, asked by the fake chip when a conversion starts.
     *
     * @throws IllegalStateException when the chip does not answer (as a NACK would)
     */
    double volts(int bus, int address, int channel);
}
