package io.sensorreader.api;

/**
 * One sensor, created by its {@link SensorFactory} at start-up and read once per sampling cycle.
 * Sensors may hold hardware (a GPIO line, an I2C bus), so they close.
 */
public interface Sensor extends AutoCloseable {

    /** The id sent to the collector; unique among this device's sensors and, ideally, the fleet. */
    String id();

    /** The collector's type, e.g. {@code FloatSensor} or {@code EnergyConsumptionSensor}. */
    String type();

    /** Free text; sent as {@code "<type>: <description>"}. */
    String description();

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
