package io.sensorreader.core;

import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import java.nio.file.Path;

/**
 * Exporter {@code loader-recorder}, for a plugin jar built at test time (not in this module's service
 * files): it writes which context class loader each of its calls ran with to the file
 * {@code SENSOR_READER_LOADER_LOG} names.
 */
public final class LoaderRecordingExporterFactory implements ExporterFactory {

    @Override
    public String name() {
        return "loader-recorder";
    }

    @Override
    public Exporter create(ExporterContext context) {
        Path log = Path.of(context.settings().requireString("LOADER_LOG"));
        LoaderRecordingExporter.record(log, "create");
        return new LoaderRecordingExporter(log);
    }
}
