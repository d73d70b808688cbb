package io.sensorreader.api;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the agent offers sensor factories at start-up. One context per run, shared by every
 * factory; not for use on the sampling thread.
 */
public interface SensorContext {

    /** This device's id ({@code SENSOR_READER_DEVICE_ID}). */
    String deviceId();

    /** The agent's {@code SENSOR_READER_*} settings, e.g. {@code LIVE_SENSORS_ENABLED}, {@code DEVICE_TYPE}. */
    PluginConfig settings();

    /** The clock every sensor should use; tests pass a controllable one. */
    Clock clock();

    /**
     * A resource shared by several sensors of a plugin (a Pi4J context, a pin registry), made on
     * first request and closed by the agent after every sensor, at shutdown.
     *
     * @param key unique to the plugin, e.g. {@code "io.sensorreader.gpio.board"}
     * @param creator called at most once per key
     * @throws ClassCastException when two plugins use one key for different types
     */
    <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> creator);

    /**
     * The device's pins and buses, shared with every other sensor (see {@link Board}). Opened on the
     * first call, at start-up; the same board for every call.
     *
     * @throws SensorReadException when the agent has no GPIO support installed or the hardware cannot
     *     be opened; the message says the fix
     */
    Board board() throws SensorReadException;
}
