package io.sensorreader.updater;

import io.sensorreader.api.agent.UpdateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacks a {@code .tar.gz} with the system's {@code tar}, after listing it: an entry with an
 * absolute name or a {@code ..} component is refused before anything is written, and a link that
 * points outside the folder is refused after unpacking (GNU tar already defers links, so none can
 * be followed while unpacking).
 */
final class Tarball {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Tarball() {
    }

    /** Unpacks {@code archive} into the empty folder {@code into}. */
    static void unpack(Path archive, Path into) throws UpdateException {
        Command.Outcome list = run(List.of("tar", "-tzf", archive.toString()), into);
        if (!list.ok()) {
            throw new UpdateException("unpack", archive.getFileName() + " is not a readable tar.gz: tar -tzf " + list.describe(TIMEOUT));
        }
        for (String entry : list.output().lines().toList()) {
            if (escapes(entry)) {
                throw new UpdateException("unpack", archive.getFileName() + " has entry '" + entry
                        + "' that would land outside its folder; refused");
            }
        }
        Command.Outcome extract = run(List.of("tar", "-xzf", archive.toString(), "--no-same-owner", "-C", into.toString()), into);
        if (!extract.ok()) {
            throw new UpdateException("unpack", "tar -xzf " + archive.getFileName() + " " + extract.describe(TIMEOUT));
        }
        Path top;
        try {
            top = into.toRealPath();
            try (Stream<Path> files = Files.walk(top)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isSymbolicLink(file)) {
                        Path target = file.getParent().resolve(Files.readSymbolicLink(file)).normalize();
                        if (!target.startsWith(top)) {
                            throw new UpdateException("unpack", archive.getFileName() + " has link '" + top.relativize(file)
                                    + "' pointing outside its folder; refused");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UpdateException("unpack", "cannot inspect what " + archive.getFileName() + " unpacked: " + e.getMessage(), e);
        }
    }

    /** The whole listing is needed for the check, so the output is not cut to a tail. */
    private static Command.Outcome run(List<String> command, Path directory) throws UpdateException {
        try {
            return FullOutput.run(command, directory, TIMEOUT);
        } catch (IOException e) {
            throw new UpdateException("unpack", "cannot run tar: " + e.getMessage() + "; install tar", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException("unpack", "tar was interrupted", e);
        }
    }

    static boolean escapes(String entry) {
        if (entry.startsWith("/")) {
            return true;
        }
        for (String part : entry.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Like {@link Command}, but keeping every line (a listing) in a temp file. */
    private static final class FullOutput {
        static Command.Outcome run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
            Path out = Files.createTempFile("sensor-reader-tar", ".txt");
            try {
                Process process = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                boolean finished = process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.destroyForcibly();
                }
                String text = Files.readString(out).strip();
                return new Command.Outcome(finished ? process.exitValue() : -1, text, !finished);
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
