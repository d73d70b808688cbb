package io.sensorreader.updater;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's guard, run with sh in an install root with two fake versions. */
class ReleaseGuardTest {

    private static final Path GUARD = Path.of("../cli/src/dist/libexec/release-guard.sh").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @BeforeEach
    void twoVersions() throws Exception {
        ReleaseLayout.version(root, "v1.0.0");
        ReleaseLayout.version(root, "v1.1.0");
        Files.createSymbolicLink(root.resolve("current"), Path.of("versions/v1.1.0"));
    }

    private void pending(Instant deadline) throws Exception {
        new InstallRoot(root).writeState(new InstallRoot.State("v1.1.0", "v1.0.0", deadline, 2));
    }

    private String start(String exitCode, String launcher) throws Exception {
        Command.Outcome outcome = Command.run(List.of(root.resolve(launcher).toString(), "run"), root,
                Map.of("GUARD", GUARD.toString(), "FAKE_EXIT", exitCode), Duration.ofSeconds(10));
        return outcome.output();
    }

    @Test
    void pendingVersionThatKeepsFailingIsSwitchedBackAfterItsStarts() throws Exception {
        pending(Instant.now().plusSeconds(600));

        assertThat(start("1", "current/bin/sensor-reader")).isEqualTo("ran v1.1.0 run");
        assertThat(start("1", "current/bin/sensor-reader")).isEqualTo("ran v1.1.0 run");
        assertThat(start("1", "current/bin/sensor-reader")).isEqualTo(
                "release-guard: v1.1.0: it was started 2 times without reporting healthy; switched back to v1.0.0 and marked v1.1.0 bad\n"
                        + "ran v1.0.0 run");

        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("versions/v1.0.0"));
        assertThat(Files.readString(root.resolve("bad-versions"))).isEqualTo("v1.1.0\n");
        assertThat(new InstallRoot(root).state()).isEqualTo(InstallRoot.State.EMPTY);
        assertThat(start("1", "current/bin/sensor-reader")).isEqualTo("ran v1.0.0 run");
    }

    @Test
    void pendingVersionPastItsDeadlineIsSwitchedBackAtItsNextStart() throws Exception {
        pending(Instant.now().minusSeconds(1));

        assertThat(start("1", "current/bin/sensor-reader")).isEqualTo(
                "release-guard: v1.1.0: it did not report healthy by its deadline; switched back to v1.0.0 and marked v1.1.0 bad\n"
                        + "ran v1.0.0 run");
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("versions/v1.0.0"));
    }

    @Test
    void confirmedVersionIsLeftAlone() throws Exception {
        new InstallRoot(root).writeState(new InstallRoot.State(null, "v1.0.0", null, 0));

        for (int i = 0; i < 4; i++) {
            assertThat(start("1", "current/bin/sensor-reader")).isEqualTo("ran v1.1.0 run");
        }
        assertThat(root.resolve("bad-versions")).doesNotExist();
    }

    @Test
    void restartRequestAfterSwitchRunsTheNewCurrentVersion() throws Exception {
        pending(Instant.now().plusSeconds(600));

        String output = start("3", "versions/v1.0.0/bin/sensor-reader");

        // v1.0.0 exits 3 after the switch; its launcher hands over to v1.1.0, which exits 3 and stays.
        assertThat(output).isEqualTo("ran v1.0.0 run\nran v1.1.0 run");
        assertThat(Files.readString(root.resolve("pending-starts")).strip()).isEqualTo("1");
    }
}
