package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A third-party sensor asking the agent's board for the pin of a built-in float: exit 78 naming both. */
class BoardConflictTest {

    @TempDir
    Path dir;

    /** A door contact plugin that takes its GPIO through context.board(), as a vendor would write it. */
    private void doorPlugin(Path plugins) throws IOException {
        Path src = Files.createDirectories(dir.resolve("door-src/com/acme"));
        Files.writeString(src.resolve("DoorFactory.java"), """
                package com.acme;

                import io.sensorreader.api.*;
                import java.time.Duration;

                public final class DoorFactory implements SensorFactory {
                    public String name() { return "acme-door"; }

                    public Sensor create(PluginConfig config, SensorContext context) throws SensorReadException {
                        Board.DigitalInput input = context.board().digitalInput(config, "pin", config.requireInt("pin"),
                                Board.Pull.UP, Duration.ofMillis(20));
                        return new Sensor() {
                            public String type() { return "DoorSensor"; }
                            public Measurement read() throws SensorReadException {
                                return Measurement.of(input.isHigh() ? 1.0 : 0.0);
                            }
                            public void close() { input.close(); }
                        };
                    }
                }
                """);
        PluginJar.build(src, "DoorFactory.java", "com.acme.DoorFactory", plugins.resolve("acme-door-1.0.jar"));
    }

    @Test
    void aPluginOnTheFloatsPinIsAConfigErrorNamingBothSensors() throws IOException {
        doorPlugin(dir.resolve("plugins"));
        Files.writeString(dir.resolve("sensor_config.yaml"), """
                sensors:
                  - id: tank_top
                    type: float
                    pin: 17
                  - id: door
                    type: acme-door
                    pin: 17
                """);

        CommandRun run = CommandRun.of(Map.of(), dir, "run", "--once", "--dry-run");

        assertThat(run.code()).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).contains(
                "sensor_config.yaml: sensor 'door' (acme-door): pin 17 is already used by sensor 'tank_top' (float)");
    }

    @Test
    void aPluginOnAFreePinRunsBesideTheFloat() throws IOException {
        doorPlugin(dir.resolve("plugins"));
        Files.writeString(dir.resolve("sensor_config.yaml"), """
                sensors:
                  - id: tank_top
                    type: float
                    pin: 17
                  - id: door
                    type: acme-door
                    pin: 22
                """);

        CommandRun run = CommandRun.of(Map.of(), dir, "run", "--once", "--dry-run");

        assertThat(run.code()).as(run.err()).isZero();
        // simulated and pulled up, the door contact reads high
        assertThat(run.out()).contains("{\"id\": \"door\", \"description\": \"DoorSensor: door\", \"value\": 1.0,");
    }
}
