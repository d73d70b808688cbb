package io.sensorreader.updater;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A GitHub App acting on one repository: signs its JWT (RS256, {@code iss} = app id, issued 60 s
 * in the past, valid 9 minutes), looks up the installation for the repository once, and keeps the
 * installation token until {@link #RENEW_BEFORE} before its {@code expires_at}. Thread-safe.
 */
final class GitHubApp implements Credentials {

    /** Renew this long before GitHub's expiry, so that a token never dies during a fetch or download. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(GitHubApp.class);

    private final String appId;
    private final Algorithm algorithm;
    private final String owner;
    private final String repo;
    private final GitHubApi api;
    private final Clock clock;

    private Long installationId;
    private Secret token;
    private Instant renewAt = Instant.MIN;

    GitHubApp(String appId, RSAPrivateKey key, String owner, String repo, GitHubApi api, Clock clock) {
        this.appId = appId;
        this.algorithm = Algorithm.RSA256(null, key);
        this.owner = owner;
        this.repo = repo;
        this.api = api;
        this.clock = clock;
    }

    /** The app's JWT, fresh each time. */
    String jwt() {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(appId)
                .withIssuedAt(now.minusSeconds(60))
                .withExpiresAt(now.plus(Duration.ofMinutes(9)))
                .sign(algorithm);
    }

    @Override
    public synchronized Optional<Secret> token() throws UpdateException {
        Instant now = clock.instant();
        if (token != null && now.isBefore(renewAt)) {
            return Optional.of(token);
        }
        long id = installation();
        JsonNode answer;
        try {
            answer = api.call("auth", "POST", "/app/installations/" + id + "/access_tokens", "Bearer " + jwt());
        } catch (GitHubApi.GitHubStatusException e) {
            if (e.status() == 404) {
                installationId = null;
            }
            throw refused(e);
        }
        if (!answer.hasNonNull("token") || !answer.hasNonNull("expires_at")) {
            throw new UpdateException("auth", "POST /app/installations/" + id + "/access_tokens answered without token and expires_at");
        }
        Instant expires;
        try {
            expires = Instant.parse(answer.get("expires_at").asText());
        } catch (DateTimeParseException e) {
            throw new UpdateException("auth", "GitHub's expires_at '" + answer.get("expires_at").asText() + "' is not a timestamp", e);
        }
        token = Secret.of(answer.get("token").asText());
        renewAt = expires.minus(RENEW_BEFORE);
        LOG.info("GitHub installation token {} for {}/{} valid until {}", token.fingerprint(), owner, repo, expires);
        return Optional.of(token);
    }

    @Override
    public synchronized void forget(Secret refused) {
        if (token != null && token.reveal().equals(refused.reveal())) {
            LOG.warn("GitHub refused installation token {} for {}/{} before its expiry (revoked?); asking for a new one",
                    token.fingerprint(), owner, repo);
            token = null;
            renewAt = Instant.MIN;
        }
    }

    private long installation() throws UpdateException {
        if (installationId == null) {
            JsonNode answer;
            try {
                answer = api.call("auth", "GET", "/repos/" + owner + "/" + repo + "/installation", "Bearer " + jwt());
            } catch (GitHubApi.GitHubStatusException e) {
                throw refused(e);
            }
            if (!answer.hasNonNull("id") || !answer.get("id").canConvertToLong()) {
                throw new UpdateException("auth", "GET /repos/" + owner + "/" + repo + "/installation answered without an id");
            }
            installationId = answer.get("id").asLong();
        }
        return installationId;
    }

    private UpdateException refused(GitHubApi.GitHubStatusException e) {
        if (e.rateLimited()) {
            return new UpdateException("auth", e.getMessage().substring("auth: ".length())
                    + "; nothing to fix: the next check waits until then", e);
        }
        String advice = switch (e.status()) {
            case 401 -> "; GitHub refused the app's JWT: check that SENSOR_READER_GITHUB_APP_PEM_PATH is the private key of app "
                    + appId + " (SENSOR_READER_GITHUB_APP_ID) and that the device's clock is right";
            case 404 -> "; the GitHub App " + appId + " is not installed on " + owner + "/" + repo
                    + ": install it there with repository permission contents: read";
            case 403 -> "; the GitHub App " + appId + " may not do this: give it repository permission contents: read";
            default -> "";
        };
        String message = e.getMessage().substring("auth: ".length());
        return new UpdateException("auth", message + advice, e);
    }
}
