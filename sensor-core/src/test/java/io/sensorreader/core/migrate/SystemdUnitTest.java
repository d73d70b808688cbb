package io.sensorreader.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {

    @TempDir
    Path dir;

    private SystemdUnit unit(String text) throws Exception {
        Path file = dir.resolve("agent.service");
        Files.writeString(file, text);
        return SystemdUnit.read(file);
    }

    @Test
    void readsEnvironmentLinesWithSystemdsQuoting() throws Exception {
        SystemdUnit unit = unit("""
                [Unit]
                Environment=NOT_SERVICE=1
                [Service]
                # a comment
                ; another
                Environment=A=1 B=2
                Environment="C=two words" 'D=single "kept"'
                Environment="E=quote \\" and tab\\t" F=100%%
                Environment=G=continued \\
                  H=next
                """);
        assertThat(unit.environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"),
                Map.entry("C", "two words"), Map.entry("D", "single \"kept\""), Map.entry("E", "quote \" and tab\t"),
                Map.entry("F", "100%"), Map.entry("G", "continued"), Map.entry("H", "next"));
    }

    @Test
    void anEmptyEnvironmentLineResetsTheList() throws Exception {
        assertThat(unit("[Service]\nEnvironment=A=1\nEnvironment=\nEnvironment=B=2\n").environment())
                .containsExactly(Map.entry("B", "2"));
    }

    @Test
    void readsEnvironmentFilesWorkingDirectoryAndExecStart() throws Exception {
        SystemdUnit unit = unit("[Service]\nEnvironmentFile=-/etc/default/agent\nWorkingDirectory=/home/pi/agent\n"
                + "ExecStart=/usr/bin/python3 /home/pi/agent/main.py\n");
        assertThat(unit.environmentFiles()).containsExactly("-/etc/default/agent");
        assertThat(unit.workingDirectory()).contains("/home/pi/agent");
        assertThat(unit.execStart()).containsExactly("/usr/bin/python3 /home/pi/agent/main.py");
        assertThat(unit.names(Path.of("/home/pi/agent"))).isTrue();
        assertThat(unit.names(Path.of("/home/pi"))).isTrue();
        assertThat(unit.names(Path.of("/home/pi/agent2"))).isFalse();
    }

    @Test
    void findsTheFolderInExecStartAlone() throws Exception {
        SystemdUnit unit = unit("[Service]\nExecStart=/home/pi/agent/venv/bin/python -m agent\n");
        assertThat(unit.names(Path.of("/home/pi/agent"))).isTrue();
        assertThat(unit.names(Path.of("/opt/agent"))).isFalse();
    }

    @Test
    void refusesAnUnterminatedQuoteAndAWordWithoutEquals() throws Exception {
        assertThatThrownBy(() -> unit("[Service]\n\nEnvironment=\"A=open\n")).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("agent.service") + ": line 3: an Environment= value opens a \" quote that is"
                        + " never closed; expected a closing \"");
        assertThatThrownBy(() -> unit("[Service]\nEnvironment=JUSTAWORD\n")).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("agent.service") + ": line 2: Environment= word 'JUSTAWORD' has no '=';"
                        + " expected NAME=VALUE");
    }

    @Test
    void wordsSplitAtWhiteSpaceOutsideQuotes() {
        assertThat(SystemdUnit.words("a 'b c'  \"d\\\\e\"", Path.of("x"), 1)).isEqualTo(List.of("a", "b c", "d\\e"));
    }
}
