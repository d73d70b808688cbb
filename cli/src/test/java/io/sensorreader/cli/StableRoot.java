package io.sensorreader.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stable install root and a release root in a temp folder, for running the real launcher
 * ({@code src/dist/bin/sensor-reader} and {@code src/dist/libexec/release-guard.sh}) with sh:
 * <pre>
 *   stable/bin/sensor-reader, stable/libexec/release-guard.sh   the real files
 *   stable/versions/1.0.0/        the packaged version        stable/current -> versions/1.0.0
 *   releases/versions/&lt;tag&gt;/     self-updated versions        releases/current -> versions/&lt;tag&gt;
 * </pre>
 * Each version is a fake distribution whose {@code bin/sensor-reader} prints {@code ran <tag> <args>}
 * and then does what its {@code behaviour} file says. {@code fakebin/} comes first on PATH: a
 * {@code date} that tells the time of {@code clock} (epoch seconds) and a {@code sleep} that moves it
 * on, so no test waits for real time; {@code id} and {@code runuser} stand-ins for the privilege tests.
 */
final class StableRoot {

    /**
     * A fake version. behaviour: a number (exit with it), {@code hang} (until SIGTERM),
     * {@code healthy <code>} (report healthy, exit with code), {@code undelivered <cause>} (report
     * that nothing is delivered, then hang), {@code late-healthy <cause> <seconds>} (undelivered
     * until the clock moved on that far, then healthy, exit 0), {@code switch <tag>} (point the
     * release root's current at tag as an update would, exit 3).
     */
    static final String VERSION_LAUNCHER = """
            #!/bin/sh
            home=$(cd "$(dirname "$0")/.." && pwd -P)
            tag=$(basename "$home")
            echo "ran $tag $*"
            [ -n "$FAKE_MARK" ] && echo "$tag $(id -u)" >> "$FAKE_MARK"
            set -- $(cat "$home/behaviour" 2>/dev/null || echo 1)
            health() {
                printf 'tag=%s\\nstarted=%s\\nhealthy_at=%s\\ndelivering=%s\\ncause=%s\\n' "$tag" "$started" "$1" "$2" "$3" \\
                    > "$SENSOR_READER_RELEASE_ROOT/health"
            }
            started=$(date +%s)
            hang() {
                trap 'exit 143' TERM
                while :; do /bin/sleep 0.02; done
            }
            case $1 in
                hang) hang ;;
                healthy) health "$(date +%s)" yes ""; exit "$2" ;;
                undelivered) health "" no "$2"; hang ;;
                late-healthy)
                    health "" no "$2"
                    until [ "$(date +%s)" -ge $((started + $3)) ]; do /bin/sleep 0.02; done
                    health "$(date +%s)" yes ""
                    exit 0 ;;
                switch) ln -sfn "versions/$2" "$SENSOR_READER_RELEASE_ROOT/current.new"
                    mv -T "$SENSOR_READER_RELEASE_ROOT/current.new" "$SENSOR_READER_RELEASE_ROOT/current"
                    printf 'pending=%s\\ngood=%s\\nhealth_seconds=300\\nmax_starts=3\\n' "$2" "$tag" \\
                        > "$SENSOR_READER_RELEASE_ROOT/update-state"
                    exit 3 ;;
                *) exit "$1" ;;
            esac
            """;

    private static final String DATE = """
            #!/bin/sh
            if [ "$1" = +%s ] && [ -n "$FAKE_CLOCK" ]; then cat "$FAKE_CLOCK"; else exec /bin/date "$@"; fi
            """;
    private static final String SLEEP = """
            #!/bin/sh
            # With FAKE_WAIT_FOR set, time passes at once: the clock moves on by the seconds asked for
            # (once that file exists). Otherwise the sleep lasts (until the launcher stops it) and
            # the clock stands still.
            [ -n "$FAKE_WAIT_FOR" ] || exec /bin/sleep "$1"
            while [ -n "$FAKE_WAIT_FOR" ] && [ ! -e "$FAKE_WAIT_FOR" ]; do /bin/sleep 0.02; done
            # Coarse time: at least 100 s pass (the watchdog only looks later than it asked).
            now=$(cat "$FAKE_CLOCK")
            step=${1%.*}
            [ "$step" -ge 100 ] || step=100
            echo $((now + step)) > "$FAKE_CLOCK.new" && mv "$FAKE_CLOCK.new" "$FAKE_CLOCK"
            """;
    /** uid 0 until runuser ran; the service user exists when FAKE_USER_EXISTS=1. */
    private static final String ID = """
            #!/bin/sh
            case $1 in
                -u) if [ -n "$FAKE_DROPPED" ]; then echo 998; else echo 0; fi ;;
                sensor-reader) [ "$FAKE_USER_EXISTS" = 1 ] ;;
                *) exec /usr/bin/id "$@" ;;
            esac
            """;
    private static final String RUNUSER = """
            #!/bin/sh
            # runuser -u USER -- COMMAND...: logs, then runs COMMAND "as USER" (FAKE_DROPPED).
            echo "runuser $*" >> "$FAKE_RUNUSER_LOG"
            [ "$1" = -u ] && [ "$3" = -- ] || exit 1
            shift 3
            FAKE_DROPPED=1 exec "$@"
            """;

    final Path stable;
    final Path releases;
    final Path clock;
    final Path fakeBin;
    final Path marks;
    final Path runuserLog;
    final Map<String, String> env = new HashMap<>();

    StableRoot(Path dir) throws IOException {
        stable = dir.resolve("stable");
        releases = dir.resolve("releases");
        fakeBin = dir.resolve("fakebin");
        clock = dir.resolve("clock");
        marks = dir.resolve("marks");
        runuserLog = dir.resolve("runuser.log");
        Files.createDirectories(stable.resolve("bin"));
        Files.createDirectories(stable.resolve("libexec"));
        Files.createDirectories(releases.resolve("versions"));
        Files.createDirectories(fakeBin);
        executable(stable.resolve("bin/sensor-reader"), Files.readString(Path.of("src/dist/bin/sensor-reader")));
        Files.copy(Path.of("src/dist/libexec/release-guard.sh"), stable.resolve("libexec/release-guard.sh"));
        executable(fakeBin.resolve("date"), DATE);
        executable(fakeBin.resolve("sleep"), SLEEP);
        executable(fakeBin.resolve("id"), ID);
        executable(fakeBin.resolve("runuser"), RUNUSER);
        setClock(1_000_000);
        env.put("PATH", fakeBin + ":/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("FAKE_CLOCK", clock.toString());
        env.put("FAKE_MARK", marks.toString());
        env.put("FAKE_RUNUSER_LOG", runuserLog.toString());
        env.put("FAKE_DROPPED", "1");
        env.put("SENSOR_READER_RELEASE_ROOT", releases.toString());
    }

    /** The packaged version, root's: stable/versions/tag and stable/current. */
    StableRoot packaged(String tag, String behaviour) throws IOException {
        version(stable.resolve("versions").resolve(tag), behaviour);
        link(stable.resolve("current"), "versions/" + tag);
        return this;
    }

    /** A self-updated version in the release root. */
    StableRoot release(String tag, String behaviour) throws IOException {
        version(releases.resolve("versions").resolve(tag), behaviour);
        return this;
    }

    StableRoot current(String tag) throws IOException {
        link(releases.resolve("current"), "versions/" + tag);
        return this;
    }

    /** update-state as the updater writes it after an apply. */
    StableRoot pending(String tag, String good, int healthSeconds, int maxStarts, String goodCause) throws IOException {
        Files.writeString(releases.resolve("update-state"), "pending=" + tag + "\ngood=" + good + "\nhealth_seconds="
                + healthSeconds + "\nmax_starts=" + maxStarts + "\n" + (goodCause == null ? "" : "good_cause=" + goodCause + "\n"));
        return this;
    }

    void behaviour(Path version, String behaviour) throws IOException {
        Files.writeString(version.resolve("behaviour"), behaviour + "\n");
    }

    void setClock(long epochSeconds) throws IOException {
        Files.writeString(clock, epochSeconds + "\n");
    }

    long clock() throws IOException {
        return Long.parseLong(Files.readString(clock).strip());
    }

    String state(String file) throws IOException {
        Path path = releases.resolve(file);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    Path currentTarget() throws IOException {
        return Files.readSymbolicLink(releases.resolve("current"));
    }

    /** One start of the stable launcher, as systemd starts it (Restart=always starts it again). */
    Run start(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("sh");
        command.add(stable.resolve("bin/sensor-reader").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(stable.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the launcher did not end within 30 s; it printed:\n" + output);
        }
        return new Run(process.exitValue(), output.strip());
    }

    record Run(int code, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private static void version(Path folder, String behaviour) throws IOException {
        Files.createDirectories(folder.resolve("lib"));
        Files.writeString(folder.resolve("lib/agent.jar"), "not a jar");
        executable(folder.resolve("bin/sensor-reader"), VERSION_LAUNCHER);
        Files.writeString(folder.resolve("behaviour"), behaviour + "\n");
    }

    private static void link(Path link, String target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }

    static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
