package com.acme.tide;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import java.time.Duration;

/**
 * Type {@code acme-tide}: a simulated tide gauge. A section of the sensor file:
 * <pre>
 * - id: harbour_tide
 *   type: acme-tide
 *   description: Harbour tide gauge
 *   level: 1.5          # metres, the mean level
 *   amplitude: 0.8      # metres
 *   period: 12h         # one tide
 * </pre>
 */
public final class TideGaugeFactory implements SensorFactory {

    @Override
    public String name() {
        return "acme-tide";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) {
        double level = config.getDouble("level", 1.5);
        double amplitude = config.getDouble("amplitude", 0.8);
        if (amplitude < 0) {
            throw config.invalid("amplitude", "metres, 0 or more");
        }
        Duration period = config.getDuration("period", Duration.ofHours(12));
        if (period.isZero() || period.isNegative()) {
            throw config.invalid("period", "a duration such as 12h, longer than 0");
        }
        return new TideGauge(context.clock(), level, amplitude, period);
    }
}
