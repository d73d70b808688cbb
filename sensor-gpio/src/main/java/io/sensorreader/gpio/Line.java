package io.sensorreader.gpio;

import java.util.function.Consumer;

/**
 * One digital input as the sensors see it: its level and its edges. On a Pi a gpiod line through
 * Pi4J ({@link Pi4jLines}); in simulated mode a plain level that the signal generators set
 * ({@link SimulatedLines}). Nothing here names Pi4J, so simulated mode never loads it.
 */
interface Line {

    /** A line's level; {@code UNKNOWN} when the driver could not tell. */
    enum Level { LOW, HIGH, UNKNOWN }

    /** The present level. */
    Level level();

    /**
     * Calls {@code edge} with the new level on every change: on Pi4J's event thread on a Pi,
     * synchronously inside {@link Driven#drive} in simulation. A repeated level is no change.
     */
    void onChange(Consumer<Level> edge);

    /** Stops the listeners and gives the line back; never throws. */
    void close();

    /** A line whose level a {@link Simulation} sets: a simulated line, or an input on Pi4J's mock platform. */
    interface Driven extends Line {

        /** Sets the level; the listeners see the change before this returns. */
        void drive(Level level);
    }
}
