package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static com.pi4j.io.gpio.digital.DigitalState.HIGH;
import static com.pi4j.io.gpio.digital.DigitalState.LOW;
import static org.assertj.core.api.Assertions.assertThat;

class FloatSwitchTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));
    private final FakeSensorContext context = FakeSensorContext.withBoard(new Bench().board(clock), clock);

    @AfterEach
    void closeBoard() throws Exception {
        context.close();
    }

    private Sensor floatSwitch(Object... extra) throws Exception {
        Map<String, Object> section = new LinkedHashMap<>(Map.of("id", "tank_top", "type", "float",
                "description", "Water tank top level", "pin", 17));
        for (int i = 0; i < extra.length; i += 2) {
            section.put((String) extra[i], extra[i + 1]);
        }
        return new FloatSwitchFactory().create(PluginConfig.forSensor("sensor_config.yaml", section), context);
    }

    private MockDigitalInput pin17() {
        return context.gpioBoard().io("gpio-17", MockDigitalInput.class);
    }

    private void set(DigitalState state) {
        pin17().mockState(state);
    }

    @Test
    void normallyOpenFloatReadsOneWhenItPullsTheLineLow() throws Exception {
        Sensor sensor = floatSwitch();
        assertThat(sensor.type()).isEqualTo("FloatSensor");
        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 0));

        set(LOW);
        clock.advanceMillis(1_000);
        assertThat(sensor.read()).isEqualTo(Measurement.of(1.0).with("flips", 1));

        set(HIGH);
        clock.advanceMillis(1_000);
        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 1));
    }

    @Test
    void invertedFloatReadsOneWhenTheNormallyClosedSwitchOpens() throws Exception {
        Sensor sensor = floatSwitch("inverted", true);
        assertThat(sensor.read().value()).isEqualTo(1.0);

        set(LOW);
        clock.advanceMillis(1_000);
        assertThat(sensor.read().value()).isEqualTo(0.0);
    }

    @Test
    void acceptsTheInvertedFlagAsThePythonAgentWroteIt() throws Exception {
        Sensor sensor = floatSwitch("inverted", "True");
        assertThat(sensor.read().value()).isEqualTo(1.0);
    }

    @Test
    void ignoresContactBounceShorterThanTheDebounce() throws Exception {
        Sensor sensor = floatSwitch();
        set(LOW);
        clock.advanceMillis(3);
        set(HIGH);
        clock.advanceMillis(3);
        set(LOW);
        clock.advanceMillis(3);
        set(HIGH);
        clock.advanceMillis(1_000);

        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 0));
    }

    @Test
    void reportsANewLevelOnlyOnceItHasHeldForTheDebounce() throws Exception {
        Sensor sensor = floatSwitch("debounce", "50ms");
        set(LOW);
        clock.advanceMillis(20);
        assertThat(sensor.read().value()).isEqualTo(0.0);

        clock.advanceMillis(30);
        assertThat(sensor.read()).isEqualTo(Measurement.of(1.0).with("flips", 1));
    }

    @Test
    void readsABareDebounceNumberAsMilliseconds() throws Exception {
        Sensor sensor = floatSwitch("debounce", 50);
        set(LOW);
        clock.advanceMillis(40);
        set(HIGH);
        clock.advanceMillis(1_000);

        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 0));
    }

    @Test
    void countsFlipsBetweenTwoSamplesAndReportsTheLatestLevel() throws Exception {
        Sensor sensor = floatSwitch();
        sensor.read();

        set(LOW);
        clock.advanceMillis(1_000);
        set(HIGH);
        clock.advanceMillis(1_000);
        set(LOW);
        clock.advanceMillis(1_000);
        set(HIGH);
        clock.advanceMillis(1_000);

        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 4));
        clock.advanceMillis(5_000);
        assertThat(sensor.read()).isEqualTo(Measurement.of(0.0).with("flips", 0));
    }

    @Test
    void closingReleasesThePinForAnotherSensor() throws Exception {
        Sensor first = floatSwitch();
        first.close();

        Sensor second = floatSwitch();
        set(LOW);
        clock.advanceMillis(1_000);
        assertThat(second.read().value()).isEqualTo(1.0);
    }
}
