package io.sensorreader.api;

/**
 * A setting or sensor section is wrong. The message is for an operator and already says where
 * (file or variable), the key, the value and what was expected, for example
 * {@code sensor_config.yaml: sensor 'tank_top' (float): pin is 'forty'; expected a GPIO number 2-27}.
 *
 * <p>Thrown at start-up only; the agent collects every one, prints them all and exits 78.
 */
public final class ConfigException extends RuntimeException {

    /** @param message the whole operator-facing message */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message the whole operator-facing message
     * @param cause what failed underneath, kept for the debug log
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
