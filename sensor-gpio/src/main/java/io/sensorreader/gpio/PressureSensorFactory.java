package io.sensorreader.gpio;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.SensorReadException;

import java.util.Locale;

/**
 * Pressure transducers (0.5-4.5 V) read through an ADS1115 on I2C ({@code PressureSensor}). Keys:
 * {@code channel} (0-3), {@code min_pressure}, {@code max_pressure}, {@code unit} (default bar),
 * {@code address} (default 0x48; {@code 0x48} or 72), {@code gain} (full-scale volts, default
 * 4.096), {@code divider_ratio} (default 33/43: 10k over 33k), {@code i2c_bus} (default 1),
 * {@code description}. The reference collector does not know this type yet.
 */
public final class PressureSensorFactory implements SensorFactory {

    static final int DEFAULT_ADDRESS = 0x48;
    static final double DEFAULT_DIVIDER = 33.0 / (10.0 + 33.0);

    /** Needed by ServiceLoader. */
    public PressureSensorFactory() {
    }

    @Override
    public java.util.Set<String> settingKeys() {
        return Board.SETTING_KEYS;
    }

    @Override
    public String name() {
        return "pressure";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) throws SensorReadException {
        Board board = context.shared(Board.KEY, Board.class, () -> Board.open(context));
        int channel = config.requireInt("channel", 0, 3, "an ADS1115 input 0-3");
        double min = config.requireDouble("min_pressure");
        double max = config.requireDouble("max_pressure");
        if (max <= min) {
            throw config.problem("max_pressure " + max + " is not above min_pressure " + min
                    + "; expected the pressure at 4.5 V above the pressure at 0.5 V");
        }
        String unit = config.getString("unit", "bar");
        int address = address(config);
        double gainVolts = config.getDouble("gain", Gain.FS_4_096.fullScale());
        Gain gain = Gain.ofVolts(gainVolts)
                .orElseThrow(() -> config.invalid("gain", "the ADS1115's full scale in volts: " + Gain.choices()));
        double ratio = config.getDouble("divider_ratio", DEFAULT_DIVIDER);
        if (ratio <= 0 || ratio > 1) {
            throw config.invalid("divider_ratio", "a ratio above 0 and at most 1, e.g. 0.767 for 10k over 33k");
        }
        int bus = config.getInt("i2c_bus", 1, 0, 255, "an I2C bus number, e.g. 1 for /dev/i2c-1");
        String description = config.getString("description", config.sensorId());
        board.claimChannel(config, bus, address, channel);
        Ads1115 chip = board.chip(bus, address);
        return new PressureSensor(config.sensorId(), description, chip, channel, gain, ratio, min, max, unit,
                () -> board.releaseChannel(bus, address, channel));
    }

    /** {@code 0x48} as text, or a number (YAML reads {@code 0x48} as 72). */
    private static int address(PluginConfig config) {
        Object raw = config.raw("address").orElse(null);
        if (raw == null || String.valueOf(raw).isBlank()) {
            return DEFAULT_ADDRESS;
        }
        String expected = "an ADS1115 address 0x48-0x4B";
        int address;
        try {
            String text = String.valueOf(raw).strip().toLowerCase(Locale.ROOT);
            address = raw instanceof Number n ? n.intValue()
                    : text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw config.invalid("address", expected);
        }
        if (address < 0x48 || address > 0x4B) {
            throw config.invalid("address", expected);
        }
        return address;
    }
}
