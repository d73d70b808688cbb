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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code release} strategy: the newest GitHub release (or the newest whose tag matches
 * {@code UPDATE_TAG_PATTERN}), its {@code sensor-reader-*.tar.gz} asset checked against the
 * {@code .sha256} beside it, unpacked into {@code versions/<tag>/}, {@code current} switched
 * atomically, restart. The new version is <em>pending</em> until it reports healthy
 * ({@link #onHealthy()}); past its deadline it is switched back (here, or by the launcher's
 * {@code release-guard.sh} when it does not even start) and remembered as bad.
 */
final class ReleaseUpdater implements Updater {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseUpdater.class);
    private static final Pattern ASSET = Pattern.compile("sensor-reader-.*\\.tar\\.gz");

    /** A release to install. */
    record Release(String tag, String assetName, URI asset, URI checksum) {
    }

    private final GitHubApi api;
    private final String owner;
    private final String repo;
    private final Optional<Pattern> tagPattern;
    private final Credentials credentials;
    private final Path installDir;
    private final String agentVersion;
    private final Duration health;
    private final int maxStarts;
    private final Clock clock;

    ReleaseUpdater(GitHubApi api, String owner, String repo, Optional<Pattern> tagPattern, Credentials credentials,
                   Path installDir, String agentVersion, Duration health, int maxStarts, Clock clock) {
        this.api = api;
        this.owner = owner;
        this.repo = repo;
        this.tagPattern = tagPattern;
        this.credentials = credentials;
        this.installDir = installDir;
        this.agentVersion = agentVersion;
        this.health = health;
        this.maxStarts = maxStarts;
        this.clock = clock;
    }

    @Override
    public UpdateCheck check() throws UpdateException {
        Optional<InstallRoot> root = InstallRoot.around(installDir);
        String running = running(root);
        if (root.isPresent()) {
            Optional<String> back = overdue(root.get(), running);
            if (back.isPresent()) {
                return new UpdateCheck(running, back.get(), true);
            }
        }
        Release newest = newest();
        boolean bad = root.isPresent() && badVersions(root.get()).contains(newest.tag());
        return new UpdateCheck(running, newest.tag(), !bad && !newest.tag().equals(running));
    }

    @Override
    public UpdateResult apply(Progress progress) throws UpdateException {
        InstallRoot root = InstallRoot.around(installDir).orElseThrow(() -> new UpdateException("install", installDir
                + " is not inside a release layout (<root>/versions/<tag> with a current link); install the release "
                + "layout as docs/updates.md shows, or use SENSOR_READER_UPDATE_STRATEGY=git"));
        String running = running(Optional.of(root));
        Optional<String> back = overdue(root, running);
        if (back.isPresent()) {
            rollBack(root, running, back.get(), "it did not report healthy by its deadline");
            progress.step(running + " did not report healthy by its deadline; switched back to " + back.get());
            return new UpdateResult(true, running, back.get(), true);
        }
        progress.step("looking for the newest release of " + owner + "/" + repo);
        Release release = newest();
        if (release.tag().equals(running)) {
            progress.step("up to date at " + running);
            return new UpdateResult(false, running, running, false);
        }
        if (badVersions(root).contains(release.tag())) {
            progress.step(release.tag() + " was rolled back before and is not tried again; staying at " + running);
            return new UpdateResult(false, running, running, false);
        }
        Path download = root.versions().resolve(".download-" + release.tag());
        try {
            InstallRoot.deleteTree(download);
            Files.createDirectories(download);
            Optional<Secret> token = credentials.token();
            progress.step("downloading " + release.assetName() + " of " + release.tag());
            Path archive = download.resolve(release.assetName());
            api.download("download", release.asset(), token, archive);
            Path sums = download.resolve(release.assetName() + ".sha256");
            api.download("download", release.checksum(), token, sums);
            verify(archive, sums);
            progress.step("unpacking " + release.assetName());
            Path unpacked = download.resolve("unpacked");
            Files.createDirectories(unpacked);
            Tarball.unpack(archive, unpacked);
            Path distribution = distributionIn(unpacked, release);
            Path target = root.version(release.tag());
            InstallRoot.deleteTree(target);
            Files.move(distribution, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Instant deadline = clock.instant().plus(health);
            root.writeState(new InstallRoot.State(release.tag(), running, deadline, maxStarts));
            root.switchTo(release.tag());
            progress.step("switched current to " + release.tag() + "; it must report healthy by " + deadline);
        } catch (IOException e) {
            throw new UpdateException("install", "installing " + release.tag() + " into " + root.versions() + " failed: "
                    + e.getMessage() + "; still running " + running, e);
        } finally {
            deleteQuietly(download);
        }
        try {
            List<String> removed = root.prune(Set.of(release.tag(), running));
            if (!removed.isEmpty()) {
                progress.step("removed old versions " + removed);
            }
        } catch (IOException e) {
            LOG.warn("update: could not remove old versions from {}: {}", root.versions(), e.getMessage());
        }
        return new UpdateResult(true, running, release.tag(), true);
    }

    /** The first successful cycle of a pending version: it is good, no rollback any more. */
    @Override
    public void onHealthy() {
        Optional<InstallRoot> root = InstallRoot.around(installDir);
        if (root.isEmpty()) {
            return;
        }
        try {
            String running = running(root);
            InstallRoot.State state = root.get().state();
            if (running.equals(state.pending())) {
                root.get().writeState(new InstallRoot.State(null, state.previous(), null, 0));
                LOG.info("update: {} reported healthy; {} is kept as the previous version", running, state.previous());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("update: could not confirm {} as healthy in {}: {}", installDir, root.get().path(), e.toString());
        }
    }

    private String running(Optional<InstallRoot> root) {
        if (root.isPresent()) {
            try {
                return installDir.toRealPath().getFileName().toString();
            } catch (IOException e) {
                // fall back to the version the agent reports
            }
        }
        return agentVersion;
    }

    /** The version to go back to, when the running one is pending and past its deadline. */
    private Optional<String> overdue(InstallRoot root, String running) throws UpdateException {
        try {
            InstallRoot.State state = root.state();
            if (running.equals(state.pending()) && state.previous() != null && state.deadline() != null
                    && clock.instant().isAfter(state.deadline()) && Files.isDirectory(root.version(state.previous()))) {
                return Optional.of(state.previous());
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new UpdateException("check", "cannot read " + root.path().resolve("update-state") + ": " + e.getMessage(), e);
        }
    }

    private void rollBack(InstallRoot root, String bad, String previous, String why) throws UpdateException {
        try {
            root.switchTo(previous);
            root.markBad(bad);
            root.writeState(InstallRoot.State.EMPTY);
            LOG.error("update: {} {}; switched back to {} and marked {} bad", bad, why, previous, bad);
        } catch (IOException e) {
            throw new UpdateException("rollback", "switching " + root.path().resolve("current") + " back to " + previous
                    + " failed: " + e.getMessage(), e);
        }
    }

    private Set<String> badVersions(InstallRoot root) throws UpdateException {
        try {
            return root.badVersions();
        } catch (IOException e) {
            throw new UpdateException("check", "cannot read " + root.path().resolve("bad-versions") + ": " + e.getMessage(), e);
        }
    }

    private Release newest() throws UpdateException {
        Optional<Secret> token = credentials.token();
        String authorization = token.map(t -> "Bearer " + t.reveal()).orElse(null);
        String base = "/repos/" + owner + "/" + repo + "/releases";
        JsonNode release;
        if (tagPattern.isEmpty()) {
            try {
                release = api.call("check", "GET", base + "/latest", authorization);
            } catch (GitHubApi.GitHubStatusException e) {
                if (e.status() == 404) {
                    throw new UpdateException("check", owner + "/" + repo + " has no published release (GET " + base
                            + "/latest answered 404)" + (token.isEmpty() ? "; a private repository needs the GitHub App settings" : ""), e);
                }
                throw e;
            }
        } else {
            JsonNode all = api.call("check", "GET", base + "?per_page=50", authorization);
            release = null;
            for (JsonNode candidate : all) {
                if (!candidate.path("draft").asBoolean(false) && !candidate.path("prerelease").asBoolean(false)
                        && tagPattern.get().matcher(candidate.path("tag_name").asText("")).matches()) {
                    release = candidate;
                    break;
                }
            }
            if (release == null) {
                throw new UpdateException("check", "no published release of " + owner + "/" + repo
                        + " has a tag matching SENSOR_READER_UPDATE_TAG_PATTERN '" + tagPattern.get() + "'");
            }
        }
        String tag = release.path("tag_name").asText("");
        if (!InstallRoot.TAG.matcher(tag).matches()) {
            throw new UpdateException("check", "release tag '" + tag + "' cannot name a folder; expected letters, digits, '.', '_', '+' or '-'");
        }
        JsonNode archive = null;
        JsonNode checksum = null;
        for (JsonNode asset : release.path("assets")) {
            if (ASSET.matcher(asset.path("name").asText("")).matches()) {
                archive = asset;
            }
        }
        if (archive == null) {
            throw new UpdateException("check", "release " + tag + " of " + owner + "/" + repo + " has no sensor-reader-*.tar.gz asset");
        }
        String name = archive.get("name").asText();
        for (JsonNode asset : release.path("assets")) {
            if (asset.path("name").asText("").equals(name + ".sha256")) {
                checksum = asset;
            }
        }
        if (checksum == null) {
            throw new UpdateException("check", "release " + tag + " has " + name + " but no " + name
                    + ".sha256 beside it; an unchecked download is never installed");
        }
        return new Release(tag, name, URI.create(archive.path("url").asText()), URI.create(checksum.path("url").asText()));
    }

    private static void verify(Path archive, Path sums) throws UpdateException {
        String expected;
        try {
            String text = Files.readString(sums, StandardCharsets.UTF_8).strip();
            expected = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UpdateException("checksum", "cannot read " + sums.getFileName() + ": " + e.getMessage(), e);
        }
        if (!expected.matches("[0-9a-f]{64}")) {
            throw new UpdateException("checksum", sums.getFileName() + " does not start with a SHA-256 (64 hex digits); refused");
        }
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
    private static Path distributionIn(Path unpacked, Release release) throws UpdateException, IOException {
        if (Files.isRegularFile(unpacked.resolve("bin/sensor-reader"))) {
            return unpacked;
        }
        try (Stream<Path> entries = Files.list(unpacked)) {
            List<Path> all = entries.toList();
            if (all.size() == 1 && Files.isRegularFile(all.getFirst().resolve("bin/sensor-reader"))) {
                return all.getFirst();
            }
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
