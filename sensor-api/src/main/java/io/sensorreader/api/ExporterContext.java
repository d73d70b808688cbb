package io.sensorreader.api;

import java.time.Clock;

/** What the agent offers an exporter factory. */
public interface ExporterContext {

    /** The agent's {@code SENSOR_READER_*} settings (e.g. {@code COLLECTOR_HOST}). */
    PluginConfig settings();

    /** This device's id. */
    String deviceId();

    /** The token to send; asked on every request, since the agent renews it. */
    TokenSource tokens();

    /** The clock to use for deadlines and logs. */
    Clock clock();

    /** The agent's version, e.g. for a {@code User-Agent} header. */
    String agentVersion();
}
