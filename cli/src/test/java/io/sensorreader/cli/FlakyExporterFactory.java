package io.sensorreader.cli;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.Registrar;
import io.sensorreader.http.HttpExporterFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test exporter, {@code EXPORTERS=flaky}: the http exporter, except that its first
 * {@link #THROW_FIRST} deliveries throw an {@link Error} (as a buggy plugin might), and it records
 * the thread of every call. As a tap ({@code EXPORTERS=http,flaky}) it throws on every call.
 */
public final class FlakyExporterFactory implements ExporterFactory {

    /** How many deliveries throw before the http exporter takes over. */
    static final AtomicInteger THROW_FIRST = new AtomicInteger();
    /** The threads deliveries ran on. */
    static final List<String> THREADS = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public Exporter create(ExporterContext context) {
        Exporter http = new HttpExporterFactory().create(context);
        return new Exporter() {
            @Override
            public Delivery deliver(Batch batch) {
                THREADS.add(Thread.currentThread().getName());
                if (THROW_FIRST.getAndDecrement() > 0) {
                    throw new AssertionError("flaky exporter bug");
                }
                return http.deliver(batch);
            }

            @Override
            public Optional<Registrar> registrar() {
                return http.registrar();
            }

            @Override
            public String destination() {
                return http.destination();
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }
}
