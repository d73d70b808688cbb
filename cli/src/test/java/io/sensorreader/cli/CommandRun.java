package io.sensorreader.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One in-process run of {@code sensor-reader} as {@link Main} wires it (a plain {@code run} without picocli): the exit code and what
 * the command printed on picocli's out and err.
 */
record CommandRun(int code, String out, String err) {

    /** The host name every test run gets (the default device id). */
    static final String HOST = "test-host";

    static CommandRun of(Map<String, String> env, Path workingDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new Invocation(env, workingDir, HOST), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
