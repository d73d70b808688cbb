package io.sensorreader.core.migrate;

import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.core.DotEnv;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.TokenKeeper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Takes over a device from the Python agent (see the package documentation). Everything that can
 * be wrong is found before the first change; then, in this order: the settings file, the sensor
 * file, the token, the spool.
 */
public final class Migration {

    /** The Python agent's device id when its settings set none. */
    public static final String PYTHON_DEFAULT_DEVICE_ID = "test-device-001";

    /** Settings naming this install's own folders: the Python agent's values would point into its folder. */
    static final Set<String> LAYOUT = Set.of("DATA_DIR", "SENSOR_CONFIG", "PLUGINS_DIR", "ENV_FILE");

    private static final String SENSOR_FILE = "sensor_config.yaml";
    private static final String UPDATE_NOTE = "# The Python agent's self-update (of its own repository, not this agent's):"
            + " check before enabling.";

    /**
     * What to migrate.
     *
     * @param from the Python agent's folder
     * @param unit its unit file, or empty to look for it in {@code unitsDir}
     * @param unitsDir where units are looked for ({@code /etc/systemd/system})
     * @param settingsFile this agent's settings file, merged into
     * @param dryRun print the plan, change nothing
     */
    public record Request(Path from, Optional<Path> unit, Path unitsDir, Path settingsFile, boolean dryRun) {
    }

    private final Request request;
    private final Map<String, String> environment;
    private final Path workingDir;
    private final String hostName;
    private final String version;
    private final Consumer<String> out;

    private Migration(Request request, Map<String, String> environment, Path workingDir, String hostName, String version,
                      Consumer<String> out) {
        this.request = request;
        this.environment = environment;
        this.workingDir = workingDir;
        this.hostName = hostName;
        this.version = version;
        this.out = out;
    }

    /**
     * Migrates (or, for a dry run, says what it would do), printing each step to {@code out}.
     *
     * @param environment the command's environment (its {@code SENSOR_READER_*} values count as the Python agent's)
     * @param workingDir where relative paths of the settings resolve
     * @param version this agent's version, for the spool
     * @throws io.sensorreader.api.ConfigException when the Python agent's files cannot be parsed or a unit is ambiguous
     * @throws io.sensorreader.core.ConfigProblems when the merged settings would be invalid (nothing is written)
     * @throws IOException when a file cannot be written or the spool is still in use
     */
    public static void run(Request request, Map<String, String> environment, Path workingDir, String hostName,
                           String version, Consumer<String> out) throws IOException {
        new Migration(request, environment, workingDir, hostName, version, out).run();
    }

    private void run() throws IOException {
        boolean dry = request.dryRun();
        Path from = request.from().toAbsolutePath().normalize();
        PythonAgent agent = PythonAgent.find(from, request.unit().map(Path::toAbsolutePath), request.unitsDir(), environment);
        Map<String, String> python = new LinkedHashMap<>(agent.settings());
        out.accept("Python agent in " + from);
        out.accept("  its settings: " + (agent.sources().isEmpty()
                ? "none found (no unit runs it, no .env): its defaults" : String.join(", ", agent.sources())));

        String deviceId = nonBlank(python.remove("DEVICE_ID")).orElse(null);
        String deviceOrigin = deviceId == null ? "the Python agent's default: it set none"
                : "from " + agent.origins().get("DEVICE_ID");
        if (deviceId == null) {
            deviceId = PYTHON_DEFAULT_DEVICE_ID;
        }
        Optional<Secret> token = nonBlank(python.remove("TOKEN")).map(Secret::of);
        String tokenOrigin = agent.origins().get("TOKEN");

        // The settings file, merged and checked before anything is written.
        Path file = request.settingsFile().toAbsolutePath().normalize();
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        List<DotEnv.Entry> entries = DotEnv.parse(before, file.toString());
        SettingsMerge merge = new SettingsMerge(before, entries);
        merge.set(Settings.PREFIX + "DEVICE_ID", deviceId);
        List<String> skipped = new ArrayList<>();
        List<String> commented = new ArrayList<>();
        python.forEach((key, value) -> {
            String full = Settings.PREFIX + key;
            if (LAYOUT.contains(key)) {
                skipped.add(full);
            } else if (key.startsWith("REPO_") || key.startsWith("GITHUB_")) {
                if (merge.comment(full, value, UPDATE_NOTE)) {
                    commented.add(full);
                }
            } else {
                merge.set(full, value);
            }
        });
        String after = merge.text("# From the Python agent in " + from + " (sensor-reader migrate)");
        Map<String, String> merged = new LinkedHashMap<>();
        DotEnv.parse(after, file.toString()).forEach(e -> merged.put(e.key(), e.value()));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.remove(Settings.PREFIX + "ENV_FILE");
        Settings settings = Settings.load(env, merged, file.toString(), Map.of(), workingDir, hostName);

        out.accept("  device id: " + deviceId + " (" + deviceOrigin + ")");
        Path tokenFile = settings.dataDir().resolve(Shipping.TOKEN_FILE);
        if (token.isPresent()) {
            out.accept("  token: " + (dry ? "would keep" : "kept") + " the Python agent's (fingerprint "
                    + token.get().fingerprint() + ", from " + tokenOrigin + ") in " + tokenFile);
            if (merge.has(Settings.PREFIX + "TOKEN")) {
                out.accept("  note: " + file + " sets SENSOR_READER_TOKEN, which wins over the token file");
            }
        } else {
            out.accept("  token: none set; the agent registers as " + deviceId + " when the collector first answers 401");
        }
        merge.changes().forEach((key, change) -> out.accept("  " + file + ": " + key + "="
                + merged.getOrDefault(key, "") + " (" + switch (change) {
                    case SET -> dry ? "would be added" : "added";
                    case REPLACED -> dry ? "would replace its value" : "replaced its value";
                    case UNCHANGED -> "already so";
                } + ")"));
        List<String> kept = entries.stream().map(DotEnv.Entry::key).filter(k -> !merge.changes().containsKey(k))
                .distinct().toList();
        out.accept("  " + file + ": its other settings " + (dry ? "stay" : "kept")
                + (kept.isEmpty() ? " (none)" : ": " + String.join(", ", kept)));
        if (!commented.isEmpty()) {
            out.accept("  " + file + ": " + String.join(", ", commented) + " " + (dry ? "would be" : "")
                    + (dry ? " " : "") + "written commented out (the Python agent's self-update of its own repository)");
        }
        if (!skipped.isEmpty()) {
            out.accept("  not carried over: " + String.join(", ", skipped) + " (they named the Python agent's folders)");
        }

        Path sensorSource = from.resolve(SENSOR_FILE);
        Path sensorTarget = settings.sensorConfig();
        boolean copySensors = Files.isRegularFile(sensorSource)
                && !(Files.exists(sensorTarget) && Files.mismatch(sensorSource, sensorTarget) == -1);
        if (!Files.isRegularFile(sensorSource)) {
            out.accept("  sensor file: none in " + from + "; " + sensorTarget + " stays");
        } else if (!copySensors) {
            out.accept("  sensor file: " + sensorTarget + " is already the same as " + sensorSource);
        } else {
            out.accept("  sensor file: " + sensorSource + (dry ? " would be copied to " : " copied to ") + sensorTarget
                    + (Files.exists(sensorTarget) ? " (the previous one kept as " + backup(sensorTarget).getFileName() + ")" : ""));
        }

        Path spoolSource = from.resolve(SpoolAdoption.SPOOL);
        Path dataDir = settings.dataDir();
        Path spoolTarget = dataDir.resolve(SpoolAdoption.SPOOL);
        boolean adopt = Files.exists(spoolSource) && !spoolSource.equals(spoolTarget);
        Optional<String> holder = adopt ? SpoolAdoption.holder(spoolSource) : Optional.empty();
        String stop = agent.unit().map(u -> "sudo systemctl disable --now " + u.name()).orElse(null);
        if (holder.isPresent()) {
            String message = spoolSource + " is open in process " + holder.get() + ": stop the Python agent first"
                    + (stop == null ? "" : " (" + stop + ")") + ", so that it neither writes to its spool nor delivers it too";
            if (!dry) {
                throw new IOException(message);
            }
            out.accept("  spool: " + message);
        } else if (!Files.exists(spoolSource)) {
            out.accept("  spool: no " + SpoolAdoption.SPOOL + " in " + from + "; nothing left to deliver");
        } else if (!adopt) {
            out.accept("  spool: " + spoolSource + " is already the data folder's spool");
        } else if (dry) {
            out.accept("  spool: " + spoolSource + " (" + SpoolAdoption.size(spoolSource) + " bytes) would be "
                    + (Files.exists(spoolTarget) ? "merged into " : "moved to ") + spoolTarget);
        }

        List<Path> writes = new ArrayList<>();
        writes.add(Files.exists(file) ? file : file.getParent());
        writes.add(file.getParent()); // the new file is written beside it, then moved over it
        if (copySensors) {
            writes.add(Files.exists(sensorTarget) ? sensorTarget : sensorTarget.getParent());
            writes.add(sensorTarget.getParent());
        }
        if (token.isPresent() || adopt) {
            writes.add(Files.exists(dataDir) ? dataDir : dataDir.getParent());
        }
        if (adopt) {
            writes.add(spoolSource.getParent());
        }
        Optional<Path> locked = writes.stream().filter(p -> p != null && !Files.isWritable(p)).findFirst();
        if (locked.isPresent()) {
            String message = locked.get() + " is not writable by " + System.getProperty("user.name")
                    + "; migrate changes the service's files and the Python agent's folder: run it as root"
                    + " (sudo, with the packaged version's launcher: see docs/deployment.md, \"Migrating from the Python agent\")";
            if (!dry) {
                throw new IOException(message);
            }
            out.accept("  note: " + message);
        }

        if (!dry) {
            if (!merge.changes().values().stream().allMatch(c -> c == SettingsMerge.Change.UNCHANGED) || !commented.isEmpty()
                    || !Files.exists(file)) {
                replace(file, after, PosixFilePermissions.fromString("rw-r-----"));
            }
            if (copySensors) {
                if (Files.exists(sensorTarget)) {
                    Files.copy(sensorTarget, backup(sensorTarget), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
                replace(sensorTarget, Files.readString(sensorSource, StandardCharsets.UTF_8),
                        PosixFilePermissions.fromString("rw-r--r--"));
            }
            if (token.isPresent()) {
                TokenKeeper.store(tokenFile, token.get());
                Owners.likeFolder(tokenFile, dataDir);
            }
            if (adopt) {
                adopt(settings, merged, file, spoolSource, spoolTarget);
            }
        }

        out.accept(dry ? "Dry run: nothing was changed. Next: stop the Python agent, then run this without --dry-run."
                : "Next:");
        out.accept(stop != null ? "  " + stop + "    # stop and disable the Python agent"
                : "  stop the Python agent the way it was started (no systemd unit was found that runs it)");
        if (!dry) {
            out.accept("  sudo systemctl restart sensor-reader");
            out.accept("  sensor-reader status");
        }
    }

    private void adopt(Settings settings, Map<String, String> merged, Path file, Path source, Path target)
            throws IOException {
        Path dataDir = settings.dataDir();
        Clock clock = Clock.systemUTC();
        try {
            boolean emptyTarget = false;
            if (Files.exists(target)) {
                try (Shipping ours = Shipping.open(settings, version, clock, Shipping.Need.SPOOL)) {
                    var stats = ours.spool().stats();
                    emptyTarget = stats.batches() == 0 && stats.deadLetters() == 0;
                }
                if (emptyTarget) { // e.g. the service ran once before: nothing of ours to keep
                    SpoolAdoption.deleteTree(target);
                }
            }
            if (!Files.exists(target)) {
                SpoolAdoption.move(source, target);
                Owners.likeFolder(target, dataDir);
                Owners.likeFolder(target.resolveSibling(SpoolAdoption.PLAIN_LOCK), dataDir);
                out.accept("  spool: " + source + " moved to " + target);
            } else {
                Map<String, String> env = new LinkedHashMap<>(environment);
                env.remove(Settings.PREFIX + "ENV_FILE");
                Settings old = Settings.load(env, merged, file.toString(), Map.of("DATA_DIR", source.getParent().toString()),
                        workingDir, hostName);
                long moved;
                try (Shipping from = Shipping.open(old, version, clock, Shipping.Need.SPOOL);
                     Shipping to = Shipping.open(settings, version, clock, Shipping.Need.SPOOL)) {
                    moved = SpoolAdoption.merge(from.spool(), to.spool());
                }
                out.accept("  spool: " + moved + " batches of " + source + " moved into " + target);
            }
            try (Shipping ours = Shipping.open(settings, version, clock, Shipping.Need.SPOOL)) {
                out.accept("  spool: " + ours.spool().stats().batches() + " batches waiting in " + target
                        + "; the agent delivers them, oldest first, beside live readings");
            }
            Owners.likeFolder(target, dataDir);
            Owners.likeFolder(dataDir.resolve("spool-drain.lock"), dataDir);
        } catch (SpoolException e) {
            throw new IOException("the spool could not be adopted: " + e.getMessage(), e);
        }
    }

    private static Path backup(Path file) {
        return file.resolveSibling(file.getFileName() + ".before-migrate");
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * Replaces a file's content atomically, keeping its mode, owner and group (a new file gets
     * {@code mode} and the folder's group).
     */
    private static void replace(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            PosixFileAttributes like = Files.exists(file) ? Files.readAttributes(file, PosixFileAttributes.class) : null;
            view.setPermissions(like != null ? like.permissions() : mode);
            var group = like != null ? like.group() : Files.readAttributes(dir, PosixFileAttributes.class).group();
            var owner = like != null ? like.owner() : view.readAttributes().owner();
            if (!view.readAttributes().group().equals(group)) {
                view.setGroup(group);
            }
            if (!view.readAttributes().owner().equals(owner)) {
                view.setOwner(owner);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new IOException(file + ": cannot be written (" + e.getMessage() + "); run migrate as a user who may"
                    + " change it (sudo)", e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
