package io.sensorreader.updater;

import io.sensorreader.api.Secret;
import io.sensorreader.api.UpdateCheck;
import io.sensorreader.api.UpdateException;
import io.sensorreader.api.UpdateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real repositories in temp folders: a bare origin, a developer's clone that pushes, the device's clone. */
class GitUpdaterTest {

    private static final String TOKEN = "ghs_FakeInstallationToken0123456789";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path origin;
    private Path dev;
    private Path device;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void repositories() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("GIT_AUTHOR_NAME", "Test");
        env.put("GIT_AUTHOR_EMAIL", "test@example.com");
        env.put("GIT_COMMITTER_NAME", "Test");
        env.put("GIT_COMMITTER_EMAIL", "test@example.com");
        origin = dir.resolve("origin.git");
        dev = dir.resolve("dev");
        device = dir.resolve("device");
        git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
        git(dir, "clone", "--quiet", origin.toUri().toString(), dev.toString());
        commit("version 1");
        git(dir, "clone", "--quiet", "--depth=1", origin.toUri().toString(), device.toString());
    }

    private GitUpdater updater(String buildCommand) {
        return new GitUpdater(device, origin.toUri().toString(), "main", buildCommand, Duration.ofSeconds(20),
                () -> Optional.of(Secret.of(TOKEN)), env);
    }

    @Test
    void findsAndAppliesUpdate() throws Exception {
        String before = head(device);
        String after = commit("version 2");
        GitUpdater updater = updater("cp version.txt built.txt");

        UpdateCheck check = updater.check();
        UpdateResult result = updater.apply(progress::add);

        assertThat(check).isEqualTo(new UpdateCheck(before, after, true));
        assertThat(result).isEqualTo(new UpdateResult(true, before, after, true));
        assertThat(head(device)).isEqualTo(after);
        assertThat(Files.readString(device.resolve("built.txt"))).isEqualTo("version 2\n");
        assertThat(progress).containsExactly(
                "fetching main from " + origin.toUri(),
                "resetting " + device + " to " + after,
                "building: cp version.txt built.txt",
                "git gc --prune=now",
                "updated " + before + " -> " + after + "; restart needed");
    }

    @Test
    void upToDateCheckoutIsLeftAlone() throws Exception {
        String before = head(device);
        GitUpdater updater = updater("touch built.txt");

        assertThat(updater.check()).isEqualTo(new UpdateCheck(before, before, false));
        assertThat(updater.apply(progress::add)).isEqualTo(new UpdateResult(false, before, before, false));
        assertThat(device.resolve("built.txt")).doesNotExist();
    }

    @Test
    void failingBuildResetsTheCheckoutBack() throws Exception {
        String before = head(device);
        commit("version 2");
        GitUpdater updater = updater("echo compiling; echo 'error: no compiler' >&2; exit 3");

        assertThatThrownBy(() -> updater.apply(progress::add))
                .isInstanceOf(UpdateException.class)
                .hasMessage("build: 'echo compiling; echo 'error: no compiler' >&2; exit 3' exited 3: compiling\n"
                        + "error: no compiler; the checkout is back at " + before)
                .extracting(e -> ((UpdateException) e).step()).isEqualTo("build");
        assertThat(head(device)).isEqualTo(before);
        assertThat(Files.readString(device.resolve("version.txt"))).isEqualTo("version 1\n");
    }

    @Test
    void unreachableOriginNamesTheFetchStep() {
        GitUpdater updater = new GitUpdater(device, dir.resolve("gone.git").toUri().toString(), "main", "true",
                Duration.ofSeconds(20), Credentials.NONE, env);

        assertThatThrownBy(updater::check)
                .hasMessageStartingWith("fetch: git fetch of branch main from " + dir.resolve("gone.git").toUri() + " exited 128: ")
                .hasMessageEndingWith("; will try again next round");
    }

    @Test
    void tokenIsNowhereInTheCheckoutAfterUpdatesAndFailures() throws Exception {
        commit("version 2");
        updater("true").apply(progress::add);
        commit("version 3");
        assertThatThrownBy(() -> updater("exit 1").apply(progress::add)).isInstanceOf(UpdateException.class);
        updater("true").check();

        String basic = Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(device)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as(file.toString()).doesNotContain(TOKEN).doesNotContain(basic);
            }
        }
        assertThat(Files.readString(device.resolve(".git/config"))).doesNotContainIgnoringCase("extraheader");
        assertThat(progress).noneMatch(line -> line.contains(TOKEN));
    }

    private String commit(String version) throws Exception {
        Files.writeString(dev.resolve("version.txt"), version + "\n");
        git(dev, "add", "version.txt");
        git(dev, "commit", "--quiet", "-m", version);
        git(dev, "push", "--quiet", "origin", "HEAD:main");
        return head(dev);
    }

    private String head(Path repo) throws Exception {
        return git(repo, "rev-parse", "HEAD");
    }

    private String git(Path where, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Command.Outcome outcome = Command.run(command, where, env, Duration.ofSeconds(20));
        if (!outcome.ok()) {
            throw new AssertionError(String.join(" ", command) + " " + outcome.describe(Duration.ofSeconds(20)));
        }
        return outcome.output().strip();
    }
}
