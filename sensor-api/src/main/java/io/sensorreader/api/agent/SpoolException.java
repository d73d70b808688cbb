package io.sensorreader.api.agent;

/** The spool's storage failed (I/O error, disk full beyond what eviction can mend). */
public class SpoolException extends Exception {

    /** @param message what failed, with the spool's location */
    public SpoolException(String message) {
        super(message);
    }

    /** @param message what failed; @param cause the storage error */
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
