package io.sensorreader.gpio;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Plausible signals for the mock platform, so that a laptop shows readings that move: a float that
 * changes level every few minutes, an S0 meter at a few hundred watts with noise, pressure
 * transducers whose voltage drifts slowly. Each signal is a function of the clock (and, for the
 * noise, of a generator seeded from the sensor id), made at read time: no thread, and repeatable
 * under a fixed clock.
 */
final class SignalGenerators implements Simulation {

    /** Beyond this many pulses in one step (a laptop that slept for days) the rest are dropped. */
    private static final long MAX_PULSES_PER_STEP = 100_000;

    private final Clock clock;

    SignalGenerators(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Stimulus floatLevel(String sensorId, MockDigitalInput input) {
        // Between 2 and 6 minutes per level, and an offset, so that two floats do not flip together.
        long period = 120 + Math.floorMod(sensorId.hashCode(), 5) * 60L;
        long offset = Math.floorMod(sensorId.hashCode() * 31L, period * 2);
        return now -> {
            boolean up = Math.floorDiv(now.getEpochSecond() + offset, period) % 2 == 0;
            // Up closes a normally-open switch, which pulls the line low.
            input.mockState(up ? DigitalState.LOW : DigitalState.HIGH);
        };
    }

    @Override
    public Stimulus pulses(String sensorId, MockDigitalInput input, int pulsesPerKwh) {
        return new PulseTrain(sensorId, input, pulsesPerKwh, clock.instant());
    }

    @Override
    public double volts(int bus, int address, int channel) {
        // A transducer between 1.0 and 3.0 V (a quarter to three quarters of its range), one slow
        // wave per input, seen through the default 10k/33k divider.
        double seconds = clock.millis() / 1000.0;
        double period = 600 + 120 * channel;
        double sensorVolts = 2.0 + Math.sin(2 * Math.PI * seconds / period + channel) + 0.01 * Math.sin(seconds);
        return sensorVolts * PressureSensorFactory.DEFAULT_DIVIDER;
    }

    /** A household load: a base, a slow swing, and noise; the pulses due are fired on demand. */
    private static final class PulseTrain implements Stimulus {

        private final MockDigitalInput input;
        private final int pulsesPerKwh;
        private final Random noise;
        private final double baseWatts;
        private Instant last;
        private double owed;

        PulseTrain(String sensorId, MockDigitalInput input, int pulsesPerKwh, Instant start) {
            this.input = input;
            this.pulsesPerKwh = pulsesPerKwh;
            this.noise = new Random(sensorId.hashCode());
            this.baseWatts = 250 + Math.floorMod(sensorId.hashCode(), 200);
            this.last = start;
        }

        @Override
        public synchronized void advance(Instant now) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            if (seconds <= 0) {
                return;
            }
            Instant from = last;
            last = now;
            double minutes = now.toEpochMilli() / 60_000.0;
            double watts = Math.max(0, baseWatts + 80 * Math.sin(2 * Math.PI * minutes / 20)
                    + 40 * noise.nextGaussian());
            double perSecond = watts * pulsesPerKwh / EnergyMeter.JOULES_PER_KWH;
            double due = owed + perSecond * seconds;
            long whole = (long) Math.min(Math.floor(due), MAX_PULSES_PER_STEP);
            // The pulses are spread over the step at the step's rate, each at its own instant.
            for (long k = 1; k <= whole; k++) {
                double at = Math.min(seconds, (k - owed) / perSecond);
                Stimulus.at(from.plusNanos((long) (at * 1e9)), () -> {
                    input.mockState(DigitalState.LOW);
                    input.mockState(DigitalState.HIGH);
                });
            }
            owed = Math.min(due - whole, 1.0);
        }
    }
}
