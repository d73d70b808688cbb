package io.sensorreader.gpio;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.sensorreader.api.Board;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.ManualClock;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.BoardFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SPI board on Pi4J's mock platform, sharing its pin table with the built-in sensors. */
class GpioBoardFactoryTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-11-26T20:00:00Z"));
    private final FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock);

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private static PluginConfig door(int pin) {
        return PluginConfig.forSensor("sensor_config.yaml", Map.of("id", "door", "type", "acme-door", "pin", pin));
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(BoardFactory.class).stream().map(p -> p.get().name())).containsExactly("gpio");
    }

    @Test
    void aThirdPartyInputOnTheFloatsPinIsAConfigErrorNamingBoth() throws Exception {
        new FloatSwitchFactory().create(PluginConfig.forSensor("sensor_config.yaml",
                Map.of("id", "tank_top", "type", "float", "pin", 17)), context);
        BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context);

        assertThatThrownBy(() -> board.digitalInput(door(17), "pin", 17, Board.Pull.UP, Duration.ofMillis(5)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sensor_config.yaml: sensor 'door' (acme-door): pin 17 is already used by sensor"
                        + " 'tank_top' (float)");
    }

    @Test
    void aBuiltInSensorOnAThirdPartyPinIsAConfigErrorNamingBoth() throws Exception {
        BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context);
        board.digitalInput(door(27), "pin", 27, Board.Pull.UP, Duration.ofMillis(5));

        assertThatThrownBy(() -> new EnergyMeterFactory().create(PluginConfig.forSensor("sensor_config.yaml",
                Map.of("id", "house", "type", "energy", "pin", 27)), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sensor_config.yaml: sensor 'house' (energy): pin 27 is already used by sensor"
                        + " 'door' (acme-door)");
    }

    @Test
    void anInputReportsItsLevelAndEdgesWithTheClocksInstant() throws Exception {
        BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context);
        Board.DigitalInput input = board.digitalInput(door(22), "pin", 22, Board.Pull.UP, Duration.ofMillis(5));
        List<String> edges = new ArrayList<>();
        input.onChange((high, at) -> edges.add(high + "@" + at));
        MockDigitalInput mock = context.gpioBoard().io("gpio-22", MockDigitalInput.class);

        assertThat(input.isHigh()).as("pulled up").isTrue();
        clock.advance(Duration.ofSeconds(3));
        mock.mockState(DigitalState.LOW);
        assertThat(input.isHigh()).isFalse();

        assertThat(edges).containsExactly("false@2025-11-26T20:00:03Z");
    }

    @Test
    void closingAnInputFreesItsPin() throws Exception {
        BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context);
        board.digitalInput(door(22), "pin", 22, Board.Pull.UP, Duration.ofMillis(5)).close();

        board.digitalInput(door(22), "pin", 22, Board.Pull.DOWN, Duration.ofMillis(5));
        board.close();
        board = new GpioBoardFactory().open(context);
        board.digitalInput(door(22), "pin", 22, Board.Pull.NONE, Duration.ZERO);
    }

    @Test
    void anI2cAddressUsedByAPressureSensorIsAConfigErrorNamingBoth() throws Exception {
        new PressureSensorFactory().create(PluginConfig.forSensor("sensor_config.yaml", Map.of(
                "id", "p1", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 10)), context);
        BoardFactory.AutoCloseableBoard board = new GpioBoardFactory().open(context);
        PluginConfig rain = PluginConfig.forSensor("sensor_config.yaml", Map.of("id", "rain", "type", "acme-rain"));

        assertThatThrownBy(() -> board.i2cDevice(rain, 1, 0x48))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sensor_config.yaml: sensor 'rain' (acme-rain): I2C address 0x48 on bus 1 is already"
                        + " used by sensor 'p1' (pressure)");
        Board.I2cDevice other = board.i2cDevice(rain, 1, 0x40);
        other.close();
    }
}
