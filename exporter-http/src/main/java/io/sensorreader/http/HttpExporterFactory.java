package io.sensorreader.http;

import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.PluginConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http} exporter: the collector client. Reads {@code SENSOR_READER_COLLECTOR_HOST}
 * (default {@code http://localhost:3000}), {@code SENSOR_READER_HTTP_CONNECT_TIMEOUT} (default 5 s)
 * and {@code SENSOR_READER_HTTP_REQUEST_TIMEOUT} (default 10 s).
 */
public final class HttpExporterFactory implements ExporterFactory {

    private static final Logger LOG = LoggerFactory.getLogger(HttpExporterFactory.class);

    static final String CONNECT_TIMEOUT = "HTTP_CONNECT_TIMEOUT";
    static final String REQUEST_TIMEOUT = "HTTP_REQUEST_TIMEOUT";

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Exporter create(ExporterContext context) {
        PluginConfig settings = context.settings();
        CollectorEndpoint endpoint = CollectorEndpoint.from(settings);
        Duration connect = timeout(settings, CONNECT_TIMEOUT, Duration.ofSeconds(5));
        Duration request = timeout(settings, REQUEST_TIMEOUT, Duration.ofSeconds(10));
        if (endpoint.cleartextOffLoopback()) {
            LOG.warn("{} is {}: the device token travels unencrypted to another machine; use https:// unless this network is trusted",
                    settings.nameOf(CollectorEndpoint.KEY), endpoint);
        }
        CollectorClient client = new CollectorClient(endpoint, connect, request, "sensor-reader/" + context.agentVersion());
        return new HttpExporter(client, context.tokens(), context.clock());
    }

    private static Duration timeout(PluginConfig settings, String key, Duration fallback) {
        Duration d = settings.getDuration(key, fallback);
        if (d.toMillis() < 100 || d.compareTo(Duration.ofMinutes(5)) > 0) {
            throw settings.invalid(key, "a duration from 100ms to 5m, e.g. 10s");
        }
        return d;
    }
}
