package io.sensorreader.updater;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program (git, tar, the build) with a deadline, keeping the last lines of its
 * merged output for the error message. Secrets go only in {@code environment}, never in the
 * arguments, which {@code ps} shows to every user.
 */
final class Command {

    private static final int TAIL_LINES = 15;

    /** What a program did. */
    record Outcome(int exitCode, String output, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** For messages: "exited 1: <last lines>", "timed out after PT30M". */
        String describe(Duration timeout) {
            if (timedOut) {
                return "did not finish within " + timeout.toMinutes() + " min and was stopped"
                        + (output.isEmpty() ? "" : "; last output:\n" + output);
            }
            return "exited " + exitCode + (output.isEmpty() ? "" : ": " + output);
        }
    }

    private Command() {
    }

    static Outcome run(List<String> arguments, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(arguments)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(2_000);
        String output;
        synchronized (tail) {
            output = String.join("\n", tail).strip();
        }
        return new Outcome(finished ? process.exitValue() : -1, output, !finished);
    }
}
