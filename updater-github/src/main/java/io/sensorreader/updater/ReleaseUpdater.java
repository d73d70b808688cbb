package io.sensorreader.updater;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code release} strategy: the newest GitHub release (or the newest whose tag matches
 * {@code UPDATE_TAG_PATTERN}, or the pinned one), its {@code sensor-reader-*.tar.gz} asset checked
 * against the {@code .sha256} beside it (and that file's Ed25519 signature when a release key is
 * set), unpacked into the release root's {@code versions/<tag>/}, {@code current} switched
 * atomically, restart. The new version is then on trial; the stable launcher (release-guard.sh)
 * confirms it or rolls it back, never this class. Refused are: versions marked bad (with the
 * reason shown), downgrades unless pinned, a staged rollout this device is not part of yet, an
 * asset refused before (by its SHA-256), and anything while the running version is still on trial.
 */
final class ReleaseUpdater implements Updater {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseUpdater.class);
    private static final Pattern ASSET = Pattern.compile("sensor-reader-.*\\.tar\\.gz");

    /** What the strategy is set to do. */
    record Options(String owner, String repo, Optional<Pattern> tagPattern, Optional<String> pin,
                   Optional<ReleaseKey> key, String releaseRoot, Path installDir, String agentVersion, String deviceId,
                   Duration health, int maxStarts, long maxAssetBytes) {
    }

    /** A release to install. */
    record Release(String tag, String body, String assetName, URI asset, URI checksum, URI signature) {
    }

    /** Why a release is not taken (null: it is), and what to tell the operator either way. */
    private record Decision(String blocked, List<String> notes) {
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(Optional<Secret> token) throws UpdateException;
    }

    private final GitHubApi api;
    private final Credentials credentials;
    private final Options options;
    private final Clock clock;
    private volatile Instant quietUntil = Instant.MIN;

    ReleaseUpdater(GitHubApi api, Credentials credentials, Options options, Clock clock) {
        this.api = api;
        this.credentials = credentials;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public UpdateCheck check() throws UpdateException {
        Optional<InstallRoot> root = InstallRoot.locate(options.releaseRoot(), options.installDir());
        String running = running();
        if (root.isPresent() && onTrial(root.get(), running)) {
            return new UpdateCheck(running, running, false, List.of(trialNote(running)));
        }
        Release release = rateLimited(this::candidate);
        Decision decision = decide(root, running, release);
        return new UpdateCheck(running, release.tag(), decision.blocked() == null && !release.tag().equals(running),
                decision.notes());
    }

    @Override
    public UpdateResult apply(Progress progress) throws UpdateException {
        InstallRoot root = InstallRoot.locate(options.releaseRoot(), options.installDir()).orElseThrow(() ->
                new UpdateException("install", options.installDir() + " is not inside a release layout, and"
                        + " SENSOR_READER_RELEASE_ROOT is not set; start the agent with the stable launcher"
                        + " (docs/updates.md), or use SENSOR_READER_UPDATE_STRATEGY=git"));
        String running = running();
        if (onTrial(root, running)) {
            progress.step(trialNote(running));
            return new UpdateResult(false, running, running, false);
        }
        progress.step("looking for the " + (options.pin().isPresent() ? "pinned release " + options.pin().get()
                : "newest release") + " of " + options.owner() + "/" + options.repo());
        Release release = rateLimited(this::candidate);
        Decision decision = decide(Optional.of(root), running, release);
        decision.notes().forEach(progress::step);
        if (release.tag().equals(running)) {
            progress.step("up to date at " + running);
            return new UpdateResult(false, running, running, false);
        }
        if (decision.blocked() != null) {
            return new UpdateResult(false, running, running, false);
        }
        Path download = root.versions().resolve(".download-" + release.tag());
        try {
            InstallRoot.deleteTree(download);
            Files.createDirectories(download);
            Path sums = download.resolve(release.assetName() + ".sha256");
            rateLimited(() -> authorized(t -> api.download("download", release.checksum(), t, sums, GitHubApi.SMALL_LIMIT)));
            byte[] sumsBytes = Files.readAllBytes(sums);
            verifySignature(release, download, sumsBytes);
            String expected = expectedDigest(sums, sumsBytes);
            Optional<String> refusedBefore = root.refused(expected);
            if (refusedBefore.isPresent()) {
                progress.step(release.assetName() + " of " + release.tag() + " (SHA-256 " + expected
                        + ") was refused before (" + refusedBefore.get() + "); not downloading it again");
                return new UpdateResult(false, running, running, false);
            }
            progress.step("downloading " + release.assetName() + " of " + release.tag());
            Path archive = download.resolve(release.assetName());
            rateLimited(() -> authorized(t -> api.download("download", release.asset(), t, archive, options.maxAssetBytes())));
            Path distribution;
            try {
                verifyDigest(archive, sums, expected);
                progress.step("unpacking " + release.assetName());
                Path unpacked = download.resolve("unpacked");
                Files.createDirectories(unpacked);
                Tarball.unpack(archive, unpacked);
                distribution = distributionIn(unpacked, release);
            } catch (UpdateException e) {
                root.refuse(expected, release.tag(), e.getMessage());
                throw new UpdateException(e.step(), e.getMessage().substring(e.step().length() + 2)
                        + "; this asset (by its SHA-256) is not downloaded again", e);
            }
            Path target = root.version(release.tag());
            InstallRoot.deleteTree(target);
            Files.move(distribution, target, StandardCopyOption.ATOMIC_MOVE);
            InstallRoot.State before = root.state();
            String goodCause = root.health().filter(h -> h.tag().equals(running) && h.undelivering())
                    .map(InstallRoot.Health::cause).orElse(null);
            root.writeState(new InstallRoot.State(release.tag(), running, (int) options.health().toSeconds(),
                    options.maxStarts(), goodCause));
            root.switchTo(release.tag());
            progress.step("switched current to " + release.tag() + "; it is on trial until it reports healthy (within "
                    + options.health().toSeconds() + " s of its first start); " + running + " stays the known-good version");
            Set<String> keep = new LinkedHashSet<>(List.of(release.tag(), running));
            if (before.good() != null) {
                keep.add(before.good());
            }
            try {
                List<String> removed = root.prune(keep);
                if (!removed.isEmpty()) {
                    progress.step("removed old versions " + removed);
                }
            } catch (IOException e) {
                LOG.warn("update: could not remove old versions from {}: {}", root.versions(), e.getMessage());
            }
        } catch (IOException e) {
            throw new UpdateException("install", "installing " + release.tag() + " into " + root.versions() + " failed: "
                    + e.getMessage() + "; still running " + running, e);
        } finally {
            deleteQuietly(download);
        }
        return new UpdateResult(true, running, release.tag(), true);
    }

    @Override
    public String forgetBad(String tag) throws UpdateException {
        InstallRoot root = InstallRoot.locate(options.releaseRoot(), options.installDir()).orElseThrow(() ->
                new UpdateException("forget-bad", "no release root: SENSOR_READER_RELEASE_ROOT is not set and "
                        + options.installDir() + " is not inside one"));
        try {
            Optional<InstallRoot.BadMark> mark = root.forgetBad(tag);
            if (mark.isEmpty()) {
                throw new UpdateException("forget-bad", tag + " is not marked bad in " + root.path().resolve("bad-versions"));
            }
            return tag + " may be installed again (it was marked bad" + when(mark.get()) + ": " + mark.get().reason() + ")";
        } catch (IOException e) {
            throw new UpdateException("forget-bad", "cannot rewrite " + root.path().resolve("bad-versions") + ": " + e.getMessage(), e);
        }
    }

    private boolean onTrial(InstallRoot root, String running) throws UpdateException {
        try {
            return root.onTrial(running);
        } catch (IOException e) {
            throw new UpdateException("check", "cannot read " + root.path().resolve("update-state") + ": " + e.getMessage(), e);
        }
    }

    private static String trialNote(String running) {
        return running + " is on trial (installed, not yet reported healthy); the next update waits until the launcher"
                + " confirms it";
    }

    private String running() {
        try {
            Path real = options.installDir().toRealPath();
            if (real.getParent() != null && real.getParent().getFileName() != null
                    && real.getParent().getFileName().toString().equals("versions")) {
                return real.getFileName().toString();
            }
        } catch (IOException e) {
            // fall back to the version the agent reports
        }
        return options.agentVersion();
    }

    private Decision decide(Optional<InstallRoot> root, String running, Release release) throws UpdateException {
        List<String> notes = new ArrayList<>();
        String tag = release.tag();
        boolean pinned = options.pin().isPresent();
        if (tag.equals(running)) {
            if (pinned) {
                notes.add("held at " + tag + " by SENSOR_READER_REPO_PIN");
            }
            return new Decision("up to date", notes);
        }
        if (root.isPresent()) {
            Optional<String> bad = badNote(root.get(), running, tag, notes);
            if (bad.isPresent()) {
                notes.add(bad.get());
                return new Decision(bad.get(), notes);
            }
        }
        if (!pinned && Versions.compare(tag, running) < 0) {
            String why = tag + " is older than the running " + running + ": downgrades are refused;"
                    + " SENSOR_READER_REPO_PIN=" + tag + " installs it (and holds the device there)";
            notes.add(why);
            return new Decision(why, notes);
        }
        OptionalInt percent = Rollout.percent(release.body());
        if (!pinned && percent.isPresent()) {
            int bucket = Rollout.bucket(options.deviceId(), tag);
            if (bucket >= percent.getAsInt()) {
                String why = tag + " is rolled out to " + percent.getAsInt() + "% of devices; this device (bucket " + bucket
                        + " of 0-99, from its id " + options.deviceId() + ") is not among them yet";
                notes.add(why);
                return new Decision(why, notes);
            }
            notes.add(tag + " is rolled out to " + percent.getAsInt() + "% of devices; this device (bucket " + bucket
                    + ") is among them");
        }
        if (pinned) {
            notes.add(tag + " is pinned by SENSOR_READER_REPO_PIN");
        }
        return new Decision(null, notes);
    }

    /**
     * The bad mark blocking {@code tag}, unless it was given for not delivering while the version
     * now running (started after the rollback) cannot deliver for the same reason: then the
     * collector was at fault, and the mark is lifted.
     */
    private Optional<String> badNote(InstallRoot root, String running, String tag, List<String> notes) throws UpdateException {
        try {
            Map<String, InstallRoot.BadMark> bad = root.badVersions();
            InstallRoot.BadMark mark = bad.get(tag);
            if (mark == null) {
                return Optional.empty();
            }
            Optional<InstallRoot.Health> health = root.health();
            if (mark.cause() != null && health.isPresent() && health.get().tag().equals(running)
                    && health.get().undelivering() && mark.cause().equals(health.get().cause())
                    && mark.at() != null && health.get().started() >= mark.at().getEpochSecond()) {
                root.forgetBad(tag);
                String lifted = tag + " was rolled back for not delivering (" + mark.cause() + "), but " + running
                        + " cannot deliver either (" + health.get().cause() + "): the collector, not " + tag
                        + ", was at fault; its bad mark is lifted";
                LOG.info("update: {}", lifted);
                notes.add(lifted);
                return Optional.empty();
            }
            return Optional.of(tag + " is marked bad" + when(mark) + ": " + mark.reason()
                    + "; sensor-reader update-check --forget-bad " + tag + " allows it again");
        } catch (IOException e) {
            throw new UpdateException("check", "cannot read " + root.path().resolve("bad-versions") + ": " + e.getMessage(), e);
        }
    }

    private static String when(InstallRoot.BadMark mark) {
        return mark.at() == null ? "" : " at " + mark.at();
    }

    /** Runs a GitHub exchange; a 401 with a token renews the token once and tries again. */
    private <T> T authorized(Call<T> call) throws UpdateException {
        Optional<Secret> token = credentials.token();
        try {
            return call.run(token);
        } catch (GitHubApi.GitHubStatusException e) {
            if (e.status() != 401 || token.isEmpty()) {
                throw e;
            }
            credentials.forget(token.get());
            Optional<Secret> fresh = credentials.token();
            try {
                return call.run(fresh);
            } catch (GitHubApi.GitHubStatusException again) {
                if (again.status() == 401) {
                    throw new UpdateException(again.step(), again.getMessage().substring(again.step().length() + 2)
                            + "; GitHub refused a freshly issued installation token too: check that the GitHub App is still"
                            + " installed on " + options.owner() + "/" + options.repo(), again);
                }
                throw again;
            }
        }
    }

    private interface Step<T> {
        T run() throws UpdateException;
    }

    /** Honours GitHub's rate limit: no call before it ends; an answer that says so sets when. */
    private <T> T rateLimited(Step<T> step) throws UpdateException {
        Instant now = clock.instant();
        if (now.isBefore(quietUntil)) {
            throw new UpdateException("check", "GitHub's rate limit for this device is used up until " + quietUntil
                    + "; no call to GitHub before then");
        }
        try {
            return step.run();
        } catch (UpdateException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof GitHubApi.GitHubStatusException s && s.rateLimited()) {
                    quietUntil = s.retryAt().orElseThrow();
                    throw new UpdateException(e.step(), e.getMessage().substring(e.step().length() + 2)
                            + (t == e ? "; nothing to fix: the next check waits until then" : ""), e);
                }
            }
            throw e;
        }
    }

    private Release candidate() throws UpdateException {
        String base = "/repos/" + options.owner() + "/" + options.repo() + "/releases";
        JsonNode release;
        if (options.pin().isPresent()) {
            String pin = options.pin().get();
            try {
                release = authorized(t -> api.call("check", "GET", base + "/tags/" + pin, bearer(t)));
            } catch (GitHubApi.GitHubStatusException e) {
                if (e.status() == 404) {
                    throw new UpdateException("check", options.owner() + "/" + options.repo() + " has no release tagged '"
                            + pin + "' (SENSOR_READER_REPO_PIN); GET " + base + "/tags/" + pin + " answered 404", e);
                }
                throw e;
            }
        } else if (options.tagPattern().isEmpty()) {
            try {
                release = authorized(t -> api.call("check", "GET", base + "/latest", bearer(t)));
            } catch (GitHubApi.GitHubStatusException e) {
                if (e.status() == 404) {
                    throw new UpdateException("check", options.owner() + "/" + options.repo()
                            + " has no published release (GET " + base + "/latest answered 404)"
                            + (credentials == Credentials.NONE ? "; a private repository needs the GitHub App settings" : ""), e);
                }
                throw e;
            }
        } else {
            JsonNode all = authorized(t -> api.call("check", "GET", base + "?per_page=50", bearer(t)));
            Pattern pattern = options.tagPattern().get();
            release = null;
            for (JsonNode candidate : all) {
                if (!candidate.path("draft").asBoolean(false) && !candidate.path("prerelease").asBoolean(false)
                        && pattern.matcher(candidate.path("tag_name").asText("")).matches()) {
                    release = candidate;
                    break;
                }
            }
            if (release == null) {
                throw new UpdateException("check", "no published release of " + options.owner() + "/" + options.repo()
                        + " has a tag matching SENSOR_READER_UPDATE_TAG_PATTERN '" + pattern + "'");
            }
        }
        return release(release);
    }

    private static String bearer(Optional<Secret> token) {
        return token.map(t -> "Bearer " + t.reveal()).orElse(null);
    }

    private Release release(JsonNode release) throws UpdateException {
        String tag = release.path("tag_name").asText("");
        if (!InstallRoot.TAG.matcher(tag).matches()) {
            throw new UpdateException("check", "release tag '" + tag + "' cannot name a folder; expected letters, digits, '.', '_', '+' or '-'");
        }
        JsonNode archive = null;
        for (JsonNode asset : release.path("assets")) {
            if (ASSET.matcher(asset.path("name").asText("")).matches()) {
                archive = asset;
            }
        }
        if (archive == null) {
            throw new UpdateException("check", "release " + tag + " of " + options.owner() + "/" + options.repo()
                    + " has no sensor-reader-*.tar.gz asset");
        }
        String name = archive.get("name").asText();
        URI checksum = assetUrl(release, name + ".sha256");
        URI signature = assetUrl(release, name + ".sha256.sig");
        if (checksum == null) {
            throw new UpdateException("check", "release " + tag + " has " + name + " but no " + name
                    + ".sha256 beside it; an unchecked download is never installed");
        }
        if (options.key().isPresent() && signature == null) {
            throw new UpdateException("check", "release " + tag + " has no " + name + ".sha256.sig; SENSOR_READER_RELEASE_PUBLIC_KEY"
                    + " is set, so only signed releases are installed (docs/updates.md shows how a release is signed)");
        }
        return new Release(tag, release.path("body").asText(""), name, URI.create(archive.path("url").asText()), checksum,
                signature);
    }

    private static URI assetUrl(JsonNode release, String name) {
        for (JsonNode asset : release.path("assets")) {
            if (asset.path("name").asText("").equals(name)) {
                return URI.create(asset.path("url").asText());
            }
        }
        return null;
    }

    private void verifySignature(Release release, Path download, byte[] sums) throws UpdateException, IOException {
        if (options.key().isEmpty()) {
            return;
        }
        Path sig = download.resolve(release.assetName() + ".sha256.sig");
        rateLimited(() -> authorized(t -> api.download("download", release.signature(), t, sig, GitHubApi.SMALL_LIMIT)));
        byte[] signature = Files.readAllBytes(sig);
        if (signature.length != 64 || !options.key().get().verifies(sums, signature)) {
            throw new UpdateException("signature", release.assetName() + ".sha256.sig of " + release.tag()
                    + (signature.length != 64 ? " is " + signature.length + " bytes, not a raw 64-byte Ed25519 signature"
                    : " is not a signature of " + release.assetName() + ".sha256 by the release key "
                    + options.key().get().fingerprint() + " (SENSOR_READER_RELEASE_PUBLIC_KEY)") + "; refused");
        }
    }

    private static String expectedDigest(Path sums, byte[] bytes) throws UpdateException {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        String expected = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (!expected.matches("[0-9a-f]{64}")) {
            throw new UpdateException("checksum", sums.getFileName() + " does not start with a SHA-256 (64 hex digits); refused");
        }
        return expected;
    }

    private static void verifyDigest(Path archive, Path sums, String expected) throws UpdateException {
        String actual;
        try (InputStream in = new DigestInputStream(Files.newInputStream(archive), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new UpdateException("checksum", "cannot read " + archive.getFileName() + ": " + e.getMessage(), e);
        }
        if (!actual.equals(expected)) {
            throw new UpdateException("checksum", archive.getFileName() + " has SHA-256 " + actual + " but "
                    + sums.getFileName() + " says " + expected + "; the download is damaged or not the release's, refused");
        }
    }

    /** The unpacked distribution: the folder itself, or its only subfolder, holding {@code bin/sensor-reader}. */
    private static Path distributionIn(Path unpacked, Release release) throws UpdateException {
        if (Files.isRegularFile(unpacked.resolve("bin/sensor-reader"))) {
            return unpacked;
        }
        try (Stream<Path> entries = Files.list(unpacked)) {
            List<Path> all = entries.toList();
            if (all.size() == 1 && Files.isRegularFile(all.getFirst().resolve("bin/sensor-reader"))) {
                return all.getFirst();
            }
        } catch (IOException e) {
            throw new UpdateException("unpack", "cannot list " + unpacked + ": " + e.getMessage(), e);
        }
        throw new UpdateException("unpack", release.assetName() + " of " + release.tag()
                + " holds no bin/sensor-reader (at its top or in its only folder); not a sensor-reader distribution");
    }

    private static void deleteQuietly(Path folder) {
        try {
            InstallRoot.deleteTree(folder);
        } catch (IOException e) {
            LOG.warn("update: could not remove {}: {}", folder, e.getMessage());
        }
    }
}
