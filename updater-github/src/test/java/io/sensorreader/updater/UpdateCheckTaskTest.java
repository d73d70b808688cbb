package io.sensorreader.updater;

import io.sensorreader.api.agent.MapConfig;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import io.sensorreader.api.agent.UpdaterContext;
import io.sensorreader.api.agent.UpdaterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateCheckTaskTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(Updater updater, boolean apply) {
        return new UpdateCheckTask(updater, new PrintWriter(out), new PrintWriter(err)).run(apply);
    }

    private static Updater answering(UpdateCheck check, UpdateResult result) {
        return new Updater() {
            @Override
            public UpdateCheck check() {
                return check;
            }

            @Override
            public UpdateResult apply(Progress progress) {
                progress.step("fetching main");
                return result;
            }
        };
    }

    @Test
    void upToDateExitsZero() {
        assertThat(run(answering(new UpdateCheck("abc", "abc", false), null), false)).isZero();
        assertThat(out.toString()).isEqualTo("running:   abc\navailable: abc\nup to date\n");
    }

    @Test
    void availableUpdateExitsTen() {
        assertThat(run(answering(new UpdateCheck("v1", "v2", true), null), false)).isEqualTo(10);
        assertThat(out.toString()).isEqualTo("running:   v1\navailable: v2\nan update is available; apply it with update-check --apply\n");
    }

    @Test
    void appliedUpdateExitsZeroAndSaysToRestart() {
        assertThat(run(answering(null, new UpdateResult(true, "v1", "v2", true)), true)).isZero();
        assertThat(out.toString()).isEqualTo("  fetching main\nrunning:   v1\navailable: v2\n"
                + "applied; restart the agent (systemctl restart sensor-reader) to run v2\n");
    }

    @Test
    void failedCheckExitsSixtyNineWithTheStep() {
        Updater failing = new Updater() {
            @Override
            public UpdateCheck check() throws UpdateException {
                throw new UpdateException("fetch", "git fetch exited 128");
            }

            @Override
            public UpdateResult apply(Progress progress) throws UpdateException {
                throw new UpdateException("build", "'make' exited 2");
            }
        };

        assertThat(run(failing, false)).isEqualTo(69);
        assertThat(run(failing, true)).isEqualTo(69);
        assertThat(err.toString()).isEqualTo("update-check: fetch: git fetch exited 128\nupdate-check: build: 'make' exited 2\n");
    }

    @Test
    void bothStrategiesAreFoundAndWorkWithoutCredentials() {
        Map<String, UpdaterFactory> factories = new java.util.TreeMap<>();
        ServiceLoader.load(UpdaterFactory.class).forEach(f -> factories.put(f.name(), f));
        UpdaterContext context = context(Map.of("GITHUB_REPO_OWNER", "acme", "GITHUB_REPO_NAME", "tank"));

        assertThat(factories).containsOnlyKeys("git", "release");
        assertThat(factories.get("git").create(context)).isInstanceOf(GitUpdater.class);
        assertThat(factories.get("release").create(context)).isInstanceOf(ReleaseUpdater.class);
    }

    @Test
    void releaseStrategyNeedsTheRepository() {
        assertThatThrownBy(() -> new ReleaseUpdaterFactory().create(context(Map.of("GITHUB_REPO_NAME", "tank"))))
                .hasMessage("SENSOR_READER_GITHUB_REPO_OWNER is missing; expected the GitHub account that owns the repository, "
                        + "whose releases are installed");
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
