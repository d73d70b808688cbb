package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    Path origin;
    Path dev;
    Path device;
    /** For the test's own git commands: no user or system configuration, a fixed identity. */
    final Map<String, String> gitEnv = new HashMap<>();

    @BeforeEach
    void repositories() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        gitEnv.put("GIT_CONFIG_NOSYSTEM", "1");
        gitEnv.put("HOME", home.toString());
        gitEnv.put("XDG_CONFIG_HOME", home.toString());
        gitEnv.put("GIT_AUTHOR_NAME", "Test");
        gitEnv.put("GIT_AUTHOR_EMAIL", "test@example.com");
        gitEnv.put("GIT_COMMITTER_NAME", "Test");
        gitEnv.put("GIT_COMMITTER_EMAIL", "test@example.com");
        origin = dir.resolve("origin.git");
        dev = dir.resolve("dev");
        device = dir.resolve("device");
        git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
        git(dir, "clone", "--quiet", origin.toUri().toString(), dev.toString());
        commit("version 1");
        git(dir, "clone", "--quiet", "--depth=1", origin.toUri().toString(), device.toString());
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

    private String commit(String version) throws Exception {
        Files.writeString(dev.resolve("version.txt"), version + "\n");
        git(dev, "add", "version.txt");
        git(dev, "commit", "--quiet", "-m", version);
        git(dev, "push", "--quiet", "origin", "HEAD:main");
        return git(dev, "rev-parse", "HEAD");
    }

    private String git(Path where, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true);
        builder.environment().putAll(gitEnv);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output.strip();
    }

    @Test
    void upToDateCheckoutExits0() throws Exception {
        String head = git(device, "rev-parse", "HEAD");

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
        String running = git(device, "rev-parse", "HEAD");
        String available = commit("version 2");

        CommandRun run = updateCheck(env());

        assertThat(run.code()).as("%s", run).isEqualTo(10);
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "running:   " + running,
                "available: " + available,
                "an update is available; apply it with update-check --apply");
        assertThat(git(device, "rev-parse", "HEAD")).isEqualTo(running);
        assertThat(Files.readString(device.resolve("version.txt"))).isEqualTo("version 1\n");
    }

    @Test
    void strategyGitOnTheCommandLineWinsOverTheSetting() throws Exception {
        commit("version 2");

        CommandRun run = updateCheck(env("SENSOR_READER_UPDATE_STRATEGY", "release"), "--strategy", "git");

        assertThat(run.code()).as("%s", run).isEqualTo(10);
    }

    @Test
    void applyResetsAndBuildsTheNewCommitAndExits0() throws Exception {
        String running = git(device, "rev-parse", "HEAD");
        String available = commit("version 2");

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
        assertThat(git(device, "rev-parse", "HEAD")).isEqualTo(available);
        assertThat(Files.readString(device.resolve("built.txt"))).isEqualTo("version 2\n");
        assertThat(updateCheck(env()).code()).isZero();
    }

    @Test
    void applyOnAnUpToDateCheckoutDoesNothingAndExits0() throws Exception {
        String head = git(device, "rev-parse", "HEAD");

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
        String running = git(device, "rev-parse", "HEAD");
        commit("version 2");

        CommandRun run = updateCheck(env("SENSOR_READER_UPDATE_BUILD_COMMAND", "echo 'no compiler' >&2; exit 3"), "--apply");

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.errLines()).containsExactly("update-check: build: 'echo 'no compiler' >&2; exit 3' exited 3:"
                + " no compiler; the checkout is back at " + running);
        assertThat(git(device, "rev-parse", "HEAD")).isEqualTo(running);
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

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of(Map.of(), dir, "update-check", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--apply", "--strategy", "Exit codes:");
        assertThat(List.of(0, 10, 64, 69, 70, 78)).allSatisfy(code -> assertThat(run.out())
                .containsPattern("(?m)^\\s+" + code + "\\s"));
    }
}
