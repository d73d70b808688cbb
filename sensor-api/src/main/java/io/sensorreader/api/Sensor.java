package io.sensorreader.api;

/**
 * One sensor, created by its {@link SensorFactory} at start-up and read once per sampling cycle.
 * Its id and description come from its section of the sensor file ({@code id}, {@code description});
 * the agent stamps them, and the cycle's time, on every reading. Sensors may hold hardware (a GPIO
 * line, an I2C bus), so they close.
 */
public interface Sensor extends AutoCloseable {

    /**
     * The reading type the destination knows, e.g. {@code FloatSensor} or
     * {@code EnergyConsumptionSensor}; letters, digits and {@code _}. Asked once, at start-up, on the
     * main thread, right after {@link SensorFactory#create}.
     */
    String type();

    /**
     * Takes one measurement. Called once per cycle, at the tick, on a virtual thread of its own (never
     * two reads of one sensor at once), with the plugin's class loader as the context class loader.
     * It has a deadline: half the sampling interval unless the section sets {@code read_timeout}. A
     * read that returns later is dropped for that cycle; one that has not returned by the next tick
     * is not started again. Neither holds up the other sensors. Should not block on the network.
     *
     * @throws SensorReadException when this reading failed (a NACK on the bus, a device gone); the
     *     agent logs it, rate-limited, and goes on without this sensor's reading for this cycle.
     *     Any other {@link Throwable}, {@link Error}s included, is treated the same way.
     */
    Measurement read() throws SensorReadException;

    /**
     * Releases the hardware. Called once, at shutdown, on the main thread, with the plugin's class
     * loader as the context class loader; must not throw (a failure is logged, nothing else).
     */
    @Override
    default void close() {
    }
}
