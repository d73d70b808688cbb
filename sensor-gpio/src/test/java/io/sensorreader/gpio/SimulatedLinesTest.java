package io.sensorreader.gpio;

import io.sensorreader.api.Board.Pull;
import io.sensorreader.api.ManualClock;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.gpio.Line.Level;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plain-Java lines of simulated mode behave as the sensors met them on Pi4J's mock platform. */
class SimulatedLinesTest {

    private final Bench bench = new Bench();
    private final SimulatedLines lines = new SimulatedLines(bench);

    private Line.Driven input(int pin, Pull pull) {
        return (Line.Driven) lines.input("gpio-" + pin, "s" + pin, pin, Duration.ofMillis(5), pull);
    }

    @Test
    void anInputStartsAtTheLevelItsPullGives() {
        assertThat(input(17, Pull.UP).level()).isEqualTo(Level.HIGH);
        assertThat(input(18, Pull.DOWN).level()).isEqualTo(Level.LOW);
        assertThat(input(19, Pull.NONE).level()).isEqualTo(Level.LOW);
    }

    @Test
    void listenersSeeEachChangeBeforeDriveReturnsAndNothingForTheSameLevel() {
        Line.Driven line = input(17, Pull.UP);
        List<String> edges = new ArrayList<>();
        line.onChange(level -> edges.add("first " + level + " now " + line.level()));
        line.onChange(level -> edges.add("second " + level));

        line.drive(Level.HIGH);
        line.drive(Level.LOW);
        line.drive(Level.LOW);
        line.drive(Level.HIGH);

        assertThat(edges).containsExactly("first LOW now LOW", "second LOW", "first HIGH now HIGH", "second HIGH");
    }

    @Test
    void closingALineStopsItsListenersAndLetsThePinBeOpenedAgain() {
        Line.Driven line = input(17, Pull.UP);
        List<Level> edges = new ArrayList<>();
        line.onChange(edges::add);
        assertThatThrownBy(() -> input(17, Pull.UP)).hasMessage("'gpio-17' is already open");

        line.close();
        line.drive(Level.LOW);

        assertThat(edges).isEmpty();
        assertThatThrownBy(() -> lines.io("gpio-17", Line.class)).hasMessage("no open simulated I/O 'gpio-17'");
        assertThat(input(17, Pull.NONE).level()).isEqualTo(Level.LOW);
    }

    @Test
    void closedLinesOpenNothingAndShowNothing() {
        input(17, Pull.UP);
        lines.close();

        assertThatThrownBy(() -> lines.io("gpio-17", Line.class)).hasMessage("no open simulated I/O 'gpio-17'");
        assertThatThrownBy(() -> input(18, Pull.UP)).hasMessage("the simulated board is closed");
    }

    @Test
    void anAds1115AnswersAConversionBusyThenIdleThenWithTheCode() {
        bench.sensorVolts(0, 2.5, 0.5); // 1.25 V at AIN0
        I2cHandle chip = lines.i2c("ads1115-1-48", 1, 0x48);
        byte[] word = new byte[2];

        assertThat(chip.writeRegister(Ads1115.CONFIG_REGISTER, new byte[] {(byte) 0xC3, (byte) 0x83})).isEqualTo(2);
        assertThat(lines.io("ads1115-1-48", SimulatedAds1115.class).lastConfig()).isEqualTo(0xC383);
        chip.readRegister(Ads1115.CONFIG_REGISTER, word);
        assertThat(word).containsExactly(0x43, 0x83);
        chip.readRegister(Ads1115.CONFIG_REGISTER, word);
        assertThat(word).containsExactly(0xC3, 0x83);
        assertThat(chip.readRegister(Ads1115.CONVERSION_REGISTER, word)).isEqualTo(2);
        assertThat((short) ((word[0] & 0xFF) << 8 | word[1] & 0xFF)).isEqualTo((short) 10000); // 1.25 / 4.096 * 32768
        assertThat(chip.readRegister(Ads1115.CONVERSION_REGISTER, word)).as("nothing left").isEqualTo(-1);
    }

    @Test
    void aChipThatDoesNotAnswerFailsTheConversionAsANackWould() {
        bench.chipAnswers = false;
        I2cHandle chip = lines.i2c("ads1115-1-48", 1, 0x48);

        assertThatThrownBy(() -> chip.writeRegister(Ads1115.CONFIG_REGISTER, new byte[] {(byte) 0xC3, (byte) 0x83}))
                .isInstanceOf(IllegalStateException.class).hasMessage("Remote I/O error");
        assertThat(lines.io("ads1115-1-48", SimulatedAds1115.class).lastConfig()).isEqualTo(-1);
    }

    @Test
    void otherRegistersAndRawTransfersAreFifosAsOnPi4jsMock() {
        I2cHandle device = lines.i2c("i2c-1-40-rain", 1, 0x40);
        byte[] three = new byte[3];

        assertThat(device.read(three)).as("empty").isEqualTo(-1);
        device.write(new byte[] {1, 2});
        assertThat(device.read(three)).isEqualTo(2);
        assertThat(three).containsExactly(1, 2, 0);
        device.writeRegister(5, new byte[] {9});
        device.writeRegister(5, new byte[] {8, 7, 6});
        assertThat(device.readRegister(5, three)).isEqualTo(3);
        assertThat(three).containsExactly(9, 8, 7);
        assertThat(device.readRegister(6, three)).isEqualTo(-1);
        assertThatThrownBy(() -> device.writeRegister(512, new byte[] {1}))
                .isInstanceOf(IndexOutOfBoundsException.class);

        device.close();
        assertThatThrownBy(() -> lines.io("i2c-1-40-rain", I2cHandle.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anHourOfSimulatedReadingsIsTheSameOnSimulatedLinesAsOnPi4jsMockPlatform() throws Exception {
        assertThat(SimulatedRun.readings(false, 720)).isEqualTo(SimulatedRun.readings(true, 720));
    }

    @Test
    void theSensorsReadASimulatedBoardAsTheyReadTheMockPlatform() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-11-26T20:00:00Z"));
        try (FakeSensorContext context = FakeSensorContext.withBoard(
                Board.simulated(PinTable.of("raspberry_pi_4").orElseThrow(), null, bench, clock), clock)) {
            Sensor level = new FloatSwitchFactory().create(PluginConfig.forSensor("sensor_config.yaml",
                    Map.of("id", "tank", "type", "float", "pin", 17)), context);
            Sensor pressure = new PressureSensorFactory().create(PluginConfig.forSensor("sensor_config.yaml",
                    Map.of("id", "p1", "type", "pressure", "channel", 0, "min_pressure", 0, "max_pressure", 10)),
                    context);
            bench.sensorVolts(0, 2.5, PressureSensorFactory.DEFAULT_DIVIDER);

            assertThat(level.read().value()).as("pulled up: the float is down").isEqualTo(0.0);
            context.gpioBoard().io("gpio-17", Line.Driven.class).drive(Level.LOW);
            clock.advance(Duration.ofSeconds(1));
            assertThat(level.read().value()).isEqualTo(1.0);
            assertThat(pressure.read().value()).isEqualTo(5.0);
            assertThat(context.gpioBoard().io("ads1115-1-48", SimulatedAds1115.class).lastConfig()).isEqualTo(0xC383);
        }
    }
}
