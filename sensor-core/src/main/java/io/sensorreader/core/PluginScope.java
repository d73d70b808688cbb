package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Secret;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorReadException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way into a plugin: every call runs with the plugin's class loader as the thread's context
 * class loader, restored afterwards whatever happens. {@link Plugins#call(Object, Supplier)} goes
 * through here for factories, and decorates what a factory makes: a {@link Sensor}, an
 * {@link Exporter} (and the {@link Registrar} it offers) come back wrapped, so the sampling loop and
 * the delivery code call them plainly and still run in the plugin's loader, on whatever thread they
 * use. Spools and updaters are the agent's own seams, loaded from its class path; they are not
 * decorated.
 */
final class PluginScope {

    private final ClassLoader loader;

    PluginScope(ClassLoader loader) {
        this.loader = loader;
    }

    /** The plugin's class loader. */
    ClassLoader loader() {
        return loader;
    }

    /** A call that may throw a checked exception of its own. */
    @FunctionalInterface
    interface Call<R, E extends Exception> {
        R call() throws E;
    }

    /** Runs {@code call} in the plugin's loader; its result is returned as it is (not decorated). */
    <R, E extends Exception> R run(Call<R, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs a factory's call in the plugin's loader and decorates a sensor or exporter it returns. */
    @SuppressWarnings("unchecked")
    <R> R call(Supplier<R> call) {
        R made = run(call::get);
        return (R) decorate(made);
    }

    private Object decorate(Object made) {
        if (made instanceof Sensor sensor && !(made instanceof ScopedSensor)) {
            return new ScopedSensor(this, sensor);
        }
        if (made instanceof Exporter exporter && !(made instanceof ScopedExporter)) {
            return new ScopedExporter(this, exporter);
        }
        return made;
    }

    /** A sensor whose every call runs in its plugin's loader. */
    static final class ScopedSensor implements Sensor {
        private final PluginScope scope;
        private final Sensor sensor;

        ScopedSensor(PluginScope scope, Sensor sensor) {
            this.scope = scope;
            this.sensor = sensor;
        }

        @Override
        public String type() {
            return scope.run(sensor::type);
        }

        @Override
        public Measurement read() throws SensorReadException {
            return scope.run(sensor::read);
        }

        @Override
        public void close() {
            scope.run(() -> {
                sensor.close();
                return null;
            });
        }

        @Override
        public String toString() {
            return sensor.toString();
        }
    }

    /** An exporter whose every call runs in its plugin's loader, including its registrar's. */
    static final class ScopedExporter implements Exporter {
        private final PluginScope scope;
        private final Exporter exporter;

        ScopedExporter(PluginScope scope, Exporter exporter) {
            this.scope = scope;
            this.exporter = exporter;
        }

        @Override
        public Delivery deliver(Batch batch) {
            return scope.run(() -> exporter.deliver(batch));
        }

        @Override
        public Optional<Registrar> registrar() {
            Optional<Registrar> registrar = scope.run(exporter::registrar);
            return registrar == null ? Optional.empty() : registrar.map(r -> new ScopedRegistrar(scope, r));
        }

        @Override
        public String destination() {
            return scope.run(exporter::destination);
        }

        @Override
        public void close() {
            scope.run(() -> {
                exporter.close();
                return null;
            });
        }

        @Override
        public String toString() {
            return exporter.toString();
        }
    }

    /** A registrar whose calls run in its plugin's loader. */
    record ScopedRegistrar(PluginScope scope, Registrar registrar) implements Registrar {
        @Override
        public Registration register(String deviceId, String description, Optional<Secret> previous) {
            return scope.run(() -> registrar.register(deviceId, description, previous));
        }
    }
}
