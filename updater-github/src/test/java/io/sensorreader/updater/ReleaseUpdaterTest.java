package io.sensorreader.updater;

import io.sensorreader.api.ManualClock;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseUpdaterTest {

    private static final String ASSET = "sensor-reader-1.1.0.tar.gz";
    private static KeyPair keys;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final List<String> progress = new ArrayList<>();
    private FakeGitHub github;
    private GitHubApi api;
    private GitHubApp app;
    private Path root;

    @BeforeAll
    static void makeKeys() {
        keys = TestKeys.generate();
    }

    @BeforeEach
    void layout() throws Exception {
        github = new FakeGitHub((RSAPublicKey) keys.getPublic(), "12345", "acme", "tank", clock);
        api = new GitHubApi(github.uri(), Duration.ofSeconds(5));
        app = new GitHubApp("12345", (RSAPrivateKey) keys.getPrivate(), "acme", "tank", api, clock);
        root = Files.createDirectories(dir.resolve("opt/sensor-reader"));
        ReleaseLayout.version(root, "v1.0.0");
        Files.createSymbolicLink(root.resolve("current"), Path.of("versions/v1.0.0"));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private ReleaseUpdater updater() {
        return new ReleaseUpdater(api, "acme", "tank", Optional.empty(), app, root.resolve("current"), "1.0.0",
                Duration.ofMinutes(5), 3, clock);
    }

    private void publish(String tag, byte[] archive, byte[] sums) {
        github.addRelease(tag, Map.of(ASSET, archive, ASSET + ".sha256", sums, "notes.txt", new byte[] {1}));
    }

    private void publishGood() throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, "1.1.0");
        publish("v1.1.0", archive, ReleaseLayout.sha256File(archive, ASSET));
    }

    @Test
    void appliesGoodReleaseAndSwitchesCurrent() throws Exception {
        publishGood();
        ReleaseLayout.version(root, "v0.9.0");
        ReleaseUpdater updater = updater();

        UpdateCheck check = updater.check();
        UpdateResult result = updater.apply(progress::add);

        assertThat(check).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", true));
        assertThat(result).isEqualTo(new UpdateResult(true, "v1.0.0", "v1.1.0", true));
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("versions/v1.1.0"));
        assertThat(root.resolve("current/bin/sensor-reader")).isExecutable();
        assertThat(root.resolve("versions").toFile().list()).containsExactlyInAnyOrder("v1.0.0", "v1.1.0");
        assertThat(Files.readString(root.resolve("update-state"))).isEqualTo("pending=v1.1.0\nprevious=v1.0.0\ndeadline="
                + clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond() + "\nmax_starts=3\n");
        assertThat(github.requests).contains(
                "GET /repos/acme/tank/releases/assets/v1.1.0--" + ASSET,
                "GET /repos/acme/tank/releases/assets/v1.1.0--" + ASSET + ".sha256");
        assertThat(progress).containsExactly(
                "looking for the newest release of acme/tank",
                "downloading " + ASSET + " of v1.1.0",
                "unpacking " + ASSET,
                "switched current to v1.1.0; it must report healthy by " + clock.instant().plus(Duration.ofMinutes(5)),
                "removed old versions [v0.9.0]");
    }

    @Test
    void refusesArchiveWhoseChecksumDiffers() throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, "1.1.0");
        publish("v1.1.0", archive, ReleaseLayout.sha256File("something else".getBytes(StandardCharsets.UTF_8), ASSET));
        ReleaseUpdater updater = updater();

        assertThatThrownBy(() -> updater.apply(progress::add))
                .isInstanceOf(UpdateException.class)
                .hasMessageStartingWith("checksum: " + ASSET + " has SHA-256 ")
                .hasMessageEndingWith("; the download is damaged or not the release's, refused");
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
        assertThat(root.resolve("versions").toFile().list()).containsExactly("v1.0.0");
        assertThat(root.resolve("update-state")).doesNotExist();
    }

    @Test
    void versionThatNeverReportsHealthyIsRolledBackAndNotRetried() throws Exception {
        publishGood();
        updater().apply(progress::add);
        ReleaseUpdater onNew = updater();
        clock.advance(Duration.ofMinutes(6));

        UpdateCheck overdue = onNew.check();
        UpdateResult back = onNew.apply(progress::add);

        assertThat(overdue).isEqualTo(new UpdateCheck("v1.1.0", "v1.0.0", true));
        assertThat(back).isEqualTo(new UpdateResult(true, "v1.1.0", "v1.0.0", true));
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
        assertThat(Files.readString(root.resolve("bad-versions"))).isEqualTo("v1.1.0\n");

        ReleaseUpdater onOld = updater();
        assertThat(onOld.check()).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", false));
        assertThat(onOld.apply(progress::add)).isEqualTo(new UpdateResult(false, "v1.0.0", "v1.0.0", false));
        assertThat(progress).contains("v1.1.0 was rolled back before and is not tried again; staying at v1.0.0");
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
    }

    @Test
    void healthyVersionIsConfirmedAndKept() throws Exception {
        publishGood();
        updater().apply(progress::add);
        ReleaseUpdater onNew = updater();

        onNew.onHealthy();
        clock.advance(Duration.ofMinutes(6));

        assertThat(Files.readString(root.resolve("update-state"))).isEqualTo("previous=v1.0.0\n");
        assertThat(onNew.check()).isEqualTo(new UpdateCheck("v1.1.0", "v1.1.0", false));
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.1.0");
    }

    @Test
    void tagPatternPicksTheNewestMatchingRelease() throws Exception {
        publishGood();
        github.addRelease("v2.0.0", Map.of("sensor-reader-2.0.0.tar.gz", new byte[] {1}, "sensor-reader-2.0.0.tar.gz.sha256", new byte[] {1}));
        ReleaseUpdater updater = new ReleaseUpdater(api, "acme", "tank", Optional.of(Pattern.compile("v1\\..*")), app,
                root.resolve("current"), "1.0.0", Duration.ofMinutes(5), 3, clock);

        assertThat(updater.check()).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", true));
    }

    @Test
    void releaseWithoutChecksumIsNeverInstalled() throws Exception {
        github.addRelease("v1.1.0", Map.of(ASSET, ReleaseLayout.archive(dir, "1.1.0")));

        assertThatThrownBy(() -> updater().apply(progress::add))
                .hasMessage("check: release v1.1.0 has " + ASSET + " but no " + ASSET
                        + ".sha256 beside it; an unchecked download is never installed");
    }

    @Test
    void refusesToApplyOutsideTheReleaseLayout() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        ReleaseUpdater updater = new ReleaseUpdater(api, "acme", "tank", Optional.empty(), app, plain, "1.0.0",
                Duration.ofMinutes(5), 3, clock);

        assertThatThrownBy(() -> updater.apply(progress::add))
                .hasMessage("install: " + plain + " is not inside a release layout (<root>/versions/<tag> with a current link); "
                        + "install the release layout as docs/updates.md shows, or use SENSOR_READER_UPDATE_STRATEGY=git");
    }

    @Test
    void archiveEntriesThatLeaveTheirFolderAreRecognised() {
        assertThat(Tarball.escapes("sensor-reader-1.1.0/bin/sensor-reader")).isFalse();
        assertThat(Tarball.escapes("../etc/passwd")).isTrue();
        assertThat(Tarball.escapes("a/../../b")).isTrue();
        assertThat(Tarball.escapes("/etc/cron.d/x")).isTrue();
    }
}
