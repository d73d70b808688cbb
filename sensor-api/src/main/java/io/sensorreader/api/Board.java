package io.sensorreader.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The device's pins and buses, shared by every sensor: built-in and third-party sensors ask the
 * agent for a digital input or an I2C device here instead of opening the hardware themselves, so
 * that one GPIO chip setting ({@code SENSOR_READER_GPIO_CHIP}) applies to all of them and a pin or an
 * address used twice is caught at start-up. Obtained with {@link SensorContext#board()}.
 *
 * <p>Threads: open inputs and devices in {@link SensorFactory#create}, at start-up on the main
 * thread; read them from {@link Sensor#read()}. On simulated boards (no live sensors) the same calls
 * work on the agent's simulation.
 */
public interface Board {

    /**
     * Claims a GPIO pin as a digital input.
     *
     * @param owner the section of the sensor that uses it (named in conflict messages)
     * @param key the key the pin number was read from, e.g. {@code "pin"} (named in messages)
     * @param pin the BCM number
     * @param pull the internal resistor to enable
     * @param debounce how long a level must hold before it counts; {@link Duration#ZERO} for none
     * @throws ConfigException when the pin does not exist on this board or another sensor already uses
     *     it: {@code sensors.yaml: sensor 'b' (acme-door): pin 17 is already used by sensor 'a' (float)}
     * @throws SensorReadException when the hardware cannot be opened (no chip, no permission); the
     *     message says the fix
     */
    DigitalInput digitalInput(PluginConfig owner, String key, int pin, Pull pull, Duration debounce)
            throws SensorReadException;

    /**
     * Claims an I2C device.
     *
     * @param owner the section of the sensor that uses it
     * @param bus the bus number, e.g. 1 for {@code /dev/i2c-1}
     * @param address the 7-bit address, e.g. {@code 0x48}
     * @throws ConfigException when the address is out of range or another sensor already uses it
     * @throws SensorReadException when the bus cannot be opened
     */
    I2cDevice i2cDevice(PluginConfig owner, int bus, int address) throws SensorReadException;

    /** The internal resistor of an input. */
    enum Pull {
        /** To 3.3 V: a switch to ground reads low when closed. */
        UP,
        /** To ground. */
        DOWN,
        /** None: the circuit drives the line. */
        NONE
    }

    /** A claimed input pin. Closing releases the pin. */
    interface DigitalInput extends AutoCloseable {

        /**
         * The level now.
         *
         * @throws SensorReadException when the line cannot be read
         */
        boolean isHigh() throws SensorReadException;

        /**
         * Registers a listener told of every debounced level change, on a thread of the board's own
         * (keep it short; never block). Listeners are called in the order of the changes.
         */
        void onChange(EdgeListener listener);

        /** Releases the pin; never throws. */
        @Override
        void close();
    }

    /** Told of a level change of an input. */
    @FunctionalInterface
    interface EdgeListener {

        /**
         * @param high the new level
         * @param at when the change was seen, on the agent's clock
         */
        void changed(boolean high, Instant at);
    }

    /** A claimed I2C device at one address. Closing releases the address. */
    interface I2cDevice extends AutoCloseable {

        /** Writes bytes to the device. @throws SensorReadException on a NACK or bus error */
        void write(byte[] data) throws SensorReadException;

        /** Reads {@code into.length} bytes. @throws SensorReadException on a NACK or bus error */
        void read(byte[] into) throws SensorReadException;

        /** Writes bytes to a register. @throws SensorReadException on a NACK or bus error */
        void writeRegister(int register, byte[] data) throws SensorReadException;

        /** Reads {@code into.length} bytes from a register. @throws SensorReadException on a NACK or bus error */
        void readRegister(int register, byte[] into) throws SensorReadException;

        /** Releases the address; never throws. */
        @Override
        void close();
    }
}
