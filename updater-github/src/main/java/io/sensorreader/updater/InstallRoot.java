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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The release root: where the self-update writes (the service user's; under the package
 * {@code /var/lib/sensor-reader/releases}). It holds {@code versions/<tag>/} (unpacked
 * distributions), a {@code current} link, and plain-text state shared with the stable launcher's
 * {@code release-guard.sh}, which reads and writes it with {@code sed} and {@code printf}:
 * <ul>
 *   <li>{@code update-state}: {@code pending=} (the version on trial), {@code good=} (the last
 *       known-good version), {@code health_seconds=}, {@code max_starts=}, {@code good_cause=} (why
 *       the known-good version could not deliver when the update was applied, if it could not);
 *       written here at an apply, by the guard when it confirms or rolls back;</li>
 *   <li>{@code trial}: the guard's count of the pending version's starts and its first start;</li>
 *   <li>{@code health}: the running agent's own report ({@code tag=}, {@code started=},
 *       {@code healthy_at=}, {@code delivering=}, {@code cause=}, {@code at=});</li>
 *   <li>{@code bad-versions}: {@code <tag> TAB <epoch> TAB <cause> TAB <reason>} lines, appended by the
 *       guard at a rollback (an old line holding only a tag still counts);</li>
 *   <li>{@code refused}: {@code <sha256> TAB <tag> TAB <reason>} lines: assets refused once are not
 *       downloaded again.</li>
 * </ul>
 */
final class InstallRoot {

    static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,100}");

    /** What {@code update-state} holds; absent values are null (numbers 0). */
    record State(String pending, String good, int healthSeconds, int maxStarts, String goodCause) {
        static final State EMPTY = new State(null, null, 0, 0, null);
    }

    /** The running agent's report. */
    record Health(String tag, long started, String healthyAt, String delivering, String cause) {
        boolean healthy() {
            return healthyAt != null;
        }

        boolean undelivering() {
            return "no".equals(delivering);
        }
    }

    /** A version rolled back, when and why; {@code cause} is the delivery failure, if that was it. */
    record BadMark(String tag, Instant at, String cause, String reason) {
    }

    private final Path root;

    InstallRoot(Path root) {
        this.root = root;
    }

    /**
     * The release root: {@code SENSOR_READER_RELEASE_ROOT} (the stable launcher sets it), else the
     * layout around the running distribution when it is {@code <root>/versions/<tag>}.
     */
    static Optional<InstallRoot> locate(String releaseRoot, Path installDir) {
        if (releaseRoot != null && !releaseRoot.isBlank()) {
            return Optional.of(new InstallRoot(Path.of(releaseRoot)));
        }
        return around(installDir);
    }

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

    /** Points {@code current} at {@code versions/<tag>} atomically: a new link renamed over the old. */
    void switchTo(String tag) throws IOException {
        Path temporary = root.resolve("current.tmp");
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, Path.of("versions", tag));
        Files.move(temporary, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    State state() throws IOException {
        Map<String, String> values = read("update-state");
        return new State(values.get("pending"), values.get("good"), number(values.get("health_seconds")),
                number(values.get("max_starts")), values.get("good_cause"));
    }

    void writeState(State state) throws IOException {
        StringBuilder text = new StringBuilder();
        line(text, "pending", state.pending());
        line(text, "good", state.good());
        line(text, "health_seconds", state.healthSeconds() > 0 ? String.valueOf(state.healthSeconds()) : null);
        line(text, "max_starts", state.maxStarts() > 0 ? String.valueOf(state.maxStarts()) : null);
        line(text, "good_cause", state.goodCause());
        writeAtomically("update-state", text.toString());
        Files.deleteIfExists(root.resolve("trial"));
        Files.deleteIfExists(root.resolve("trial-expired"));
    }

    Optional<Health> health() throws IOException {
        Map<String, String> v = read("health");
        if (v.get("tag") == null) {
            return Optional.empty();
        }
        long started;
        try {
            started = Long.parseLong(v.getOrDefault("started", "0"));
        } catch (NumberFormatException e) {
            started = 0;
        }
        return Optional.of(new Health(v.get("tag"), started, v.get("healthy_at"), v.get("delivering"), v.get("cause")));
    }

    /**
     * Whether {@code tag} is on trial: pending, and not yet reported healthy since its trial began
     * (the guard turns that report into the confirmation at the version's next start or exit).
     */
    boolean onTrial(String tag) throws IOException {
        State state = state();
        if (!tag.equals(state.pending())) {
            return false;
        }
        Optional<Health> health = health();
        long firstStart;
        try {
            firstStart = Long.parseLong(read("trial").getOrDefault("first_start", "0"));
        } catch (NumberFormatException e) {
            firstStart = 0;
        }
        return !(health.isPresent() && health.get().tag().equals(tag) && health.get().healthy()
                && health.get().started() >= firstStart);
    }

    Map<String, BadMark> badVersions() throws IOException {
        Path file = root.resolve("bad-versions");
        Map<String, BadMark> bad = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return bad;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            String tag = f[0].strip();
            Instant at = null;
            if (f.length > 1 && f[1].strip().matches("\\d{1,12}")) {
                at = Instant.ofEpochSecond(Long.parseLong(f[1].strip()));
            }
            String cause = f.length > 2 && !f[2].isBlank() ? f[2].strip() : null;
            String reason = f.length > 3 && !f[3].isBlank() ? f[3].strip() : "it was rolled back (no reason recorded)";
            bad.put(tag, new BadMark(tag, at, cause, reason));
        }
        return bad;
    }

    /** Removes a tag's bad mark; the mark it had, if any. */
    Optional<BadMark> forgetBad(String tag) throws IOException {
        Map<String, BadMark> bad = badVersions();
        BadMark gone = bad.remove(tag);
        if (gone != null) {
            Path file = root.resolve("bad-versions");
            List<String> keep = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.split("\t", 2)[0].strip().equals(tag)) {
                    keep.add(line);
                }
            }
            writeAtomically("bad-versions", keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
        }
        return Optional.ofNullable(gone);
    }

    /** The reason an asset with this SHA-256 was refused before, if it was. */
    Optional<String> refused(String sha256) throws IOException {
        Path file = root.resolve("refused");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 3);
            if (f.length == 3 && f[0].equals(sha256)) {
                return Optional.of(f[2]);
            }
        }
        return Optional.empty();
    }

    void refuse(String sha256, String tag, String reason) throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("refused"), sha256 + "\t" + tag + "\t" + reason.replace('\n', ' ') + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
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
                    if (!name.startsWith(".")) {
                        removed.add(name);
                    }
                }
            }
        }
        removed.sort(null);
        return removed;
    }

    static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(top)) {
            Files.delete(top);
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

    private Map<String, String> read(String name) throws IOException {
        Path file = root.resolve(name);
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String value = line.substring(eq + 1).strip();
                if (!value.isEmpty()) {
                    values.putIfAbsent(line.substring(0, eq).strip(), value);
                }
            }
        }
        return values;
    }

    private static void line(StringBuilder text, String key, String value) {
        if (value != null && !value.isBlank()) {
            text.append(key).append('=').append(value).append('\n');
        }
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void writeAtomically(String name, String text) throws IOException {
        Files.createDirectories(root);
        Path temporary = root.resolve(name + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
