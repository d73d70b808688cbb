package io.sensorreader.updater;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Install roots with fake versions, and release archives, for the release tests. */
final class ReleaseLayout {

    /** The fake launcher: sources the real guard, "runs java" (prints), exits with FAKE_EXIT. */
    static final String LAUNCHER = """
            #!/bin/sh
            APP_HOME=$(cd "$(dirname "$0")/.." && pwd -P)
            if [ -n "$GUARD" ]; then . "$GUARD"; fi
            if command -v before_start >/dev/null 2>&1; then before_start "$@"; fi
            echo "ran $(basename "$APP_HOME") $*"
            code=${FAKE_EXIT:-1}
            if command -v after_exit >/dev/null 2>&1; then after_exit "$code" "$@"; fi
            exit "$code"
            """;

    private ReleaseLayout() {
    }

    static void version(Path root, String tag) throws IOException {
        distribution(root.resolve("versions").resolve(tag));
    }

    static void distribution(Path folder) throws IOException {
        Path launcher = folder.resolve("bin/sensor-reader");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, LAUNCHER);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(folder.resolve("lib"));
        Files.writeString(folder.resolve("lib/agent.jar"), "not really a jar: " + folder.getFileName());
    }

    static Path current(Path root) throws IOException {
        return root.resolve("current").toRealPath();
    }

    /** A release archive holding one top folder {@code sensor-reader-<version>/}, as the build makes it. */
    static byte[] archive(Path scratch, String version) throws Exception {
        Path staging = Files.createDirectories(scratch.resolve("staging-" + version));
        distribution(staging.resolve("sensor-reader-" + version));
        Path archive = scratch.resolve("sensor-reader-" + version + ".tar.gz");
        Command.Outcome tar = Command.run(List.of("tar", "-czf", archive.toString(), "-C", staging.toString(),
                "sensor-reader-" + version), scratch, Map.of(), Duration.ofSeconds(20));
        if (!tar.ok()) {
            throw new AssertionError("tar " + tar.describe(Duration.ofSeconds(20)));
        }
        return Files.readAllBytes(archive);
    }

    static byte[] sha256File(byte[] content, String name) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return (hex + "  " + name + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
