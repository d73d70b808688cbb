package io.sensorreader.lmdb;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolFactory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The durable spool on LMDB, at {@code <SENSOR_READER_DATA_DIR>/data.lmdb}, where the Python agent
 * kept its own: its leftover batches are delivered first, with no migration step.
 *
 * <p>Reads {@code SPOOL_MAX_MB} (default 256): the most the spool may use on disk, dead letters
 * and LMDB's own pages included.
 */
public final class LmdbSpoolFactory implements SpoolFactory {

    /** The default of {@code SENSOR_READER_SPOOL_MAX_MB}, also the Python agent's map size. */
    public static final int DEFAULT_MAX_MB = 256;
    /** The upper bound of the setting: the map must fit in a 32-bit Pi's address space. */
    static final int LIMIT_MAX_MB = 1024;

    @Override
    public String name() {
        return "lmdb";
    }

    @Override
    public void validate(PluginConfig settings) {
        maxMb(settings);
    }

    @Override
    public Spool open(Path dataDir, PluginConfig settings, Clock clock) throws SpoolException {
        return LmdbSpool.open(dataDir, maxMb(settings) * 1024L * 1024L, clock);
    }

    private static int maxMb(PluginConfig settings) {
        return settings.getInt("SPOOL_MAX_MB", DEFAULT_MAX_MB, 1, LIMIT_MAX_MB,
                "whole megabytes between 1 and " + LIMIT_MAX_MB);
    }
}
