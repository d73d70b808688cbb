package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.SensorReadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorSetTest {

    @TempDir
    Path dir;

    private Plugins plugins;

    @BeforeEach
    void discover() {
        plugins = Plugins.discover(getClass().getClassLoader(), dir.resolve("plugins"));
    }

    @AfterEach
    void close() {
        plugins.close();
    }

    private List<SensorSet.Loaded> build(String yaml) throws IOException {
        if (yaml != null) {
            Files.writeString(dir.resolve("sensor_config.yaml"), yaml);
        }
        Settings settings = Settings.load(Map.of(), Map.of(), dir, "pi-7");
        return SensorSet.build(settings, plugins, new AgentContext(settings, Clock.systemUTC(), "test",
                java.util.Optional::empty));
    }

    private List<String> problems(String yaml) {
        assertThatThrownBy(() -> build(yaml)).isInstanceOf(ConfigProblems.class);
        try {
            build(yaml);
            return List.of();
        } catch (ConfigProblems e) {
            return e.problems();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(List<SensorSet.Loaded> sensors) {
        return sensors.stream().map(s -> s.id()).toList();
    }

    @Test
    void withoutASensorFileRunsEveryFactorysDefaultSensors() throws IOException {
        List<SensorSet.Loaded> sensors = build(null);
        assertThat(ids(sensors)).containsExactly("pi-7_test_float");
        assertThat(sensors.get(0).description()).isEqualTo("Simulated float");
    }

    @Test
    void aSensorFileOfCommentsOnlyConfiguresNoSensorRatherThanFailing() throws IOException {
        List<SensorSet.Loaded> sensors = build("""
                # The example as installed by the package: nothing configured yet.
                # sensors:
                #   - {id: tank_top, type: float, pin: 17}
                """);
        assertThat(sensors).isEmpty();
    }

    @Test
    void readsThePythonLayout() throws IOException {
        List<SensorSet.Loaded> sensors = build("""
                sensors:
                  io:
                    test-float_sensors:
                      - id: tank_top
                        description: Water tank top level
                        pin: 17
                        inverted: false
                      - {id: tank_bottom, description: bottom, pin: 27, value: 0}
                """);
        assertThat(ids(sensors)).containsExactly("tank_top", "tank_bottom");
    }

    @Test
    void readsTheGeneralLayout() throws IOException, SensorReadException {
        List<SensorSet.Loaded> sensors = build("""
                sensors:
                  - id: t1
                    type: test-float
                    value: 2.5
                """);
        assertThat(sensors.get(0).sensor().read().value()).isEqualTo(2.5);
    }

    @Test
    void mapsThePythonListsToTypes() {
        assertThat(problems("""
                sensors:
                  io:
                    float_sensors: [{id: f1, pin: 17}]
                    energy_sensors: [{id: e1, pin: 27}]
                  analog:
                    pressure_sensors: [{id: p1, channel: 0}]
                """)).containsExactly(
                "sensor_config.yaml: sensor 'f1': unknown type 'float'; installed types: test-float" + fromPlugins(),
                "sensor_config.yaml: sensor 'e1': unknown type 'energy'; installed types: test-float" + fromPlugins(),
                "sensor_config.yaml: sensor 'p1': unknown type 'pressure'; installed types: test-float" + fromPlugins());
    }

    @Test
    void reportsEveryMistakeOfTheFileAtOnce() {
        assertThat(problems("""
                sensors:
                  - {id: a, type: test-float}
                  - {id: a, type: test-float}
                  - {type: test-float}
                  - {id: p1, type: presure}
                  - {id: b, type: test-float, pin: forty}
                  - {id: c}
                """)).containsExactly(
                "sensor_config.yaml: sensor 'a' is defined twice; expected each id once",
                "sensor_config.yaml: sensor number 3 has no id; expected a unique id such as tank_float_1",
                "sensor_config.yaml: sensor 'p1': unknown type 'presure'; installed types: test-float" + fromPlugins(),
                "sensor_config.yaml: sensor 'b' (test-float): pin is 'forty'; expected a GPIO number 2-27",
                "sensor_config.yaml: sensor 'c' has no type; installed types: test-float" + fromPlugins());
    }

    @Test
    void runsWithoutSensorsWhoseHardwareCannotBeOpenedOrWhoseFactoryFails() throws IOException {
        List<SensorSet.Loaded> sensors = build("""
                sensors:
                  - {id: busy, type: test-float, fail_open: true}
                  - {id: buggy, type: test-float, explode: true}
                  - {id: fine, type: test-float}
                """);
        assertThat(ids(sensors)).containsExactly("fine");
    }

    @Test
    void rejectsAFileThatIsNotYaml() {
        assertThat(problems("sensors: [unclosed\n")).singleElement().asString()
                .startsWith("sensor_config.yaml: not valid YAML at line ")
                .endsWith("; expected a 'sensors:' list or the Python agent's 'sensors: io: float_sensors:' layout");
    }

    @Test
    void rejectsAFileWithoutSensors() {
        assertThat(problems("other: 1\n")).containsExactly("sensor_config.yaml: has no 'sensors:' entry; expected a"
                + " 'sensors:' list or the Python agent's 'sensors: io: float_sensors:' layout");
    }

    @Test
    void anExplicitSensorFileMustExist() {
        Settings settings = Settings.load(Map.of("SENSOR_READER_SENSOR_CONFIG", "mine.yaml"), Map.of(), dir, "pi-7");
        assertThatThrownBy(() -> SensorSet.build(settings, plugins,
                new AgentContext(settings, Clock.systemUTC(), "test", java.util.Optional::empty)))
                .hasMessage("environment: SENSOR_READER_SENSOR_CONFIG is 'mine.yaml'; expected an existing sensor file"
                        + " (nothing at " + dir.toAbsolutePath().normalize().resolve("mine.yaml") + ")");
    }

    private String fromPlugins() {
        return " (plugin jars are read from " + dir.resolve("plugins") + ")";
    }

    @Test
    void refusesEveryMisspeltKeyNamingItWithTheNearestKnownOne() {
        assertThat(problems("""
                sensors:
                  - {id: t1, type: test-float, pin: 17, invertd: true}
                  - {id: t2, type: test-float, pin: 27, valeu: 2, colour: red}
                """)).containsExactly(
                "sensor_config.yaml: sensor 't1' (test-float): unknown key 'invertd'; did you mean 'inverted'?"
                        + " (keys of this type: description, explode, fail_open, id, inverted, pin, read_timeout, type,"
                        + " value)",
                "sensor_config.yaml: sensor 't2' (test-float): unknown key 'valeu'; did you mean 'value'?"
                        + " (keys of this type: description, explode, fail_open, id, inverted, pin, read_timeout, type,"
                        + " value)",
                "sensor_config.yaml: sensor 't2' (test-float): unknown key 'colour' (keys of this type: description,"
                        + " explode, fail_open, id, inverted, pin, read_timeout, type, value)");
    }

    @Test
    void takesReadTimeoutPerSensorWithinTheInterval() throws IOException {
        List<SensorSet.Loaded> sensors = build("""
                sensors:
                  - {id: t1, type: test-float, read_timeout: 1500ms}
                  - {id: t2, type: test-float}
                """);
        assertThat(sensors).extracting(SensorSet.Loaded::readTimeout).containsExactly(Duration.ofMillis(1500), null);
        assertThat(problems("""
                sensors:
                  - {id: t1, type: test-float, read_timeout: 6s}
                """)).containsExactly("sensor_config.yaml: sensor 't1' (test-float): read_timeout is '6s'; expected a"
                + " duration above 0 and at most the interval (5 s), e.g. 2s or 500ms");
    }
}
