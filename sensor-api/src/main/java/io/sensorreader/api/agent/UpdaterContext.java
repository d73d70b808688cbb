package io.sensorreader.api.agent;

import io.sensorreader.api.PluginConfig;

import java.nio.file.Path;
import java.time.Clock;

/** What the agent offers an updater. */
public interface UpdaterContext {

    /** The agent's {@code SENSOR_READER_*} settings ({@code GITHUB_APP_ID}, {@code REPO_BRANCH}, ...). */
    PluginConfig settings();

    /** Where the running distribution is installed (the folder holding {@code bin/} and {@code lib/}). */
    Path installDir();

    /** {@code SENSOR_READER_DATA_DIR}, for state the updater keeps (e.g. versions known to be bad). */
    Path dataDir();

    /** The running agent's version. */
    String agentVersion();

    /** The clock. */
    Clock clock();
}
