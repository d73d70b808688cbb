package io.sensorreader.updater;

import io.sensorreader.api.ManualClock;
import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubAppTest {

    private static KeyPair keys;
    private static KeyPair otherKeys;

    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private FakeGitHub github;

    @BeforeAll
    static void makeKeys() {
        keys = TestKeys.generate();
        otherKeys = TestKeys.generate();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private GitHubApp app(KeyPair signingKeys) throws Exception {
        github = new FakeGitHub((RSAPublicKey) keys.getPublic(), "12345", "acme", "tank", clock);
        return new GitHubApp("12345", (RSAPrivateKey) signingKeys.getPrivate(), "acme", "tank",
                new GitHubApi(github.uri(), Duration.ofSeconds(5)), clock);
    }

    @Test
    void getsInstallationTokenWithJwtSignedByTheAppKey() throws Exception {
        GitHubApp app = app(keys);

        Secret token = app.token().orElseThrow();

        assertThat(github.issuedTokens()).containsExactly(token.reveal());
        assertThat(github.requests).containsExactly("GET /repos/acme/tank/installation",
                "POST /app/installations/" + FakeGitHub.INSTALLATION + "/access_tokens");
        DecodedJWT jwt = JWT.decode(github.lastJwt);
        assertThat(jwt.getAlgorithm()).isEqualTo("RS256");
        assertThat(jwt.getIssuer()).isEqualTo("12345");
        assertThat(jwt.getIssuedAtAsInstant()).isEqualTo(clock.instant().minusSeconds(60));
        assertThat(jwt.getExpiresAtAsInstant()).isBefore(clock.instant().plus(Duration.ofMinutes(10)).plusSeconds(1));
    }

    @Test
    void keepsTokenUntilShortlyBeforeItExpiresThenRenewsIt() throws Exception {
        GitHubApp app = app(keys);
        Secret first = app.token().orElseThrow();

        clock.advance(Duration.ofMinutes(54));
        assertThat(app.token()).contains(first);
        assertThat(github.tokenRequests).hasValue(1);

        clock.advance(Duration.ofMinutes(2));
        Secret second = app.token().orElseThrow();

        assertThat(second).isNotEqualTo(first);
        assertThat(github.tokenRequests).hasValue(2);
        assertThat(github.requests).filteredOn(r -> r.endsWith("/installation")).hasSize(1);
    }

    @Test
    void wrongKeyIsRefusedWithAdvice() throws Exception {
        GitHubApp app = app(otherKeys);

        assertThatThrownBy(app::token)
                .isInstanceOf(UpdateException.class)
                .hasMessage("auth: GET /repos/acme/tank/installation answered 401 ('Issuer' claim or signature is invalid); "
                        + "GitHub refused the app's JWT: check that SENSOR_READER_GITHUB_APP_PEM_PATH is the private key of app 12345 "
                        + "(SENSOR_READER_GITHUB_APP_ID) and that the device's clock is right");
    }

    @Test
    void appNotInstalledOnRepositoryIsExplained() throws Exception {
        github = new FakeGitHub((RSAPublicKey) keys.getPublic(), "12345", "acme", "tank", clock);
        GitHubApp app = new GitHubApp("12345", (RSAPrivateKey) keys.getPrivate(), "acme", "other",
                new GitHubApi(github.uri(), Duration.ofSeconds(5)), clock);

        assertThatThrownBy(app::token)
                .hasMessage("auth: GET /repos/acme/other/installation answered 404 (Not Found); the GitHub App 12345 is not "
                        + "installed on acme/other: install it there with repository permission contents: read");
    }

    @Test
    void unreachableApiIsAnUpdateExceptionForTheNextRound() throws Exception {
        GitHubApp app = app(keys);
        github.close();

        assertThatThrownBy(app::token)
                .isInstanceOf(UpdateException.class)
                .hasMessageStartingWith("auth: GET /repos/acme/tank/installation at " + github.uri() + "/ failed: ")
                .hasMessageEndingWith("; will try again next round");
    }
}
