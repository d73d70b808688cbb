package io.sensorreader.cli;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.ExporterFactory;

/** A test exporter, {@code EXPORTERS=...,boom}: every delivery throws an {@link Error}; records its thread. */
public final class BoomExporterFactory implements ExporterFactory {

    @Override
    public String name() {
        return "boom";
    }

    @Override
    public Exporter create(ExporterContext context) {
        return new Exporter() {
            @Override
            public Delivery deliver(Batch batch) {
                FlakyExporterFactory.THREADS.add(Thread.currentThread().getName());
                throw new StackOverflowError("boom exporter bug");
            }

            @Override
            public String destination() {
                return "boom";
            }
        };
    }
}
