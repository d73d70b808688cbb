package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run}'s arguments read without picocli mean what picocli reads them to mean, or go to picocli. */
class RunArgumentsTest {

    /** What picocli makes of the same arguments. */
    static RunArguments picocli(String... args) {
        RunCommand run = new RunCommand(new Invocation(Map.of(), Path.of("/"), "h"));
        new CommandLine(run).parseArgs(args);
        return new RunArguments(run.shared.overrides(), run.once, run.dryRun);
    }

    @Test
    void plainFormsMeanWhatPicocliReads() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"--once", "--dry-run"},
                new String[] {"--dry-run", "--interval", "7", "--data-dir=data/", "--once"},
                new String[] {"--log-level", "DEBUG", "--sensor-config", "./s.yaml", "--plugins-dir", "/opt/p//x/"},
                new String[] {"--interval=0", "--data-dir", "/var/lib/sensor-reader"});
        for (String[] line : lines) {
            String[] withRun = new String[line.length + 1];
            withRun[0] = "run";
            System.arraycopy(line, 0, withRun, 1, line.length);

            assertThat(RunArguments.parse(withRun)).as(String.join(" ", line)).contains(picocli(line));
        }
    }

    @Test
    void everythingElseGoesToPicocli() {
        for (String[] line : List.of(new String[] {"run", "--help"}, new String[] {"run", "-h"}, new String[] {"run", "--version"},
                new String[] {"run", "--onec"}, new String[] {"run", "--interval"}, new String[] {"run", "--interval", "-5"},
                new String[] {"run", "--once", "--once"}, new String[] {"run", "--interval", "1", "--interval=2"},
                new String[] {"run", "extra"}, new String[] {"register"}, new String[] {}, new String[] {"--help"},
                new String[] {"run", "--data-dir=a\u0000b"})) {
            assertThat(RunArguments.parse(line)).as(String.join(" ", line)).isEmpty();
        }
    }
}
