package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stable launcher (bin/sensor-reader in the stable root, with libexec/release-guard.sh), run
 * with sh on fake versions; each {@code start} is one start by systemd (Restart=always). The
 * numbers are those of issue 13.
 */
class StableLauncherTest {

    @TempDir
    Path dir;
    StableRoot root;

    @BeforeEach
    void layout() throws Exception {
        root = new StableRoot(dir).packaged("1.0.0", "0");
    }

    /** 1: the release applied by hand (no refresher) reports healthy; it is confirmed, never rolled back. */
    @Test
    void versionThatReportsHealthyIsConfirmedWhateverStartedIt() throws Exception {
        root.release("v1.1.0", "healthy 1").current("v1.1.0").pending("v1.1.0", "1.0.0", 300, 3, null);

        StableRoot.Run first = root.start("run");
        root.setClock(root.clock() + 3600);
        StableRoot.Run later = root.start("run");

        assertThat(first.lines()).containsExactly("ran v1.1.0 run",
                "release-guard: v1.1.0 reported healthy (its sampling cycles ran and a batch was delivered);"
                        + " it is the known-good version now");
        assertThat(first.code()).isEqualTo(1);
        assertThat(later.lines()).containsExactly("ran v1.1.0 run");
        assertThat(root.state("update-state")).isEqualTo("good=v1.1.0\n");
        assertThat(root.state("bad-versions")).isEmpty();
        assertThat(root.currentTarget()).isEqualTo(Path.of("versions/v1.1.0"));
    }

    /** 2: the time to become healthy counts from the version's own first start, not from the apply. */
    @Test
    void healthTimeCountsFromTheFirstStartOfTheNewVersion() throws Exception {
        root.release("v1.1.0", "1").current("v1.1.0").pending("v1.1.0", "1.0.0", 10, 5, null);
        // The apply was long ago (the old JVM took its time to exit): no matter.
        root.setClock(root.clock() + 14);

        assertThat(root.start("run").output()).isEqualTo("ran v1.1.0 run");
        root.setClock(root.clock() + 2);
        assertThat(root.start("run").output()).isEqualTo("ran v1.1.0 run");
        root.setClock(root.clock() + 5);
        assertThat(root.start("run").output()).isEqualTo("ran v1.1.0 run");
        root.setClock(root.clock() + 3);
        StableRoot.Run late = root.start("run");

        assertThat(late.lines()).containsExactly(
                "release-guard: v1.1.0: it did not report healthy within 10 s of its first start (it never got as far as"
                        + " its sampling cycles); switched back to 1.0.0 and marked v1.1.0 bad"
                        + " (sensor-reader update-check --forget-bad v1.1.0 allows it again)",
                "ran 1.0.0 run");
        assertThat(late.code()).isZero();
        assertThat(root.currentTarget()).isEqualTo(root.stable.resolve("versions/1.0.0").toRealPath());
        assertThat(root.state("bad-versions")).isEqualTo("v1.1.0\t" + root.clock()
                + "\t\tit did not report healthy within 10 s of its first start (it never got as far as its sampling cycles)\n");
    }

    /** 3: a release whose own launcher is broken is rolled back; its own guard is never used. */
    @Test
    void brokenLauncherOfTheNewVersionIsRolledBackAfterItsStarts() throws Exception {
        root.release("v1.1.0", "1").current("v1.1.0").pending("v1.1.0", "1.0.0", 300, 3, null);
        Path ownGuard = root.releases.resolve("versions/v1.1.0/libexec/release-guard.sh");
        Files.createDirectories(ownGuard.getParent());
        Files.writeString(ownGuard, "echo 'the version's own guard was sourced'\n");

        for (int start = 1; start <= 3; start++) {
            StableRoot.Run run = root.start("run");
            assertThat(run.output()).isEqualTo("ran v1.1.0 run");
            assertThat(run.code()).isEqualTo(1);
            root.setClock(root.clock() + 5);
        }
        StableRoot.Run fourth = root.start("run");

        assertThat(fourth.lines()).containsExactly(
                "release-guard: v1.1.0: it was started 3 times without reporting healthy; switched back to 1.0.0 and"
                        + " marked v1.1.0 bad (sensor-reader update-check --forget-bad v1.1.0 allows it again)",
                "ran 1.0.0 run");
        assertThat(root.start("run").output()).isEqualTo("ran 1.0.0 run");
        assertThat(root.state("update-state")).isEqualTo("good=1.0.0\n");
        assertThat(root.state("trial")).isEmpty();
    }

    /** 4: exit 78 would stop systemd for good; the launcher starts the known-good version at once. */
    @Test
    void configurationErrorOfTheNewVersionStartsTheKnownGoodOneAtOnce() throws Exception {
        root.release("v1.0.5", "hang").release("v1.1.0", "78").current("v1.1.0").pending("v1.1.0", "v1.0.5", 300, 3, null);
        root.behaviour(root.releases.resolve("versions/v1.0.5"), "0");

        StableRoot.Run run = root.start("run");

        assertThat(run.lines()).containsExactly("ran v1.1.0 run",
                "release-guard: v1.1.0: it exited 78 (a configuration error) on start 1; switched back to v1.0.5 and"
                        + " marked v1.1.0 bad (sensor-reader update-check --forget-bad v1.1.0 allows it again)",
                "ran v1.0.5 run");
        assertThat(run.code()).isZero();
        assertThat(root.currentTarget()).isEqualTo(Path.of("versions/v1.0.5"));
    }

    /** A version that runs but never delivers, while the known-good one did: stopped at its deadline. */
    @Test
    void watchdogStopsAVersionThatDeliversNothingByItsDeadline() throws Exception {
        root.release("v1.1.0", "undelivered transient").current("v1.1.0").pending("v1.1.0", "1.0.0", 300, 3, null);
        root.env.put("FAKE_WAIT_FOR", root.releases.resolve("health").toString());

        StableRoot.Run run = root.start("run");

        assertThat(run.lines()).containsExactly("ran v1.1.0 run",
                "release-guard: v1.1.0: it delivered nothing within 300 s of its first start (transient), while the"
                        + " known-good version could; switched back to 1.0.0 and marked v1.1.0 bad"
                        + " (sensor-reader update-check --forget-bad v1.1.0 allows it again)",
                "ran 1.0.0 run");
        assertThat(root.state("bad-versions")).startsWith("v1.1.0\t").contains("\ttransient\tit delivered nothing");
    }

    /** 8: a collector outage the known-good version saw too is not the new version's fault. */
    @Test
    void versionThatCannotDeliverForTheKnownGoodVersionsReasonIsNotBlamed() throws Exception {
        root.release("v1.1.0", "late-healthy transient 500").current("v1.1.0")
                .pending("v1.1.0", "1.0.0", 300, 3, "transient");
        root.env.put("FAKE_WAIT_FOR", root.releases.resolve("health").toString());

        StableRoot.Run run = root.start("run");

        assertThat(run.lines()).containsExactly("ran v1.1.0 run",
                "release-guard: v1.1.0 reported healthy (its sampling cycles ran and a batch was delivered);"
                        + " it is the known-good version now");
        assertThat(root.state("bad-versions")).isEmpty();
        assertThat(root.state("update-state")).isEqualTo("good=v1.1.0\n");
    }

    /** 8, across restarts: out of time while the known-good version could not deliver either: not rolled back. */
    @Test
    void excusedVersionIsStartedAgainAfterItsTimeWithoutBlame() throws Exception {
        root.release("v1.1.0", "1").current("v1.1.0").pending("v1.1.0", "1.0.0", 300, 5, "transient");
        assertThat(root.start("run").output()).isEqualTo("ran v1.1.0 run");
        Files.writeString(root.releases.resolve("health"), "tag=v1.1.0\nstarted=" + root.clock()
                + "\nhealthy_at=\ndelivering=no\ncause=transient\n");
        root.setClock(root.clock() + 400);

        StableRoot.Run again = root.start("run");

        assertThat(again.lines()).containsExactly("release-guard: v1.1.0 cannot deliver (transient), as the known-good"
                + " version could not either: not blamed; it stays on trial until it delivers", "ran v1.1.0 run");
        assertThat(root.state("bad-versions")).isEmpty();
    }

    /** An update applied by the running version (exit 3) starts the new current version. */
    @Test
    void restartRequestStartsTheVersionCurrentNowPointsAt() throws Exception {
        root.packaged("1.0.0", "switch v1.1.0").release("v1.1.0", "healthy 0");

        StableRoot.Run run = root.start("run");

        assertThat(run.lines()).containsExactly("ran 1.0.0 run", "sensor-reader: restart requested; starting again",
                "ran v1.1.0 run", "release-guard: v1.1.0 reported healthy (its sampling cycles ran and a batch was"
                        + " delivered); it is the known-good version now");
        assertThat(root.state("trial")).isEmpty();
    }

    /** A package newer than the self-updated version wins: the operator installed it. */
    @Test
    void newerPackageWinsOverAnOlderSelfUpdatedVersion() throws Exception {
        root.release("v0.9.0", "0").current("v0.9.0");

        assertThat(root.start("status").output()).isEqualTo("ran 1.0.0 status");
        root.packaged("0.8.0", "0");
        assertThat(root.start("status").output()).isEqualTo("ran v0.9.0 status");
    }

    /** Commands other than run start the current version without counting a start. */
    @Test
    void otherCommandsRunTheCurrentVersionWithoutATrialStart() throws Exception {
        root.release("v1.1.0", "0").current("v1.1.0").pending("v1.1.0", "1.0.0", 300, 3, null);

        assertThat(root.start("status", "--json").output()).isEqualTo("ran v1.1.0 status --json");
        assertThat(root.start("run", "--once", "--dry-run").output()).isEqualTo("ran v1.1.0 run --once --dry-run");
        assertThat(root.state("trial")).isEmpty();
    }

    /** Issue 14: what the service user can write is never run as root; root drops to the user first. */
    @Test
    void rootDropsToTheServiceUserBeforeRunningAnythingItCanWrite() throws Exception {
        root.release("v1.1.0", "0").current("v1.1.0");
        root.env.remove("FAKE_DROPPED");
        root.env.put("FAKE_USER_EXISTS", "1");

        StableRoot.Run run = root.start("status");

        assertThat(run.output()).isEqualTo("ran v1.1.0 status");
        assertThat(Files.readString(root.marks)).isEqualTo("v1.1.0 998\n");
        assertThat(Files.readString(root.runuserLog)).isEqualTo(
                "runuser -u sensor-reader -- " + root.stable.resolve("bin/sensor-reader") + " status\n");
    }

    /** A stable root someone else could change (as old installs had it) is refused as root. */
    @Test
    void rootRefusesAStableRootOthersCanWrite() throws Exception {
        Path guard = root.stable.resolve("libexec/release-guard.sh");
        java.nio.file.Files.setPosixFilePermissions(guard, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        root.env.remove("FAKE_DROPPED");
        root.env.put("FAKE_USER_EXISTS", "1");

        StableRoot.Run run = root.start("status");

        assertThat(run.code()).isEqualTo(77);
        assertThat(run.output()).isEqualTo("sensor-reader: " + guard + " is not root's alone (owner root, mode 664); refusing"
                + " to run it as root: sudo chown root:root " + guard + " && sudo chmod go-w " + guard);
        assertThat(root.marks).doesNotExist();
    }

    @Test
    void rootWithoutAServiceUserRunsOnlyThePackagedVersion() throws Exception {
        Path planted = root.releases.resolve("versions/v9.9.9/bin/sensor-reader");
        root.release("v9.9.9", "0").current("v9.9.9");
        StableRoot.executable(planted, "#!/bin/sh\necho planted > " + dir.resolve("planted-ran") + "\n");
        root.env.remove("FAKE_DROPPED");
        root.env.put("FAKE_USER_EXISTS", "0");

        StableRoot.Run run = root.start("run");
        StableRoot.Run status = root.start("status");

        assertThat(run.output()).isEqualTo("ran 1.0.0 run");
        assertThat(status.output()).isEqualTo("ran 1.0.0 status");
        assertThat(dir.resolve("planted-ran")).doesNotExist();
        assertThat(root.runuserLog).doesNotExist();
    }
}
