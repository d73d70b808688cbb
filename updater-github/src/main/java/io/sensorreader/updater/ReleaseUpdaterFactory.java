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
 * The {@code release} update strategy: installs a GitHub release's distribution into the release
 * root beside the running one and switches to it; the stable launcher confirms or rolls it back.
 */
public final class ReleaseUpdaterFactory implements UpdaterFactory {

    @Override
    public String name() {
        return "release";
    }

    @Override
    public Updater create(UpdaterContext context) {
        PluginConfig settings = context.settings();
        GitHubApi api = GitHubSettings.api(settings, context.clock());
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
        Optional<String> pin = Optional.empty();
        if (settings.has("REPO_PIN")) {
            String tag = settings.requireString("REPO_PIN").strip();
            if (!InstallRoot.TAG.matcher(tag).matches()) {
                throw settings.invalid("REPO_PIN", "a release tag such as v1.2.0");
            }
            pin = Optional.of(tag);
        }
        int healthSeconds = settings.getInt("UPDATE_HEALTH_SECONDS", 300, 10, 86_400, "whole seconds from 10 to 86400");
        int maxStarts = settings.getInt("UPDATE_MAX_STARTS", 3, 1, 100, "a number of starts from 1 to 100");
        int maxMegabytes = settings.getInt("UPDATE_MAX_DOWNLOAD_MB", 200, 1, 4096, "whole megabytes from 1 to 4096");
        String deviceId = settings.getString("DEVICE_ID", "sensor-reader");
        ReleaseUpdater.Options options = new ReleaseUpdater.Options(owner, name, tagPattern, pin, ReleaseKey.from(settings),
                settings.getString("RELEASE_ROOT", null), context.installDir(), context.agentVersion(), deviceId,
                Duration.ofSeconds(healthSeconds), maxStarts, maxMegabytes * 1024L * 1024L);
        return new ReleaseUpdater(api, GitHubSettings.credentials(context, api), options, context.clock());
    }
}
