package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import io.sensorreader.updater.GitRepos;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sensor-reader update-check} with the git strategy on real repositories in a temp folder: a
 * bare origin, a developer's clone that pushes, and the device's shallow clone that is checked.
 */
class UpdateCheckCommandTest {

    @TempDir
    Path dir;
    GitRepos repos;
    Path origin;
    Path device;

    @BeforeEach
    void repositories() throws Exception {
        repos = GitRepos.create(dir);
        origin = repos.origin();
        device = repos.device();
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SENSOR_READER_DATA_DIR", dir.resolve("data").toString(),
                "SENSOR_READER_REPO_URL", origin.toUri().toString(),
                "SENSOR_READER_REPO_DIR", device.toString(),
                "SENSOR_READER_UPDATE_BUILD_COMMAND", "cp version.txt built.txt"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private CommandRun updateCheck(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "update-check";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandRun.of(env, dir, all);
    }

    @Test
    void upToDateCheckoutExits0() throws Exception {
        String head = repos.git(device, "rev-parse", "HEAD");

        CommandRun run = updateCheck(env());

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "running:   " + head,
                "available: " + head,
                "up to date");
    }

    @Test
    void newerCommitOnTheBranchExits10AndChangesNothing() throws Exception {
        String running = repos.git(device, "rev-parse", "HEAD");
        String available = repos.commit("version 2");

        CommandRun run = updateCheck(env());

        assertThat(run.code()).as("%s", run).isEqualTo(10);
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "running:   " + running,
                "available: " + available,
                "an update is available; apply it with update-check --apply");
        assertThat(repos.git(device, "rev-parse", "HEAD")).isEqualTo(running);
        assertThat(Files.readString(device.resolve("version.txt"))).isEqualTo("version 1\n");
    }

    @Test
    void strategyGitOnTheCommandLineWinsOverTheSetting() throws Exception {
        repos.commit("version 2");

        CommandRun run = updateCheck(env("SENSOR_READER_UPDATE_STRATEGY", "release"), "--strategy", "git");

        assertThat(run.code()).as("%s", run).isEqualTo(10);
    }

    @Test
    void applyResetsAndBuildsTheNewCommitAndExits0() throws Exception {
        String running = repos.git(device, "rev-parse", "HEAD");
        String available = repos.commit("version 2");

        CommandRun run = updateCheck(env(), "--apply");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "  fetching main from " + origin.toUri(),
                "  resetting " + device + " to " + available,
                "  building: cp version.txt built.txt",
                "  git gc --prune=now",
                "  updated " + running + " -> " + available + "; restart needed",
                "running:   " + running,
                "available: " + available,
                "applied; restart the agent (systemctl restart sensor-reader) to run " + available);
        assertThat(repos.git(device, "rev-parse", "HEAD")).isEqualTo(available);
        assertThat(Files.readString(device.resolve("built.txt"))).isEqualTo("version 2\n");
        assertThat(updateCheck(env()).code()).isZero();
    }

    @Test
    void applyOnAnUpToDateCheckoutDoesNothingAndExits0() throws Exception {
        String head = repos.git(device, "rev-parse", "HEAD");

        CommandRun run = updateCheck(env(), "--apply");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).containsExactly(
                "  fetching main from " + origin.toUri(),
                "  up to date at " + head,
                "running:   " + head,
                "available: " + head,
                "up to date; nothing to apply");
        assertThat(device.resolve("built.txt")).doesNotExist();
    }

    @Test
    void failedBuildExits69AndLeavesTheCheckoutAsItWas() throws Exception {
        String running = repos.git(device, "rev-parse", "HEAD");
        repos.commit("version 2");

        CommandRun run = updateCheck(env("SENSOR_READER_UPDATE_BUILD_COMMAND", "echo 'no compiler' >&2; exit 3"), "--apply");

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.errLines()).containsExactly("update-check: build: 'echo 'no compiler' >&2; exit 3' exited 3:"
                + " no compiler; the checkout is back at " + running);
        assertThat(repos.git(device, "rev-parse", "HEAD")).isEqualTo(running);
        assertThat(Files.readString(device.resolve("version.txt"))).isEqualTo("version 1\n");
    }

    @Test
    void unreachableRepositoryExits69NamingTheFetch() {
        String gone = dir.resolve("gone.git").toUri().toString();

        CommandRun run = updateCheck(env("SENSOR_READER_REPO_URL", gone));

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("update-check: fetch: git fetch of branch main from " + gone + " exited 128: ")
                .endsWith("; will try again next round" + System.lineSeparator());
    }

    @Test
    void unknownStrategyExits78NamingTheInstalledOnes() {
        CommandRun run = updateCheck(env(), "--strategy", "svn");

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "--strategy is 'svn'; expected one of: git, release",
                "sensor-reader: 1 configuration problem; nothing was started");
    }

    @Test
    void badStrategySettingExits78NamingTheVariable() {
        CommandRun run = updateCheck(env("SENSOR_READER_UPDATE_STRATEGY", "svn"));

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.errLines()).containsExactly(
                "environment: SENSOR_READER_UPDATE_STRATEGY is 'svn'; expected one of: git, release",
                "sensor-reader: 1 configuration problem; nothing was started");
    }

    @Test
    void releaseStrategyWithoutAGitHubRepositoryExits78NamingTheSetting() {
        CommandRun run = updateCheck(env(), "--strategy", "release");

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("SENSOR_READER_GITHUB_REPO_OWNER is missing; expected the GitHub account"
                        + " that owns the repository, whose releases are installed",
                "sensor-reader: 1 configuration problem; nothing was started");
    }

    /** Reasons are kept and shown; --forget-bad clears the mark (release strategy, its release root). */
    @Test
    void forgetBadClearsTheMarkAndSaysWhatItWas() throws Exception {
        Path releases = Files.createDirectories(dir.resolve("releases"));
        Files.writeString(releases.resolve("bad-versions"), "v1.1.0\t1700000000\t\tit exited 78 (a configuration error) on start 1\n");
        Map<String, String> env = env("SENSOR_READER_UPDATE_STRATEGY", "release", "SENSOR_READER_RELEASE_ROOT", releases.toString(),
                "SENSOR_READER_GITHUB_REPO_OWNER", "acme", "SENSOR_READER_GITHUB_REPO_NAME", "tank");

        CommandRun forgotten = updateCheck(env, "--forget-bad", "v1.1.0");
        CommandRun again = updateCheck(env, "--forget-bad", "v1.1.0");

        assertThat(forgotten.code()).as("%s", forgotten).isZero();
        assertThat(forgotten.outLines()).containsExactly("v1.1.0 may be installed again (it was marked bad at"
                + " 2023-11-14T22:13:20Z: it exited 78 (a configuration error) on start 1)");
        assertThat(Files.readString(releases.resolve("bad-versions"))).isEmpty();
        assertThat(again.code()).isEqualTo(69);
        assertThat(again.errLines()).containsExactly("update-check: forget-bad: v1.1.0 is not marked bad in "
                + releases.resolve("bad-versions"));
    }

    @Test
    void applyWhileAnotherUpdateHoldsTheLockExits75() throws Exception {
        repos.commit("version 2");
        try (var lock = io.sensorreader.core.UpdateLock.tryAcquire(dir.resolve("data")).orElseThrow()) {
            CommandRun run = updateCheck(env(), "--apply");

            assertThat(run.code()).as("%s", run).isEqualTo(75);
            assertThat(run.errLines()).containsExactly("update-check: another update is in progress (the agent's own"
                    + " round, or another update-check --apply); try again in a few minutes");
        }
    }

    @Test
    void applyAndForgetBadTogetherAreAUsageError() {
        CommandRun run = updateCheck(env(), "--apply", "--forget-bad", "v1");

        assertThat(run.code()).isEqualTo(64);
    }

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of(Map.of(), dir, "update-check", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--apply", "--strategy", "Exit codes:");
        assertThat(List.of(0, 10, 64, 69, 70, 75, 78)).allSatisfy(code -> assertThat(run.out())
                .containsPattern("(?m)^\\s+" + code + "\\s"));
    }
}
