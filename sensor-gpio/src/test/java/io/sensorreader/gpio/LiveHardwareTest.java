package io.sensorreader.gpio;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.SensorReadException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Live mode on a machine that is not a Pi: the faults an operator meets, each with its fix. */
class LiveHardwareTest {

    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2025-11-26T20:00:00Z"));

    @Test
    void aMissingI2cBusIsReportedWithTheOverlayToEnable() throws Exception {
        assumeFalse(Files.exists(Path.of("/dev/i2c-1")), "this machine has an I2C bus");
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("LIVE_SENSORS_ENABLED", "true"), clock)) {
            PluginConfig section = PluginConfig.forSensor("sensor_config.yaml", Map.of("id", "p1", "type", "pressure",
                    "channel", 0, "min_pressure", 0, "max_pressure", 10));

            assertThatThrownBy(() -> new PressureSensorFactory().create(section, context))
                    .isInstanceOf(SensorReadException.class)
                    .hasMessage("there is no I2C bus /dev/i2c-1; enable it with dtparam=i2c_arm=on in"
                            + " /boot/firmware/config.txt (or raspi-config, Interface Options, I2C) and reboot");
        }
    }

    @Test
    void aGpioThatCannotBeOpenedIsReportedWithTheGroupToJoin() throws Exception {
        assumeFalse(Files.exists(Path.of("/dev/gpiochip0")), "this machine has GPIO");
        try (FakeSensorContext context = new FakeSensorContext("pi-7", Map.of("LIVE_SENSORS_ENABLED", "true"), clock)) {
            PluginConfig section = PluginConfig.forSensor("sensor_config.yaml", Map.of("id", "t", "type", "float",
                    "pin", 17));

            assertThatThrownBy(() -> new FloatSwitchFactory().create(section, context))
                    .isInstanceOf(SensorReadException.class)
                    .hasMessageStartingWith("cannot open GPIO 17 (")
                    .hasMessageEndingWith("); the user running the agent needs the 'gpio' group for /dev/gpiochip*"
                            + " (sudo usermod -aG gpio <user>, then log in again), no other program may hold the line"
                            + " (see gpioinfo), and the bundled libgpiod needs Raspberry Pi OS Bookworm or later");
        }
    }
}
