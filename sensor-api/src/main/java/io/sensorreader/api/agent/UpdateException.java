package io.sensorreader.api.agent;

/** An update check or apply failed; the running version is unchanged. */
public class UpdateException extends Exception {

    private final String step;

    /**
     * @param step which step failed, e.g. {@code "fetch"}, {@code "build"}, {@code "checksum"}
     * @param message what failed and why; never a token
     */
    public UpdateException(String step, String message) {
        super(step + ": " + message);
        this.step = step;
    }

    /** With the underlying cause. */
    public UpdateException(String step, String message, Throwable cause) {
        super(step + ": " + message, cause);
        this.step = step;
    }

    /** The step that failed. */
    public String step() {
        return step;
    }
}
