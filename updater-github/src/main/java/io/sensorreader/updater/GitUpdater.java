package io.sensorreader.updater;

import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code git} strategy, as the Python agent did it: shallow-fetch the branch, compare with
 * {@code HEAD}, hard-reset, build, {@code git gc --prune=now}, restart. Differences: the token
 * reaches git only through its environment ({@code http.extraHeader} by {@code GIT_CONFIG_*}
 * variables), never through {@code .git/config} or the command line; a failed build resets the
 * checkout back to the commit that was running.
 */
final class GitUpdater implements Updater {

    private static final Logger LOG = LoggerFactory.getLogger(GitUpdater.class);
    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

    private final Path repoDir;
    private final String url;
    private final String branch;
    private final String buildCommand;
    private final Duration buildTimeout;
    private final Credentials credentials;
    private final Map<String, String> baseEnvironment;

    /**
     * @param baseEnvironment added to every program's inherited environment (tests isolate git with it)
     */
    GitUpdater(Path repoDir, String url, String branch, String buildCommand, Duration buildTimeout,
               Credentials credentials, Map<String, String> baseEnvironment) {
        this.repoDir = repoDir;
        this.url = url;
        this.branch = branch;
        this.buildCommand = buildCommand;
        this.buildTimeout = buildTimeout;
        this.credentials = credentials;
        this.baseEnvironment = Map.copyOf(baseEnvironment);
    }

    @Override
    public UpdateCheck check() throws UpdateException {
        String running = head("check");
        String available = fetch();
        return new UpdateCheck(running, available, !running.equals(available));
    }

    @Override
    public UpdateResult apply(Progress progress) throws UpdateException {
        String running = head("check");
        progress.step("fetching " + branch + " from " + Redact.url(url));
        String available = fetch();
        if (running.equals(available)) {
            progress.step("up to date at " + running);
            return new UpdateResult(false, running, running, false);
        }
        progress.step("resetting " + repoDir + " to " + available);
        Command.Outcome reset = git("reset", List.of("reset", "--hard", "--quiet", available), Optional.empty());
        if (!reset.ok()) {
            String back = resetBack(running);
            throw new UpdateException("reset", "git reset --hard " + available + " " + reset.describe(GIT_TIMEOUT) + back);
        }
        progress.step("building: " + buildCommand);
        Command.Outcome build = run("build", List.of("sh", "-c", buildCommand), plainEnvironment(), buildTimeout);
        if (!build.ok()) {
            String back = resetBack(running);
            throw new UpdateException("build", "'" + buildCommand + "' " + build.describe(buildTimeout) + back);
        }
        progress.step("git gc --prune=now");
        Command.Outcome gc = git("gc", List.of("gc", "--prune=now", "--quiet"), Optional.empty());
        if (!gc.ok()) {
            // The new version is built and in place; a failed gc only costs disk until the next round.
            LOG.warn("update: git gc --prune=now in {} {}", repoDir, gc.describe(GIT_TIMEOUT));
            progress.step("git gc failed (not fatal): " + gc.describe(GIT_TIMEOUT));
        }
        progress.step("updated " + running + " -> " + available + "; restart needed");
        return new UpdateResult(true, running, available, true);
    }

    private String resetBack(String running) {
        try {
            Command.Outcome back = git("rollback", List.of("reset", "--hard", "--quiet", running), Optional.empty());
            if (back.ok()) {
                return "; the checkout is back at " + running;
            }
            return "; resetting back to " + running + " failed too (" + back.describe(GIT_TIMEOUT)
                    + "): run git -C " + repoDir + " reset --hard " + running;
        } catch (UpdateException e) {
            return "; resetting back to " + running + " failed too (" + e.getMessage() + "): run git -C " + repoDir
                    + " reset --hard " + running;
        }
    }

    private String head(String step) throws UpdateException {
        Command.Outcome outcome = git(step, List.of("rev-parse", "--verify", "HEAD"), Optional.empty());
        if (!outcome.ok()) {
            throw new UpdateException(step, repoDir + " is not a git checkout with a commit (git rev-parse HEAD "
                    + outcome.describe(GIT_TIMEOUT) + "); set SENSOR_READER_REPO_DIR to the agent's checkout");
        }
        return outcome.output().strip();
    }

    private String fetch() throws UpdateException {
        Optional<Secret> token = credentials.token();
        String trackingRef = "refs/remotes/origin/" + branch;
        Command.Outcome fetch = git("fetch", List.of("fetch", "--depth=1", "--no-tags", "--quiet", url,
                "+refs/heads/" + branch + ":" + trackingRef), token);
        if (!fetch.ok()) {
            throw new UpdateException("fetch", "git fetch of branch " + branch + " from " + Redact.url(url) + " "
                    + fetch.describe(GIT_TIMEOUT) + "; will try again next round");
        }
        Command.Outcome rev = git("fetch", List.of("rev-parse", "--verify", trackingRef + "^{commit}"), Optional.empty());
        if (!rev.ok()) {
            throw new UpdateException("fetch", "branch " + branch + " fetched but " + trackingRef + " " + rev.describe(GIT_TIMEOUT));
        }
        return rev.output().strip();
    }

    private Command.Outcome git(String step, List<String> arguments, Optional<Secret> token) throws UpdateException {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add("git");
        command.addAll(arguments);
        Map<String, String> environment = plainEnvironment();
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("LC_ALL", "C");
        token.ifPresent(secret -> {
            String basic = Base64.getEncoder().encodeToString(
                    ("x-access-token:" + secret.reveal()).getBytes(StandardCharsets.UTF_8));
            environment.put("GIT_CONFIG_COUNT", "1");
            environment.put("GIT_CONFIG_KEY_0", "http.extraHeader");
            environment.put("GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
        });
        Command.Outcome outcome = run(step, command, environment, GIT_TIMEOUT);
        // git never prints the header, but a remote's error text is not ours to trust.
        return token.map(secret -> Redact.outcome(outcome, secret)).orElse(outcome);
    }

    private Command.Outcome run(String step, List<String> command, Map<String, String> environment, Duration timeout)
            throws UpdateException {
        try {
            return Command.run(command, repoDir, environment, timeout);
        } catch (IOException e) {
            throw new UpdateException(step, "cannot run " + command.getFirst() + " in " + repoDir + ": " + e.getMessage()
                    + (command.getFirst().equals("git") ? "; install git" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException(step, command.getFirst() + " was interrupted", e);
        }
    }

    private Map<String, String> plainEnvironment() {
        return new HashMap<>(baseEnvironment);
    }
}
