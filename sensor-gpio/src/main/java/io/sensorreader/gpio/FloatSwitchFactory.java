package io.sensorreader.gpio;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.SensorReadException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Float switches on a GPIO input ({@code FloatSensor}); a raised float reads 1. Keys: {@code pin}
 * (BCM), {@code inverted} (true for normally-closed switches), {@code debounce} (default 10ms; a
 * bare number is milliseconds), {@code description}.
 */
public final class FloatSwitchFactory implements SensorFactory {

    static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(10);

    /** Needed by ServiceLoader. */
    public FloatSwitchFactory() {
    }

    @Override
    public java.util.Set<String> settingKeys() {
        return Board.SETTING_KEYS;
    }

    @Override
    public String name() {
        return "float";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) throws SensorReadException {
        Board board = context.shared(Board.KEY, Board.class, () -> Board.open(context));
        // The pin stays claimed even when the sensor cannot be made: a second sensor on it is
        // still a mistake in the file.
        int pin = board.claimPin(config, "pin");
        boolean inverted = config.getBoolean("inverted", false);
        Duration debounce = config.getDuration("debounce", DEFAULT_DEBOUNCE, ChronoUnit.MILLIS);
        String description = config.getString("description", config.sensorId());
        Line input = board.openInput(config.sensorId(), pin, debounce);
        return new FloatSwitch(config.sensorId(), description, inverted, debounce, input,
                board.floatStimulus(config.sensorId(), input), board.clock(), () -> {
                    input.close();
                    board.releasePin(pin);
                });
    }

    @Override
    public List<Map<String, Object>> defaultSections(String deviceId) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("id", deviceId + "-float-1");
        section.put("type", name());
        section.put("description", "Simulated tank level");
        section.put("pin", 17);
        return List.of(section);
    }
}
