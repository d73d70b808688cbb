package io.sensorreader.updater;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories in a temp folder, as the git strategy meets them: a bare {@code origin},
 * a developer's clone {@code dev} that commits {@code version.txt} and pushes, and the device's
 * shallow clone {@code device}. Git runs without user or system configuration and with a fixed
 * identity. Shared with the cli's tests through this module's test-jar.
 */
public final class GitRepos {

    private final Map<String, String> env = new HashMap<>();
    private final Path origin;
    private final Path dev;
    private final Path device;

    private GitRepos(Path dir) throws IOException, InterruptedException {
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

    /** Makes the three repositories in {@code dir}, with "version 1" committed and cloned. */
    public static GitRepos create(Path dir) throws IOException, InterruptedException {
        return new GitRepos(dir);
    }

    /** The environment git runs with here (no user or system configuration). */
    public Map<String, String> env() {
        return env;
    }

    /** The bare repository the device fetches from. */
    public Path origin() {
        return origin;
    }

    /** The device's shallow clone. */
    public Path device() {
        return device;
    }

    /** Commits {@code version} as version.txt in the developer's clone and pushes it; its commit id. */
    public String commit(String version) throws IOException, InterruptedException {
        Files.writeString(dev.resolve("version.txt"), version + "\n");
        git(dev, "add", "version.txt");
        git(dev, "commit", "--quiet", "-m", version);
        git(dev, "push", "--quiet", "origin", "HEAD:main");
        return head(dev);
    }

    /** The commit checked out in {@code repo}. */
    public String head(Path repo) throws IOException, InterruptedException {
        return git(repo, "rev-parse", "HEAD");
    }

    /** Runs git in {@code where}; its output, stripped. Fails the test when git fails. */
    public String git(Path where, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output.strip();
    }
}
