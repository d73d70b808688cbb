package io.sensorreader.updater;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.Updater;
import io.sensorreader.api.agent.UpdaterContext;
import io.sensorreader.api.agent.UpdaterFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The {@code git} update strategy (the default): keeps the checkout at {@code REPO_DIR} on the
 * newest commit of {@code REPO_BRANCH}, rebuilding it with {@code UPDATE_BUILD_COMMAND}.
 */
public final class GitUpdaterFactory implements UpdaterFactory {

    /**
     * Builds the distribution with the wrapper, offline first (a device often has every dependency
     * already), online when the offline build misses one.
     */
    static final String DEFAULT_BUILD = "./mvnw -B -q -o -DskipTests -pl cli -am package"
            + " || ./mvnw -B -q -DskipTests -pl cli -am package";

    @Override
    public String name() {
        return "git";
    }

    @Override
    public Updater create(UpdaterContext context) {
        PluginConfig settings = context.settings();
        GitHubApi api = GitHubSettings.api(settings, context.clock());
        String url = settings.getString("REPO_URL", null);
        if (url == null) {
            url = "https://github.com/" + GitHubSettings.requireOwner(settings, "or SENSOR_READER_REPO_URL")
                    + "/" + GitHubSettings.requireName(settings, "or SENSOR_READER_REPO_URL") + ".git";
        }
        GitHubSettings.insecure(settings.has("REPO_URL") ? settings.nameOf("REPO_URL") : "the repository URL", url)
                .ifPresent(LoggerFactory.getLogger(GitUpdaterFactory.class)::warn);
        Path repoDir = Path.of(settings.getString("REPO_DIR", context.installDir().toString()));
        String branch = settings.getString("REPO_BRANCH", "main");
        if (branch.startsWith("-") || branch.contains("..") || branch.contains(" ")) {
            throw settings.invalid("REPO_BRANCH", "a branch name such as main");
        }
        String build = settings.getString("UPDATE_BUILD_COMMAND", DEFAULT_BUILD);
        Duration buildTimeout = settings.getDuration("UPDATE_BUILD_TIMEOUT", Duration.ofMinutes(30), ChronoUnit.MINUTES);
        return new GitUpdater(repoDir, url, branch, build, buildTimeout, GitHubSettings.credentials(context, api), Map.of());
    }
}
