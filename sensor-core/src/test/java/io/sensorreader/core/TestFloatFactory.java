package io.sensorreader.core;

import io.sensorreader.api.Measurement;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.SensorReadException;
import java.util.List;
import java.util.Map;

/**
 * Test sensors of type {@code test-float}: read {@code value} (default 1.0). A section with
 * {@code fail_open: true} cannot be opened; {@code pin} must be a whole number.
 */
public final class TestFloatFactory implements SensorFactory {

    @Override
    public String name() {
        return "test-float";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) throws SensorReadException {
        config.getInt("pin", 0, 2, 27, "a GPIO number 2-27");
        config.getBoolean("inverted", false);
        if (config.getBoolean("fail_open", false)) {
            throw new SensorReadException("GPIO busy; stop the other program using it");
        }
        if (config.getBoolean("explode", false)) {
            throw new IllegalStateException("factory bug");
        }
        double value = config.getDouble("value", 1.0);
        String id = config.sensorId();
        String description = config.getString("description", "test");
        return new Sensor() {
            @Override
            public String type() {
                return "FloatSensor";
            }

            @Override
            public Measurement read() {
                return Measurement.of(value);
            }
        };
    }

    @Override
    public List<Map<String, Object>> defaultSections(String deviceId) {
        return List.of(Map.of("id", deviceId + "_test_float", "type", "test-float", "description", "Simulated float"));
    }
}
