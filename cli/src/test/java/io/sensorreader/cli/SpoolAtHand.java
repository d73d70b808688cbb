package io.sensorreader.cli;

import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The spool of a data folder as the commands find it, opened through {@link Shipping} between two
 * runs (never during one: one environment per process), to fill it before and look into it after.
 */
final class SpoolAtHand {

    /** What a test does with the open spool. */
    @FunctionalInterface
    interface Use<T> {
        T apply(Spool spool) throws SpoolException;
    }

    private SpoolAtHand() {
    }

    static <T> T use(Map<String, String> env, Path workingDir, Clock clock, Use<T> use) throws SpoolException {
        Settings settings = Settings.load(env, Map.of(), workingDir, CommandRun.HOST);
        try (Shipping shipping = Shipping.open(settings, "test", clock, Shipping.Need.SPOOL)) {
            return use.apply(shipping.spool());
        }
    }

    static <T> T use(Map<String, String> env, Path workingDir, Use<T> use) throws SpoolException {
        return use(env, workingDir, Clock.systemUTC(), use);
    }

    /** One reading of a float switch, as the sampling loop makes it. */
    static SensorBatch floatBatch(String sensorId, double value, long timestamp) {
        return new SensorBatch(timestamp, List.of(new Reading(sensorId, "FloatSensor", "tank", value, null, timestamp, Map.of())));
    }
}
