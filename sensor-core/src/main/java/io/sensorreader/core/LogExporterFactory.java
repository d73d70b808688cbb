package io.sensorreader.core;

import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.ExporterFactory;

/**
 * The {@code log} exporter: logs each batch's request body at INFO and counts it delivered. Off
 * unless named in {@code SENSOR_READER_EXPORTERS} (e.g. {@code http,log}, as a tap).
 */
public final class LogExporterFactory implements ExporterFactory {

    @Override
    public String name() {
        return "log";
    }

    @Override
    public Exporter create(ExporterContext context) {
        return new LogExporter();
    }
}
