package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.Updater;
import io.sensorreader.api.agent.UpdaterContext;
import io.sensorreader.api.agent.UpdaterFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Finds the update strategy ({@code SENSOR_READER_UPDATE_STRATEGY}, default {@code git}) among the
 * installed plugins and creates it; for {@code run}'s schedule and for {@code update-check}.
 */
public final class Updates {

    /** The system property the launcher sets to the distribution's folder. */
    public static final String HOME_PROPERTY = "sensor.reader.home";

    private Updates() {
    }

    /**
     * @param strategy the strategy to use, or {@code null} for the setting
     * @throws ConfigProblems when the strategy is not installed or its settings are wrong
     */
    public static Updater create(Settings settings, Plugins plugins, String version, Clock clock, String strategy) {
        String name = strategy != null ? strategy : settings.view().getString("UPDATE_STRATEGY", "git");
        UpdaterFactory factory = plugins.updaterFactories().get(name);
        if (factory == null) {
            String installed = String.join(", ", plugins.updaterFactories().keySet());
            throw new ConfigProblems(List.of(strategy != null
                    ? "--strategy is '" + strategy + "'; expected one of: " + installed
                    : settings.view().invalid("UPDATE_STRATEGY", "one of: " + installed).getMessage()));
        }
        Path home = installDir(settings);
        UpdaterContext context = new UpdaterContext() {
            @Override
            public PluginConfig settings() {
                return settings.view();
            }

            @Override
            public Path installDir() {
                return home;
            }

            @Override
            public Path dataDir() {
                return settings.dataDir();
            }

            @Override
            public String agentVersion() {
                return version;
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
        try {
            return plugins.call(factory, () -> factory.create(context));
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
    }

    /** Where the running distribution lives: the launcher says so; else the working directory. */
    static Path installDir(Settings settings) {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? settings.workingDir() : Path.of(home);
    }
}
