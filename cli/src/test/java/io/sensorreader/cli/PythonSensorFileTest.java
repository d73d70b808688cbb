package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Python agent's sensor file, as it is, on the simulated platform (real sensor-gpio
 * factories on Pi4J's mock platform): a dry run prints a reading for each configured id.
 */
class PythonSensorFileTest {

    @TempDir
    Path dir;

    @Test
    void aPythonLayoutFileRunsInADryRunWithAReadingPerSensor() throws Exception {
        Files.writeString(dir.resolve("sensor_config.yaml"), """
                sensors:
                  io:
                    float_sensors:
                      - id: tank_top
                        description: Water tank top level
                        pin: 17
                        inverted: false
                      - id: tank_bottom
                        description: Water tank bottom level
                        pin: 27
                        inverted: true
                  analog:
                    pressure_sensors:
                      - id: main_line
                        description: Main line pressure
                        channel: 0
                        min_pressure: 0
                        max_pressure: 10
                        unit: bar
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Invocation(Map.of("SENSOR_READER_LIVE_SENSORS_ENABLED", "false"), dir, "pi-9"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("run", "--once", "--dry-run");

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode readings = new ObjectMapper().readTree(lines.get(0));
        List<String> ids = new ArrayList<>();
        readings.forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("tank_top", "tank_bottom", "main_line");
        for (JsonNode r : readings) {
            assertThat(r.get("timestamp").isIntegralNumber()).isTrue();
            switch (r.get("id").asText()) {
                case "tank_top" -> {
                    assertThat(r.get("description").asText()).isEqualTo("FloatSensor: Water tank top level");
                    assertThat(r.get("value").asDouble()).isIn(0.0, 1.0);
                }
                case "tank_bottom" -> assertThat(r.get("value").asDouble()).isIn(0.0, 1.0);
                default -> {
                    assertThat(r.get("description").asText()).isEqualTo("PressureSensor: Main line pressure");
                    assertThat(r.get("unit").asText()).isEqualTo("bar");
                    assertThat(r.get("value").asDouble()).isBetween(0.0, 10.0);
                }
            }
        }
        JsonNode status = new ObjectMapper().readTree(lines.get(1));
        assertThat(status.get("metrics").has("cpu_usage_percent")).isTrue();
    }
}
