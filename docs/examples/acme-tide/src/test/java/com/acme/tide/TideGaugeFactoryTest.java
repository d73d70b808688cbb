package com.acme.tide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorreader.api.Board;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorReadException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TideGaugeFactoryTest {

    /** Three hours into a 12-hour tide: a quarter period, the high water. */
    private static final Clock QUARTER = Clock.fixed(Instant.ofEpochSecond(3 * 3600), ZoneOffset.UTC);

    private static SensorContext context(Clock clock) {
        return new SensorContext() {
            @Override
            public String deviceId() {
                return "test-device";
            }

            @Override
            public PluginConfig settings() {
                return PluginConfig.of("settings", Map.of());
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<? extends T> creator) {
                return creator.get();
            }

            @Override
            public Board board() throws SensorReadException {
                throw new SensorReadException("no board in this test");
            }
        };
    }

    private static PluginConfig section(Map<String, Object> values) {
        return PluginConfig.forSensor("sensor_config.yaml", values);
    }

    @Test
    void readsHighWaterAQuarterPeriodIn() throws Exception {
        Sensor tide = new TideGaugeFactory().create(section(Map.of("id", "harbour", "type", "acme-tide",
                "level", 1.5, "amplitude", 0.8, "period", "12h")), context(QUARTER));

        assertEquals("FloatSensor", tide.type());
        assertEquals(2.3, tide.read().value(), 1e-9);
        assertEquals("m", tide.read().unit());
    }

    @Test
    void refusesNegativeAmplitudeNamingSensorAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new TideGaugeFactory().create(
                section(Map.of("id", "harbour", "type", "acme-tide", "amplitude", -1)), context(QUARTER)));

        assertEquals("sensor_config.yaml: sensor 'harbour' (acme-tide): amplitude is '-1'; expected metres, 0 or more",
                e.getMessage());
    }
}
