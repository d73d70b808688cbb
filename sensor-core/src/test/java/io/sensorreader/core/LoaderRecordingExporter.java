package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** See {@link LoaderRecordingExporterFactory}. */
public final class LoaderRecordingExporter implements Exporter {

    private final Path log;

    LoaderRecordingExporter(Path log) {
        this.log = log;
    }

    static synchronized void record(Path log, String call) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Files.writeString(log, call + " " + (loader == null ? "none" : loader.getName()) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Delivery deliver(Batch batch) {
        record(log, "deliver " + batch.kind().label());
        return new Delivered(201);
    }

    @Override
    public String destination() {
        return "loader-recorder";
    }

    @Override
    public void close() {
        record(log, "close");
    }
}
