package io.sensorreader.gpio;

import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Sensor;
import io.sensorreader.api.SensorContext;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.SensorReadException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Energy meters with an S0 pulse output on a GPIO input ({@code EnergyConsumptionSensor}); the
 * value is watts from the time between pulses (see {@link EnergyMeter}). Keys: {@code pin} (BCM), {@code pulses_per_kwh}
 * (default 1000), {@code debounce} (default 5ms; S0 pulses last at least 30 ms), {@code description}.
 */
public final class EnergyMeterFactory implements SensorFactory {

    static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(5);

    /** Needed by ServiceLoader. */
    public EnergyMeterFactory() {
    }

    @Override
    public java.util.Set<String> settingKeys() {
        return Board.SETTING_KEYS;
    }

    @Override
    public String name() {
        return "energy";
    }

    @Override
    public Sensor create(PluginConfig config, SensorContext context) throws SensorReadException {
        Board board = context.shared(Board.KEY, Board.class, () -> Board.open(context));
        int pin = board.claimPin(config, "pin");
        int pulsesPerKwh = config.getInt("pulses_per_kwh", 1000, 1, 1_000_000, "pulses per kWh, 1-1000000");
        Duration debounce = config.getDuration("debounce", DEFAULT_DEBOUNCE, ChronoUnit.MILLIS);
        Line input = board.openInput(config.sensorId(), pin, debounce);
        return new EnergyMeter(pulsesPerKwh, input,
                board.pulseStimulus(config.sensorId(), input, pulsesPerKwh), board.clock(), () -> {
                    input.close();
                    board.releasePin(pin);
                });
    }

    @Override
    public List<Map<String, Object>> defaultSections(String deviceId) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("id", deviceId + "-energy-1");
        section.put("type", name());
        section.put("description", "Simulated energy meter");
        section.put("pin", 27);
        // A 10,000 imp/kWh meter: at the simulated night load (about 150 W) a pulse comes every 2.4 s, so a
        // first dry run shows power after two pulses instead of after 48 s as on a 1,000 imp/kWh meter.
        section.put("pulses_per_kwh", 10000);
        return List.of(section);
    }
}
