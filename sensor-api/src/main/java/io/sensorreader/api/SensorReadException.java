package io.sensorreader.api;

/** One reading of one sensor failed; the next cycle tries again. */
public class SensorReadException extends Exception {

    /** @param message what failed, for the log; the agent adds the sensor's id */
    public SensorReadException(String message) {
        super(message);
    }

    /** @param message what failed; @param cause the underlying failure */
    public SensorReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
