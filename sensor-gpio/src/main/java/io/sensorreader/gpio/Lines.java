package io.sensorreader.gpio;

import io.sensorreader.api.Board.Pull;

import java.time.Duration;

/**
 * Where a {@link Board}'s inputs and I2C devices come from: Pi4J ({@link Pi4jLines}, live or on
 * its mock platform) or plain Java ({@link SimulatedLines}). Ids name an opened line or device
 * ({@code gpio-17}, {@code ads1115-1-48}) until it is closed.
 */
interface Lines {

    /**
     * Opens a digital input. A simulated input starts at the level its pull gives it.
     *
     * @throws RuntimeException when the line cannot be had
     */
    Line input(String id, String name, int pin, Duration debounce, Pull pull);

    /**
     * Opens a device on an I2C bus.
     *
     * @throws RuntimeException when the bus or the device cannot be opened
     */
    I2cHandle i2c(String id, int bus, int address);

    /**
     * For tests: the open line or device with this id, as the implementation holds it.
     *
     * @throws RuntimeException when there is none, or the lines are closed
     */
    <T> T io(String id, Class<T> type);

    /** Closes everything still open; never throws. */
    void close();
}
