package io.sensorreader.api.agent;

import io.sensorreader.api.ConfigException;

/**
 * Makes an update strategy ({@code git}, {@code release}). Found with ServiceLoader; needs a
 * public no-argument constructor.
 */
public interface UpdaterFactory {

    /** The strategy's name as written in {@code SENSOR_READER_UPDATE_STRATEGY}. */
    String name();

    /**
     * Builds the updater at start-up or for {@code update-check}.
     *
     * @throws ConfigException when a setting it needs is wrong
     */
    Updater create(UpdaterContext context);
}
