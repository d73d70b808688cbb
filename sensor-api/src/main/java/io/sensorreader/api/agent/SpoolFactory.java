package io.sensorreader.api.agent;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;

import java.nio.file.Path;
import java.time.Clock;

/** Opens the durable spool. Found with ServiceLoader; the agent uses the first one it finds. */
public interface SpoolFactory {

    /** The name, e.g. {@code lmdb}. */
    String name();

    /**
     * Checks the spool's settings without opening anything. Called at start-up, on the main thread,
     * so that a bad value stops the agent with exit 78 even where the agent opens the spool itself
     * in the background (opening a native store can take half a second on a Pi).
     *
     * @throws ConfigException for a wrong setting
     */
    default void validate(PluginConfig settings) {
    }

    /**
     * Opens (or creates) the spool in the data folder, at start-up. A store that cannot be opened
     * at all is moved aside with a timestamped name and a new one is made, with a loud error.
     *
     * @param dataDir {@code SENSOR_READER_DATA_DIR}
     * @param settings the agent's settings (e.g. {@code SPOOL_MAX_MB})
     * @throws ConfigException for a wrong setting
     * @throws SpoolException when not even a new store can be made
     */
    Spool open(Path dataDir, PluginConfig settings, Clock clock) throws SpoolException;
}
