package io.sensorreader.gpio;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The GPIO lines a sensor may use on one kind of board, in BCM numbering. GPIO 0 and 1 are the
 * HAT EEPROM's I2C bus and are never offered; 2 and 3 are I2C-1 (SDA, SCL) and are offered, as the
 * Python agent did, for boards without an ADC.
 *
 * @param board the {@code SENSOR_READER_DEVICE_TYPE} value
 * @param lowest the lowest usable BCM number
 * @param highest the highest usable BCM number
 */
record PinTable(String board, int lowest, int highest) {

    static final String DEFAULT_BOARD = "raspberry_pi_4";

    private static final List<PinTable> BOARDS = List.of(
            new PinTable("raspberry_pi_4", 2, 27),
            new PinTable("raspberry_pi_5", 2, 27));

    /** The table for a board name, in any case; empty when the board is unknown. */
    static Optional<PinTable> of(String board) {
        String wanted = board.strip().toLowerCase(Locale.ROOT);
        return BOARDS.stream().filter(t -> t.board.equals(wanted)).findFirst();
    }

    /** The names of every known board, for messages: {@code raspberry_pi_4 or raspberry_pi_5}. */
    static String known() {
        List<String> names = BOARDS.stream().map(PinTable::board).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    /**
     * The pin under {@code key}, checked against this table.
     *
     * @throws ConfigException {@code <where>: pin is '40'; expected a GPIO number 2-27 (BCM) on raspberry_pi_4}
     */
    int requireGpio(PluginConfig config, String key) {
        String expected = "a GPIO number " + lowest + "-" + highest + " (BCM) on " + board;
        int pin = config.requireInt(key, Integer.MIN_VALUE, Integer.MAX_VALUE, expected);
        if (pin < lowest || pin > highest) {
            throw config.invalid(key, expected);
        }
        return pin;
    }
}
