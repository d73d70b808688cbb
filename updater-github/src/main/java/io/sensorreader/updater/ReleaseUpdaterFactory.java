package io.sensorreader.updater;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.Updater;
import io.sensorreader.api.agent.UpdaterContext;
import io.sensorreader.api.agent.UpdaterFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code release} update strategy: installs the newest GitHub release's distribution beside
 * the running one and switches to it, rolling back when it does not come up healthy.
 */
public final class ReleaseUpdaterFactory implements UpdaterFactory {

    @Override
    public String name() {
        return "release";
    }

    @Override
    public Updater create(UpdaterContext context) {
        PluginConfig settings = context.settings();
        GitHubApi api = GitHubSettings.api(settings);
        String owner = GitHubSettings.requireOwner(settings, "whose releases are installed");
        String name = GitHubSettings.requireName(settings, "whose releases are installed");
        Optional<Pattern> tagPattern = Optional.empty();
        if (settings.has("UPDATE_TAG_PATTERN")) {
            try {
                tagPattern = Optional.of(Pattern.compile(settings.requireString("UPDATE_TAG_PATTERN")));
            } catch (PatternSyntaxException e) {
                throw settings.invalid("UPDATE_TAG_PATTERN", "a regular expression matching whole tags, such as v1\\..*");
            }
        }
        int healthSeconds = settings.getInt("UPDATE_HEALTH_SECONDS", 300, 10, 86_400, "whole seconds from 10 to 86400");
        int maxStarts = settings.getInt("UPDATE_MAX_STARTS", 3, 1, 100, "a number of starts from 1 to 100");
        return new ReleaseUpdater(api, owner, name, tagPattern, GitHubSettings.credentials(context, api), context.installDir(),
                context.agentVersion(), Duration.ofSeconds(healthSeconds), maxStarts, context.clock());
    }
}
