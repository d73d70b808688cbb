package io.sensorreader.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process run of {@code sensor-reader} as {@link Main} wires it: the exit code and what
 * the command printed on picocli's out and err.
 */
record CommandRun(int code, String out, String err) {

    /** The host name every test run gets (the default device id). */
    static final String HOST = "test-host";

    static CommandRun of(Map<String, String> env, Path workingDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Invocation(env, workingDir, HOST));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
