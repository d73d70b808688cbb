package io.sensorreader.api.agent;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapConfigTest {

    private final PluginConfig sensor = PluginConfig.forSensor("sensor_config.yaml",
            Map.of("id", "tank_top", "type", "float", "pin", "forty", "inverted", "True", "debounce", "20ms",
                    "max", 10.5));

    @Test
    void namesFileSensorKeyValueAndExpectation() {
        assertThatThrownBy(() -> sensor.requireInt("pin", 2, 27, "a GPIO number 2-27"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sensor_config.yaml: sensor 'tank_top' (float): pin is 'forty'; expected a GPIO number 2-27");
    }

    @Test
    void reportsMissingKey() {
        assertThatThrownBy(() -> sensor.requireDouble("min"))
                .hasMessage("sensor_config.yaml: sensor 'tank_top' (float): min is missing; expected a number");
    }

    @Test
    void readsPythonStyleBooleansDurationsAndYamlNumbers() {
        assertThat(sensor.getBoolean("inverted", false)).isTrue();
        assertThat(sensor.getDuration("debounce", Duration.ZERO)).isEqualTo(Duration.ofMillis(20));
        assertThat(sensor.requireDouble("max")).isEqualTo(10.5);
        assertThat(sensor.sensorId()).isEqualTo("tank_top");
    }

    @Test
    void settingsNameTheVariableAndItsOrigin() {
        PluginConfig settings = new MapConfig("", "SENSOR_READER_", Map.of("INTERVAL_SECONDS", "0"),
                Map.of("INTERVAL_SECONDS", ".env"));
        assertThatThrownBy(() -> settings.requireInt("INTERVAL_SECONDS", 1, 86_400, "whole seconds, at least 1"))
                .hasMessage(".env: SENSOR_READER_INTERVAL_SECONDS is '0'; expected whole seconds, at least 1");
    }

    @Test
    void secretNeverShowsItself() {
        Secret s = Secret.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(s.toString()).doesNotContain("0123456789").startsWith("secret:").hasSize(15);
    }
}
