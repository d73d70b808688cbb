package io.sensorreader.updater;

import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real repositories in temp folders: a bare origin, a developer's clone that pushes, the device's clone. */
class GitUpdaterTest {

    private static final String TOKEN = "ghs_FakeInstallationToken0123456789";

    @TempDir
    Path dir;

    private GitRepos repos;
    private Path origin;
    private Path device;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void repositories() throws Exception {
        repos = GitRepos.create(dir);
        origin = repos.origin();
        device = repos.device();
    }

    private GitUpdater updater(String buildCommand) {
        return new GitUpdater(device, origin.toUri().toString(), "main", buildCommand, Duration.ofSeconds(20),
                () -> Optional.of(Secret.of(TOKEN)), repos.env());
    }

    @Test
    void findsAndAppliesUpdate() throws Exception {
        String before = repos.head(device);
        String after = repos.commit("version 2");
        GitUpdater updater = updater("cp version.txt built.txt");

        UpdateCheck check = updater.check();
        UpdateResult result = updater.apply(progress::add);

        assertThat(check).isEqualTo(new UpdateCheck(before, after, true));
        assertThat(result).isEqualTo(new UpdateResult(true, before, after, true));
        assertThat(repos.head(device)).isEqualTo(after);
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
        String before = repos.head(device);
        GitUpdater updater = updater("touch built.txt");

        assertThat(updater.check()).isEqualTo(new UpdateCheck(before, before, false));
        assertThat(updater.apply(progress::add)).isEqualTo(new UpdateResult(false, before, before, false));
        assertThat(device.resolve("built.txt")).doesNotExist();
    }

    @Test
    void failingBuildResetsTheCheckoutBack() throws Exception {
        String before = repos.head(device);
        repos.commit("version 2");
        GitUpdater updater = updater("echo compiling; echo 'error: no compiler' >&2; exit 3");

        assertThatThrownBy(() -> updater.apply(progress::add))
                .isInstanceOf(UpdateException.class)
                .hasMessage("build: 'echo compiling; echo 'error: no compiler' >&2; exit 3' exited 3: compiling\n"
                        + "error: no compiler; the checkout is back at " + before)
                .extracting(e -> ((UpdateException) e).step()).isEqualTo("build");
        assertThat(repos.head(device)).isEqualTo(before);
        assertThat(Files.readString(device.resolve("version.txt"))).isEqualTo("version 1\n");
    }

    @Test
    void unreachableOriginNamesTheFetchStep() {
        GitUpdater updater = new GitUpdater(device, dir.resolve("gone.git").toUri().toString(), "main", "true",
                Duration.ofSeconds(20), Credentials.NONE, repos.env());

        assertThatThrownBy(updater::check)
                .hasMessageStartingWith("fetch: git fetch of branch main from " + dir.resolve("gone.git").toUri() + " exited 128: ")
                .hasMessageEndingWith("; will try again next round");
    }

    @Test
    void tokenIsNowhereInTheCheckoutAfterUpdatesAndFailures() throws Exception {
        repos.commit("version 2");
        updater("true").apply(progress::add);
        repos.commit("version 3");
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
}
