package io.sensorreader.api.agent;

import io.sensorreader.api.Board;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorReadException;

/**
 * Opens the device's {@link Board} (sensor-gpio does, on Pi4J, or simulated in plain Java). Found with
 * ServiceLoader on the agent's class path; the agent calls it at most once per run, on the first
 * {@link SensorContext#board()}, so that a device without GPIO sensors never loads the GPIO library.
 * The agent closes the board after every sensor, at shutdown.
 */
public interface BoardFactory {

    /** The name, e.g. {@code pi4j}. */
    String name();

    /**
     * Opens the board: live hardware when {@code SENSOR_READER_LIVE_SENSORS_ENABLED} is true, the
     * simulation otherwise.
     *
     * @throws SensorReadException when the hardware cannot be opened; the message says the fix
     */
    AutoCloseableBoard open(SensorContext context) throws SensorReadException;

    /** A board the agent closes at shutdown. */
    interface AutoCloseableBoard extends Board, AutoCloseable {
        @Override
        void close();
    }
}
