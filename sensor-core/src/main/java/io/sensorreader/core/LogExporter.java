package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs batches; see {@link LogExporterFactory}. */
final class LogExporter implements Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(LogExporter.class);

    @Override
    public Delivery deliver(Batch batch) {
        LOG.info("{} {}", batch.kind().label(), batch.toJson());
        return new Delivered(0);
    }

    @Override
    public String destination() {
        return "log";
    }
}
