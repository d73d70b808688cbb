package io.sensorreader.updater;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.UpdaterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings both strategies share: the API, the repository and the GitHub App. Without the App
 * settings the updater still checks, without a token (public repositories), and says so once.
 */
final class GitHubSettings {

    static final String DEFAULT_API = "https://api.github.com";
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(GitHubSettings.class);

    private GitHubSettings() {
    }

    /**
     * The API client, with its deadlines: {@code UPDATE_DOWNLOAD_TIMEOUT} (total, default 10 min)
     * and {@code UPDATE_STALL_TIMEOUT} (no byte for that long, default 60 s) for downloads.
     */
    static GitHubApi api(PluginConfig settings, Clock clock) {
        String text = settings.getString("GITHUB_API_URL", DEFAULT_API);
        Duration total = settings.getDuration("UPDATE_DOWNLOAD_TIMEOUT", Duration.ofMinutes(10));
        Duration stall = settings.getDuration("UPDATE_STALL_TIMEOUT", Duration.ofSeconds(60));
        if (total.isNegative() || total.isZero() || stall.isNegative() || stall.isZero()) {
            throw settings.problem(settings.nameOf(total.isNegative() || total.isZero() ? "UPDATE_DOWNLOAD_TIMEOUT"
                    : "UPDATE_STALL_TIMEOUT") + " must be positive, e.g. 10m or 60s");
        }
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() != null && (uri.getScheme().equals("https") || uri.getScheme().equals("http")) && uri.getHost() != null) {
                insecure(settings.nameOf("GITHUB_API_URL"), text).ifPresent(LOG::warn);
                return new GitHubApi(uri, new GitHubApi.Deadlines(HTTP_TIMEOUT, HTTP_TIMEOUT),
                        new GitHubApi.Deadlines(total, stall), clock, GitHubApi.Pacing.REAL);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw settings.invalid("GITHUB_API_URL", "an http(s) URL such as " + DEFAULT_API + " or https://github.example.com/api/v3");
    }

    /**
     * The warning for a URL that travels unencrypted ({@code http://}, {@code git://}): the token
     * and what is installed could be read or changed on the way.
     */
    static Optional<String> insecure(String setting, String url) {
        String lower = url.strip().toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("git://")) {
            return Optional.of("update: " + setting + " is " + Redact.url(url) + ", which is not encrypted: the"
                    + " installation token and the code that is installed travel in the clear and can be read or"
                    + " changed on the way; use an https:// URL");
        }
        return Optional.empty();
    }

    static Optional<String> owner(PluginConfig settings) {
        return Optional.ofNullable(settings.getString("GITHUB_REPO_OWNER", null));
    }

    static Optional<String> name(PluginConfig settings) {
        return Optional.ofNullable(settings.getString("GITHUB_REPO_NAME", null));
    }

    static String requireOwner(PluginConfig settings, String why) {
        if (!settings.has("GITHUB_REPO_OWNER")) {
            throw settings.missing("GITHUB_REPO_OWNER", "the GitHub account that owns the repository, " + why);
        }
        return settings.requireString("GITHUB_REPO_OWNER");
    }

    static String requireName(PluginConfig settings, String why) {
        if (!settings.has("GITHUB_REPO_NAME")) {
            throw settings.missing("GITHUB_REPO_NAME", "the repository's name, " + why);
        }
        return settings.requireString("GITHUB_REPO_NAME");
    }

    /**
     * The GitHub App when every setting it needs is there; otherwise no token, with one warning.
     *
     * @throws ConfigException when the key file is unusable (missing, readable by others, encrypted)
     */
    static Credentials credentials(UpdaterContext context, GitHubApi api) {
        PluginConfig settings = context.settings();
        List<String> missing = new ArrayList<>();
        for (String key : List.of("GITHUB_APP_ID", "GITHUB_APP_PEM_PATH", "GITHUB_REPO_OWNER", "GITHUB_REPO_NAME")) {
            if (!settings.has(key)) {
                missing.add(settings.nameOf(key));
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("update: no GitHub App credentials ({} not set); checking without a token, which works for public repositories only",
                    String.join(", ", missing));
            return Credentials.NONE;
        }
        String appId = settings.requireString("GITHUB_APP_ID");
        if (!appId.matches("\\d+")) {
            throw settings.invalid("GITHUB_APP_ID", "the App ID (a number) from the GitHub App's settings page");
        }
        Path pem = Path.of(settings.requireString("GITHUB_APP_PEM_PATH"));
        return new GitHubApp(appId, AppKey.read(settings.nameOf("GITHUB_APP_PEM_PATH"), pem),
                settings.requireString("GITHUB_REPO_OWNER"), settings.requireString("GITHUB_REPO_NAME"), api, context.clock());
    }
}
