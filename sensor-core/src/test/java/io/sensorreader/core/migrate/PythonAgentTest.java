package io.sensorreader.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonAgentTest {

    @TempDir
    Path dir;

    @Test
    void environmentFileBeatsEnvironmentLinesWhichBeatTheDotEnvAndTheCommandsEnvironmentBeatsAll() throws Exception {
        Path agent = Files.createDirectories(dir.resolve("agent"));
        Files.writeString(agent.resolve(".env"), "SENSOR_READER_A=dotenv\nSENSOR_READER_B=dotenv\nSENSOR_READER_C=dotenv\n"
                + "SENSOR_READER_D=dotenv\nOTHER=x\n");
        Path defaults = dir.resolve("agent.conf");
        Files.writeString(defaults, "SENSOR_READER_C=file\nSENSOR_READER_D=file\n");
        Path unit = dir.resolve("agent.service");
        Files.writeString(unit, "[Service]\nEnvironment=SENSOR_READER_B=unit SENSOR_READER_C=unit SENSOR_READER_D=unit\n"
                + "EnvironmentFile=" + defaults + "\nEnvironmentFile=-/nowhere/optional\n");

        PythonAgent found = PythonAgent.find(agent, Optional.of(unit), dir, Map.of("SENSOR_READER_D", "env",
                "SENSOR_READER_ENV_FILE", "/etc/ours", "SENSOR_READER_STABLE_ROOT", "/opt/sensor-reader",
                "SENSOR_READER_JAVA_OPTS", "-Xmx48m", "PATH", "/bin"));

        assertThat(found.settings()).containsOnly(Map.entry("A", "dotenv"), Map.entry("B", "unit"), Map.entry("C", "file"),
                Map.entry("D", "env"));
        assertThat(found.origins().get("C")).isEqualTo(defaults + " (EnvironmentFile= of agent.service)");
        assertThat(found.sources()).containsExactly(agent.resolve(".env").toString(), unit + " (Environment=)",
                defaults + " (EnvironmentFile=)", "the environment of migrate");
    }

    @Test
    void findsTheOneUnitThatRunsSomethingInTheFolder() throws Exception {
        Path agent = Files.createDirectories(dir.resolve("agent"));
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(units.resolve("other.service"), "[Service]\nExecStart=/usr/bin/other\n");
        Files.writeString(units.resolve("sensor-reader.service"), "[Service]\nWorkingDirectory=" + agent + "\n");
        Files.writeString(units.resolve("py.service"), "[Service]\nExecStart=/usr/bin/python3 " + agent + "/main.py\n"
                + "Environment=SENSOR_READER_DEVICE_ID=pump-3\n");

        PythonAgent found = PythonAgent.find(agent, Optional.empty(), units, Map.of());

        assertThat(found.unit()).map(SystemdUnit::name).contains("py.service");
        assertThat(found.settings()).containsExactly(Map.entry("DEVICE_ID", "pump-3"));

        Files.writeString(units.resolve("py2.service"), "[Service]\nWorkingDirectory=" + agent + "\n");
        assertThatThrownBy(() -> PythonAgent.find(agent, Optional.empty(), units, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(units + ": 2 units run something in " + agent + " (py.service, py2.service); name the Python"
                        + " agent's with --unit FILE");
    }

    @Test
    void refusesAFromThatIsNotAFolderAndAMissingEnvironmentFile() throws Exception {
        assertThatThrownBy(() -> PythonAgent.find(dir.resolve("nope"), Optional.empty(), dir, Map.of()))
                .hasMessage("--from " + dir.resolve("nope") + ": not a folder; expected the Python agent's folder"
                        + " (where its sensor_config.yaml and data.lmdb are)");
        Path unit = dir.resolve("a.service");
        Files.writeString(unit, "[Service]\nEnvironmentFile=/nowhere/agent.env\n");
        assertThatThrownBy(() -> PythonAgent.find(dir, Optional.of(unit), dir, Map.of()))
                .hasMessage(unit + ": EnvironmentFile=/nowhere/agent.env does not exist; expected the file the Python"
                        + " agent's service read its settings from");
    }
}
