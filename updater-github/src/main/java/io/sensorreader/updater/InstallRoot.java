package io.sensorreader.updater;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The release layout: {@code versions/<tag>/} (each an unpacked distribution), a {@code current}
 * link to one of them, and the state shared with {@code libexec/release-guard.sh}. The state files
 * are plain text so that the POSIX shell guard reads and writes them with {@code sed} and
 * {@code echo}:
 * <ul>
 *   <li>{@code update-state}: {@code key=value} lines: {@code pending} (the version installed but
 *       not confirmed healthy), {@code previous} (the version to go back to), {@code deadline}
 *       (epoch seconds by which {@code pending} must report healthy), {@code max_starts};</li>
 *   <li>{@code pending-starts}: how often the launcher started {@code pending} (the guard counts);</li>
 *   <li>{@code bad-versions}: versions rolled back, one a line, never installed again.</li>
 * </ul>
 */
final class InstallRoot {

    static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,100}");

    /** What {@code update-state} holds; absent values are null. */
    record State(String pending, String previous, Instant deadline, int maxStarts) {
        static final State EMPTY = new State(null, null, null, 0);
    }

    private final Path root;

    InstallRoot(Path root) {
        this.root = root;
    }

    /**
     * The layout around a running distribution: when {@code installDir} (symlinks resolved) is
     * {@code <root>/versions/<tag>}, that root.
     */
    static Optional<InstallRoot> around(Path installDir) {
        try {
            Path real = installDir.toRealPath();
            Path versions = real.getParent();
            if (versions != null && versions.getFileName() != null && versions.getFileName().toString().equals("versions")
                    && versions.getParent() != null) {
                return Optional.of(new InstallRoot(versions.getParent()));
            }
        } catch (IOException e) {
            // not there: no layout
        }
        return Optional.empty();
    }

    Path path() {
        return root;
    }

    Path versions() {
        return root.resolve("versions");
    }

    Path version(String tag) {
        return versions().resolve(tag);
    }

    /** The tag {@code current} points at, if the link exists. */
    Optional<String> current() {
        try {
            return Optional.of(root.resolve("current").toRealPath().getFileName().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Points {@code current} at {@code versions/<tag>} atomically: a new link renamed over the old. */
    void switchTo(String tag) throws IOException {
        Path temporary = root.resolve("current.tmp");
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, Path.of("versions", tag));
        Files.move(temporary, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    State state() throws IOException {
        Path file = root.resolve("update-state");
        if (!Files.exists(file)) {
            return State.EMPTY;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String deadline = values.get("deadline");
        String maxStarts = values.get("max_starts");
        return new State(blankToNull(values.get("pending")), blankToNull(values.get("previous")),
                deadline == null || deadline.isBlank() ? null : Instant.ofEpochSecond(Long.parseLong(deadline)),
                maxStarts == null || maxStarts.isBlank() ? 0 : Integer.parseInt(maxStarts));
    }

    void writeState(State state) throws IOException {
        StringBuilder text = new StringBuilder();
        if (state.pending() != null) {
            text.append("pending=").append(state.pending()).append('\n');
        }
        if (state.previous() != null) {
            text.append("previous=").append(state.previous()).append('\n');
        }
        if (state.deadline() != null) {
            text.append("deadline=").append(state.deadline().getEpochSecond()).append('\n');
        }
        if (state.maxStarts() > 0) {
            text.append("max_starts=").append(state.maxStarts()).append('\n');
        }
        writeAtomically("update-state", text.toString());
        Files.deleteIfExists(root.resolve("pending-starts"));
    }

    Set<String> badVersions() throws IOException {
        Path file = root.resolve("bad-versions");
        if (!Files.exists(file)) {
            return Set.of();
        }
        Set<String> bad = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                bad.add(line.strip());
            }
        }
        return bad;
    }

    void markBad(String tag) throws IOException {
        Set<String> bad = new LinkedHashSet<>(badVersions());
        bad.add(tag);
        writeAtomically("bad-versions", String.join("\n", bad) + "\n");
    }

    /** Deletes every version but those kept, and leftovers of interrupted downloads. */
    List<String> prune(Set<String> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(versions())) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!keep.contains(name)) {
                    deleteTree(entry);
                    removed.add(name);
                }
            }
        }
        return removed;
    }

    static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void writeAtomically(String name, String text) throws IOException {
        Path temporary = root.resolve(name + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
