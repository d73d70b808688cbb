package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command tree as a user meets it: {@code --help} everywhere, exit codes listed. */
class MainTest {

    private static final List<String> COMMANDS = List.of("run", "register", "retry-now", "spool", "update-check", "status");

    @TempDir
    Path work;

    @Test
    void helpListsEveryCommand() {
        CommandRun run = CommandRun.of(Map.of(), work, "--help");

        assertThat(run.code()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(COMMANDS).allSatisfy(command -> assertThat(run.out()).containsPattern("(?m)^\\s+" + command + "\\s"));
        assertThat(run.out()).contains("Exit codes:");
    }

    @Test
    void everyCommandsHelpExits0AndListsExitCodes() {
        for (String command : COMMANDS) {
            CommandRun run = CommandRun.of(Map.of(), work, command, "--help");

            assertThat(run.code()).as(command).isZero();
            assertThat(run.err()).as(command).isEmpty();
            assertThat(run.out()).as(command).startsWith("Usage: sensor-reader " + command).contains("Exit codes:");
        }
    }

    @Test
    void spoolHelpListsItsSubcommands() {
        CommandRun run = CommandRun.of(Map.of(), work, "spool", "--help");

        assertThat(List.of("stats", "list", "dead", "requeue"))
                .allSatisfy(sub -> assertThat(run.out()).containsPattern("(?m)^\\s+" + sub + "\\s"));
    }

    @Test
    void unknownCommandIsAUsageError() {
        CommandRun run = CommandRun.of(Map.of(), work, "frobnicate");

        assertThat(run.code()).isEqualTo(64);
        assertThat(run.errLines()).first().isEqualTo("Unmatched argument at index 0: 'frobnicate'");
    }
}
