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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The release strategy against a fake GitHub on loopback, in a release root laid out as the stable
 * launcher expects it. The numbers are those of issue 13.
 */
class ReleaseUpdaterTest {

    static final String ASSET = "sensor-reader-1.1.0.tar.gz";
    private static KeyPair keys;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final List<String> progress = new ArrayList<>();
    private FakeGitHub github;
    private GitHubApi api;
    private GitHubApp app;
    private Path root;
    private Optional<String> pin = Optional.empty();
    private Optional<ReleaseKey> key = Optional.empty();
    private String deviceId = "device-1";

    @BeforeAll
    static void makeKeys() {
        keys = TestKeys.generate();
    }

    @BeforeEach
    void layout() throws Exception {
        github = new FakeGitHub((RSAPublicKey) keys.getPublic(), "12345", "acme", "tank", clock);
        api = api(Duration.ofMinutes(10), Duration.ofSeconds(60));
        app = new GitHubApp("12345", (RSAPrivateKey) keys.getPrivate(), "acme", "tank", api, clock);
        root = Files.createDirectories(dir.resolve("releases"));
        ReleaseLayout.version(root, "v1.0.0");
        Files.createSymbolicLink(root.resolve("current"), Path.of("versions/v1.0.0"));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    /**
     * While the fake GitHub holds a stalled download, each look at the deadlines moves the clock on by
     * 10 s (a transfer that waits, waits on this clock); otherwise time stands still, so that a slow
     * machine never runs an ordinary request into its deadline.
     */
    private GitHubApi api(Duration total, Duration stall) {
        GitHubApi.Pacing pacing = new GitHubApi.Pacing() {
            @Override
            public void tick() {
                if (github.stalled.getCount() == 0) {
                    clock.advance(Duration.ofSeconds(10));
                }
            }

            @Override
            public Duration poll() {
                return Duration.ofMillis(20);
            }
        };
        return new GitHubApi(github.uri(), new GitHubApi.Deadlines(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                new GitHubApi.Deadlines(total, stall), clock, pacing);
    }

    private ReleaseUpdater updater() {
        return updater("v1.0.0");
    }

    private ReleaseUpdater updater(String running) {
        return new ReleaseUpdater(api, app, new ReleaseUpdater.Options("acme", "tank", Optional.empty(), pin, key,
                root.toString(), root.resolve("versions").resolve(running), "0.0.0", deviceId, Duration.ofMinutes(5), 3,
                200L << 20), clock);
    }

    private byte[] publishGood(String tag) throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, tag);
        github.addRelease(tag, Map.of(ASSET, archive, ASSET + ".sha256", ReleaseLayout.sha256File(archive, ASSET),
                "notes.txt", new byte[] {1}));
        return archive;
    }

    private void publishGood() throws Exception {
        publishGood("v1.1.0");
    }

    private String state() throws Exception {
        return Files.readString(root.resolve("update-state"));
    }

    @Test
    void appliesGoodReleaseAsATrialOfTheStableLauncher() throws Exception {
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
        assertThat(state()).isEqualTo("pending=v1.1.0\ngood=v1.0.0\nhealth_seconds=300\nmax_starts=3\n");
        assertThat(progress).containsExactly(
                "looking for the newest release of acme/tank",
                "downloading " + ASSET + " of v1.1.0",
                "unpacking " + ASSET,
                "switched current to v1.1.0; it is on trial until it reports healthy (within 300 s of its first start);"
                        + " v1.0.0 stays the known-good version",
                "removed old versions [v0.9.0]");
    }

    /** 5: an asset refused once (by its SHA-256) is not downloaded again. */
    @Test
    void refusedAssetIsNotDownloadedAgain() throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, "v1.1.0");
        byte[] sums = ReleaseLayout.sha256File("something else".getBytes(StandardCharsets.UTF_8), ASSET);
        github.addRelease("v1.1.0", Map.of(ASSET, archive, ASSET + ".sha256", sums));
        ReleaseUpdater updater = updater();

        assertThatThrownBy(() -> updater.apply(progress::add))
                .isInstanceOf(UpdateException.class)
                .hasMessageStartingWith("checksum: " + ASSET + " has SHA-256 ")
                .hasMessageEndingWith("; the download is damaged or not the release's, refused;"
                        + " this asset (by its SHA-256) is not downloaded again");
        progress.clear();
        UpdateResult again = updater.apply(progress::add);

        assertThat(again.applied()).isFalse();
        assertThat(github.downloads(ASSET)).isEqualTo(1);
        String expected = new String(sums, StandardCharsets.US_ASCII).split(" ")[0];
        assertThat(progress).last().asString().startsWith(ASSET + " of v1.1.0 (SHA-256 " + expected
                + ") was refused before (checksum: " + ASSET + " has SHA-256 ").endsWith("; not downloading it again");
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
        assertThat(root.resolve("update-state")).doesNotExist();
    }

    /** 6: a download that stops sending is abandoned at its stall deadline, nothing installed. */
    @Test
    void stalledDownloadEndsAtItsStallDeadline() throws Exception {
        publishGood();
        github.stallAsset = ASSET;
        github.stallAfter = 100;

        assertThatThrownBy(() -> updater().apply(progress::add))
                .hasMessage("download: GET /repos/acme/tank/releases/assets/v1.1.0--" + ASSET + " at " + api.base()
                        + " stalled: nothing came for 60 s after 100 bytes; will try again next round");
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
        assertThat(root.resolve("versions").toFile().list()).containsExactly("v1.0.0");
    }

    @Test
    void slowDownloadEndsAtItsTotalDeadline() throws Exception {
        api = api(Duration.ofSeconds(30), Duration.ofMinutes(5));
        publishGood();
        github.stallAsset = ASSET;
        github.stallAfter = 100;

        assertThatThrownBy(() -> updater().apply(progress::add))
                .hasMessage("download: GET /repos/acme/tank/releases/assets/v1.1.0--" + ASSET + " at " + api.base()
                        + " took longer than 30 s (100 bytes came); will try again next round");
    }

    /** 7: the known-good version stays while its successor is unconfirmed; no update on top of a trial. */
    @Test
    void knownGoodVersionIsKeptWhileItsSuccessorIsOnTrial() throws Exception {
        publishGood();
        updater().apply(progress::add);
        publishGood("v1.2.0");
        ReleaseUpdater onTrial = updater("v1.1.0");
        progress.clear();

        UpdateCheck check = onTrial.check();
        UpdateResult result = onTrial.apply(progress::add);

        assertThat(check).isEqualTo(new UpdateCheck("v1.1.0", "v1.1.0", false, List.of(
                "v1.1.0 is on trial (installed, not yet reported healthy); the next update waits until the launcher confirms it")));
        assertThat(result.applied()).isFalse();
        assertThat(root.resolve("versions").toFile().list()).containsExactlyInAnyOrder("v1.0.0", "v1.1.0");

        // v1.1.0 reports healthy (the launcher has not confirmed it yet): v1.2.0 may come, v1.0.0 is kept.
        Files.writeString(root.resolve("health"), "tag=v1.1.0\nstarted=" + clock.instant().getEpochSecond()
                + "\nhealthy_at=" + clock.instant().getEpochSecond() + "\ndelivering=yes\n");
        assertThat(onTrial.apply(progress::add).applied()).isTrue();
        assertThat(root.resolve("versions").toFile().list()).containsExactlyInAnyOrder("v1.0.0", "v1.1.0", "v1.2.0");
        assertThat(state()).startsWith("pending=v1.2.0\ngood=v1.1.0\n");
    }

    /** Reasons are kept and shown; --forget-bad clears the mark. */
    @Test
    void badVersionIsShownWithItsReasonUntilForgotten() throws Exception {
        publishGood();
        Files.writeString(root.resolve("bad-versions"), "v1.1.0\t1700000000\t\tit exited 78 (a configuration error) on start 1\n");
        ReleaseUpdater updater = updater();

        UpdateCheck blocked = updater.check();
        String forgotten = updater.forgetBad("v1.1.0");
        UpdateCheck after = updater.check();

        assertThat(blocked).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", false, List.of(
                "v1.1.0 is marked bad at 2023-11-14T22:13:20Z: it exited 78 (a configuration error) on start 1;"
                        + " sensor-reader update-check --forget-bad v1.1.0 allows it again")));
        assertThat(forgotten).isEqualTo("v1.1.0 may be installed again (it was marked bad at 2023-11-14T22:13:20Z:"
                + " it exited 78 (a configuration error) on start 1)");
        assertThat(after.updateAvailable()).isTrue();
        assertThat(Files.readString(root.resolve("bad-versions"))).isEmpty();
        assertThatThrownBy(() -> updater.forgetBad("v1.1.0"))
                .hasMessage("forget-bad: v1.1.0 is not marked bad in " + root.resolve("bad-versions"));
    }

    /** 8: rolled back for not delivering, but the known-good version cannot deliver either: not blamed. */
    @Test
    void collectorOutageSeenByTheKnownGoodVersionLiftsTheBadMark() throws Exception {
        publishGood();
        long rolledBack = clock.instant().getEpochSecond() - 100;
        Files.writeString(root.resolve("bad-versions"), "v1.1.0\t" + rolledBack + "\ttransient\tit delivered nothing\n");
        Files.writeString(root.resolve("health"), "tag=v1.0.0\nstarted=" + (rolledBack + 1)
                + "\ndelivering=no\ncause=transient\n");

        UpdateCheck check = updater().check();

        assertThat(check).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", true, List.of("v1.1.0 was rolled back for not"
                + " delivering (transient), but v1.0.0 cannot deliver either (transient): the collector, not v1.1.0, was at"
                + " fault; its bad mark is lifted")));
        assertThat(Files.readString(root.resolve("bad-versions"))).isEmpty();
    }

    @Test
    void markForAnotherCauseStays() throws Exception {
        publishGood();
        long rolledBack = clock.instant().getEpochSecond() - 100;
        Files.writeString(root.resolve("bad-versions"), "v1.1.0\t" + rolledBack + "\ttransient 503\tit delivered nothing\n");
        Files.writeString(root.resolve("health"), "tag=v1.0.0\nstarted=" + (rolledBack + 1) + "\ndelivering=yes\n");

        assertThat(updater().check().updateAvailable()).isFalse();
    }

    /** 9: a revoked installation token is renewed once, at the first 401. */
    @Test
    void revokedTokenIsRenewedOnce() throws Exception {
        publishGood();
        ReleaseUpdater updater = updater();
        updater.check();
        github.revokeTokens();

        assertThat(updater.check().updateAvailable()).isTrue();
        assertThat(github.tokenRequests.get()).isEqualTo(2);
    }

    @Test
    void rateLimitIsHonouredAndNotBlamedOnPermissions() throws Exception {
        publishGood();
        ReleaseUpdater updater = updater();
        Instant reset = clock.instant().plus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        github.releaseFault = new FakeGitHub.Fault(403, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(reset.getEpochSecond())), "{\"message\": \"API rate limit exceeded\"}");

        assertThatThrownBy(updater::check).hasMessage("check: GET /repos/acme/tank/releases/latest answered 403"
                + " (API rate limit exceeded); GitHub's rate limit allows the next call at " + reset
                + "; nothing to fix: the next check waits until then");
        int calls = github.requests.size();
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(updater::check).hasMessage("check: GitHub's rate limit for this device is used up until "
                + reset + "; no call to GitHub before then");
        assertThat(github.requests).hasSize(calls);

        clock.advance(Duration.ofMinutes(11));
        github.releaseFault = null;
        assertThat(updater.check().updateAvailable()).isTrue();
    }

    @Test
    void retryAfterOfA429IsHonoured() throws Exception {
        publishGood();
        ReleaseUpdater updater = updater();
        github.releaseFault = new FakeGitHub.Fault(429, Map.of("Retry-After", "120"), "{\"message\": \"slow down\"}");

        assertThatThrownBy(updater::check).hasMessageContaining("answered 429 (slow down); GitHub's rate limit allows the"
                + " next call at " + clock.instant().plusSeconds(120));
        github.releaseFault = null;
        clock.advance(Duration.ofSeconds(119));
        assertThatThrownBy(updater::check).hasMessageContaining("used up until");
        clock.advance(Duration.ofSeconds(1));
        assertThat(updater.check().updateAvailable()).isTrue();
    }

    @Test
    void downgradeIsRefusedUnlessPinned() throws Exception {
        publishGood("v0.9.0");
        ReleaseLayout.version(root, "v1.1.0");

        assertThat(updater("v1.1.0").check()).isEqualTo(new UpdateCheck("v1.1.0", "v0.9.0", false, List.of(
                "v0.9.0 is older than the running v1.1.0: downgrades are refused; SENSOR_READER_REPO_PIN=v0.9.0 installs it"
                        + " (and holds the device there)")));

        publishGood("v1.2.0");
        pin = Optional.of("v0.9.0");
        UpdateCheck pinned = updater("v1.1.0").check();
        UpdateResult applied = updater("v1.1.0").apply(progress::add);

        assertThat(pinned).isEqualTo(new UpdateCheck("v1.1.0", "v0.9.0", true, List.of("v0.9.0 is pinned by SENSOR_READER_REPO_PIN")));
        assertThat(applied.to()).isEqualTo("v0.9.0");
        Files.writeString(root.resolve("update-state"), "good=v0.9.0\n"); // the launcher confirmed it
        assertThat(updater("v0.9.0").check()).isEqualTo(new UpdateCheck("v0.9.0", "v0.9.0", false,
                List.of("held at v0.9.0 by SENSOR_READER_REPO_PIN")));
    }

    @Test
    void stagedRolloutTakesOnlyTheDevicesWhoseBucketIsUnderIt() throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, "v1.1.0");
        github.addRelease("v1.1.0", Map.of(ASSET, archive, ASSET + ".sha256", ReleaseLayout.sha256File(archive, ASSET)),
                "Fixes the pressure sensor.\r\n\r\nrollout: 25%\r\n");
        String in = null;
        String out = null;
        for (int i = 0; in == null || out == null; i++) {
            String id = "device-" + i;
            if (Rollout.bucket(id, "v1.1.0") < 25) {
                in = in == null ? id : in;
            } else {
                out = out == null ? id : out;
            }
        }

        deviceId = out;
        UpdateCheck outside = updater().check();
        deviceId = in;
        UpdateCheck inside = updater().check();

        assertThat(outside.updateAvailable()).isFalse();
        assertThat(outside.notes()).containsExactly("v1.1.0 is rolled out to 25% of devices; this device (bucket "
                + Rollout.bucket(out, "v1.1.0") + " of 0-99, from its id " + out + ") is not among them yet");
        assertThat(inside.updateAvailable()).isTrue();
        assertThat(inside.notes()).containsExactly("v1.1.0 is rolled out to 25% of devices; this device (bucket "
                + Rollout.bucket(in, "v1.1.0") + ") is among them");
    }

    @Test
    void tagPatternPicksTheNewestMatchingRelease() throws Exception {
        publishGood();
        github.addRelease("v2.0.0", Map.of("sensor-reader-2.0.0.tar.gz", new byte[] {1}, "sensor-reader-2.0.0.tar.gz.sha256", new byte[] {1}));
        ReleaseUpdater updater = new ReleaseUpdater(api, app, new ReleaseUpdater.Options("acme", "tank",
                Optional.of(Pattern.compile("v1\\..*")), Optional.empty(), Optional.empty(), root.toString(),
                root.resolve("versions/v1.0.0"), "0.0.0", deviceId, Duration.ofMinutes(5), 3, 1 << 20), clock);

        assertThat(updater.check()).isEqualTo(new UpdateCheck("v1.0.0", "v1.1.0", true));
    }

    @Test
    void releaseWithoutChecksumIsNeverInstalled() throws Exception {
        github.addRelease("v1.1.0", Map.of(ASSET, ReleaseLayout.archive(dir, "v1.1.0")));

        assertThatThrownBy(() -> updater().apply(progress::add))
                .hasMessage("check: release v1.1.0 has " + ASSET + " but no " + ASSET
                        + ".sha256 beside it; an unchecked download is never installed");
    }

    @Test
    void refusesToApplyWithoutAReleaseRoot() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        ReleaseUpdater updater = new ReleaseUpdater(api, app, new ReleaseUpdater.Options("acme", "tank", Optional.empty(),
                Optional.empty(), Optional.empty(), null, plain, "1.0.0", deviceId, Duration.ofMinutes(5), 3, 1 << 20), clock);

        assertThatThrownBy(() -> updater.apply(progress::add))
                .hasMessage("install: " + plain + " is not inside a release layout, and SENSOR_READER_RELEASE_ROOT is not"
                        + " set; start the agent with the stable launcher (docs/updates.md), or use"
                        + " SENSOR_READER_UPDATE_STRATEGY=git");
    }

    @Test
    void archiveEntriesThatLeaveTheirFolderAreRecognised() {
        assertThat(Tarball.escapes("sensor-reader-1.1.0/bin/sensor-reader")).isFalse();
        assertThat(Tarball.escapes("../etc/passwd")).isTrue();
        assertThat(Tarball.escapes("a/../../b")).isTrue();
        assertThat(Tarball.escapes("/etc/cron.d/x")).isTrue();
    }

    @Test
    void plainHttpUrlsAreWarnedAbout() {
        assertThat(GitHubSettings.insecure("SENSOR_READER_GITHUB_API_URL", "http://github.example.com/api/v3")).contains(
                "update: SENSOR_READER_GITHUB_API_URL is http://github.example.com/api/v3, which is not encrypted: the"
                        + " installation token and the code that is installed travel in the clear and can be read or"
                        + " changed on the way; use an https:// URL");
        assertThat(GitHubSettings.insecure("SENSOR_READER_REPO_URL", "git://example.com/r.git")).isPresent();
        assertThat(GitHubSettings.insecure("SENSOR_READER_REPO_URL", "https://github.com/acme/tank.git")).isEmpty();
    }

    private static KeyPair ed25519() throws Exception {
        return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static byte[] sign(KeyPair signer, byte[] message) throws Exception {
        java.security.Signature signature = java.security.Signature.getInstance("Ed25519");
        signature.initSign(signer.getPrivate());
        signature.update(message);
        return signature.sign();
    }

    private void publishSigned(KeyPair signer) throws Exception {
        byte[] archive = ReleaseLayout.archive(dir, "v1.1.0");
        byte[] sums = ReleaseLayout.sha256File(archive, ASSET);
        github.addRelease("v1.1.0", Map.of(ASSET, archive, ASSET + ".sha256", sums, ASSET + ".sha256.sig", sign(signer, sums)));
    }

    @Test
    void signedReleaseIsInstalled() throws Exception {
        KeyPair release = ed25519();
        key = Optional.of(ReleaseKey.parse(pem(release.getPublic())));
        publishSigned(release);

        assertThat(updater().apply(progress::add).applied()).isTrue();
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.1.0");
    }

    @Test
    void releaseSignedByAnotherKeyIsRefusedBeforeItsAssetIsDownloaded() throws Exception {
        ReleaseKey trusted = ReleaseKey.parse(pem(ed25519().getPublic()));
        key = Optional.of(trusted);
        publishSigned(ed25519());

        assertThatThrownBy(() -> updater().apply(progress::add)).hasMessage("signature: " + ASSET + ".sha256.sig of v1.1.0"
                + " is not a signature of " + ASSET + ".sha256 by the release key " + trusted.fingerprint()
                + " (SENSOR_READER_RELEASE_PUBLIC_KEY); refused");
        assertThat(github.downloads(ASSET)).isZero();
        assertThat(ReleaseLayout.current(root).getFileName().toString()).isEqualTo("v1.0.0");
    }

    @Test
    void unsignedReleaseIsRefusedWhenAKeyIsSet() throws Exception {
        key = Optional.of(ReleaseKey.parse(pem(ed25519().getPublic())));
        publishGood();

        assertThatThrownBy(() -> updater().check()).hasMessage("check: release v1.1.0 has no " + ASSET + ".sha256.sig;"
                + " SENSOR_READER_RELEASE_PUBLIC_KEY is set, so only signed releases are installed (docs/updates.md shows"
                + " how a release is signed)");
    }

    /** The pipeline of docs/updates.md: openssl genpkey, pkey -pubout, pkeyutl -sign -rawin. */
    @Test
    void signatureMadeByOpensslVerifies() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path sums = dir.resolve(ASSET + ".sha256");
        Files.write(sums, ReleaseLayout.sha256File(ReleaseLayout.archive(dir, "v1.1.0"), ASSET));
        for (List<String> command : List.of(
                List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", "release.key"),
                List.of("openssl", "pkey", "-in", "release.key", "-pubout", "-out", "release.pub"),
                List.of("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", "release.key", "-in", sums.toString(),
                        "-out", sums + ".sig"))) {
            Command.Outcome outcome = Command.run(command, dir, Map.of(), Duration.ofSeconds(20));
            assertThat(outcome.ok()).as("%s: %s", command, outcome.output()).isTrue();
        }

        ReleaseKey releaseKey = ReleaseKey.parse(Files.readString(dir.resolve("release.pub")));

        assertThat(releaseKey.verifies(Files.readAllBytes(sums), Files.readAllBytes(Path.of(sums + ".sig")))).isTrue();
        assertThat(releaseKey.verifies("tampered".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(Path.of(sums + ".sig"))))
                .isFalse();
    }
}
