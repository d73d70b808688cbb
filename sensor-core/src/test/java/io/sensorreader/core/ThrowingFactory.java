package io.sensorreader.core;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;

/** A provider whose constructor throws: discovery must report and skip it. */
public final class ThrowingFactory implements SensorFactory {

    public ThrowingFactory() {
        throw new IllegalStateException("cannot start: no licence");
    }

    @Override
    public String name() {
        return "throwing";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) {
        throw new UnsupportedOperationException();
    }
}
