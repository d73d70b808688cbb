package io.sensorreader.updater;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.agent.UpdaterContext;
import io.sensorreader.api.agent.UpdaterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactoriesTest {

    @TempDir
    Path dir;

    @Test
    void bothStrategiesAreFoundAndWorkWithoutCredentials() {
        Map<String, UpdaterFactory> factories = new TreeMap<>();
        ServiceLoader.load(UpdaterFactory.class).forEach(f -> factories.put(f.name(), f));
        UpdaterContext context = context(Map.of("GITHUB_REPO_OWNER", "acme", "GITHUB_REPO_NAME", "tank"));

        assertThat(factories).containsOnlyKeys("git", "release");
        assertThat(factories.get("git").create(context)).isInstanceOf(GitUpdater.class);
        assertThat(factories.get("release").create(context)).isInstanceOf(ReleaseUpdater.class);
    }

    @Test
    void badReleaseSettingsNameTheKey() {
        assertThatThrownBy(() -> new ReleaseUpdaterFactory().create(context(Map.of("GITHUB_REPO_NAME", "tank"))))
                .hasMessage("SENSOR_READER_GITHUB_REPO_OWNER is missing; expected the GitHub account that owns the repository, "
                        + "whose releases are installed");
        assertThatThrownBy(() -> new ReleaseUpdaterFactory().create(context(Map.of("GITHUB_REPO_OWNER", "acme",
                "GITHUB_REPO_NAME", "tank", "REPO_PIN", "../x"))))
                .hasMessageContaining("SENSOR_READER_REPO_PIN").hasMessageContaining("a release tag such as v1.2.0");
        assertThatThrownBy(() -> new ReleaseUpdaterFactory().create(context(Map.of("GITHUB_REPO_OWNER", "acme",
                "GITHUB_REPO_NAME", "tank", "RELEASE_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))))
                .hasMessageContaining("SENSOR_READER_RELEASE_PUBLIC_KEY").hasMessageContaining("an Ed25519 public key in PEM");
    }

    private UpdaterContext context(Map<String, String> values) {
        PluginConfig settings = new MapConfig("", "SENSOR_READER_", values);
        return new UpdaterContext() {
            @Override
            public PluginConfig settings() {
                return settings;
            }

            @Override
            public Path installDir() {
                return dir;
            }

            @Override
            public Path dataDir() {
                return dir;
            }

            @Override
            public String agentVersion() {
                return "1.0.0";
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }
}
