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
     * {@code EnergyConsumptionSensor}; letters, digits and {@code _}. Asked once, at start-up.
     */
    String type();

    /**
     * Takes one measurement. Called on the sampling thread once per cycle; must return well within
     * the sampling interval and must not block on the network.
     *
     * @throws SensorReadException when this reading failed (a NACK on the bus, a device gone); the
     *     agent logs it, rate-limited, and goes on without this sensor's reading for this cycle.
     *     Any other exception is treated the same way.
     */
    Measurement read() throws SensorReadException;

    /** Releases the hardware. Called once, at shutdown; must not throw. */
    @Override
    default void close() {
    }
}
