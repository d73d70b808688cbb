package io.sensorreader.gpio;

import io.sensorreader.gpio.Line.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;

/**
 * Plausible signals for simulated inputs, so that a first dry run shows readings that move:
 *
 * <ul>
 *   <li>a float in a tank that fills and empties: the first change comes 5-20 s after start, then
 *       the level stays 30-150 s each way;</li>
 *   <li>an S0 meter on a daily-looking household load: about 150 W at night, a morning and an
 *       evening peak (07:00-09:00, 18:00-22:00 in the clock's zone), an appliance of 0.5-2 kW about every
 *       half hour for one to three minutes, and noise; each pulse at its own instant;</li>
 *   <li>pressure transducers whose voltage drifts slowly.</li>
 * </ul>
 *
 * Everything random comes from generators seeded from {@code SENSOR_READER_SIMULATION_SEED} and the
 * sensor id, and is made at read time: no thread, and the same readings for the same seed, clock
 * and read times.
 */
final class SignalGenerators implements Simulation {

    /** Beyond this many pulses in one step (a laptop that slept for days) the rest are dropped. */
    private static final long MAX_PULSES_PER_STEP = 100_000;

    private final Clock clock;
    private final long seed;

    SignalGenerators(Clock clock, long seed) {
        this.clock = clock;
        this.seed = seed;
    }

    private Random random(String sensorId, long salt) {
        return new Random(seed * 0x9E3779B97F4A7C15L + sensorId.hashCode() * 31L + salt);
    }

    @Override
    public Stimulus floatLevel(String sensorId, Line.Driven input) {
        return new Tank(random(sensorId, 1), input, clock.instant());
    }

    @Override
    public Stimulus pulses(String sensorId, Line.Driven input, int pulsesPerKwh) {
        return new PulseTrain(random(sensorId, 2), input, pulsesPerKwh, clock.instant(), clock.getZone());
    }

    @Override
    public double volts(int bus, int address, int channel) {
        // A transducer between 1.0 and 3.0 V (a quarter to three quarters of its range), one slow
        // wave per input, seen through the default 10k/33k divider.
        double seconds = clock.millis() / 1000.0;
        double period = 600 + 120 * channel;
        double sensorVolts = 2.0 + Math.sin(2 * Math.PI * seconds / period + channel + seed % 7)
                + 0.01 * Math.sin(seconds);
        return sensorVolts * PressureSensorFactory.DEFAULT_DIVIDER;
    }

    /** A tank filling and emptying: the float changes level at seeded moments. */
    private static final class Tank implements Stimulus {

        private final Random random;
        private final Line.Driven input;
        private boolean up;
        private Instant nextChange;

        Tank(Random random, Line.Driven input, Instant start) {
            this.random = random;
            this.input = input;
            this.up = random.nextBoolean();
            this.nextChange = start.plusMillis(5_000 + random.nextInt(15_000));
            show();
        }

        private void show() {
            // Up closes a normally-open switch, which pulls the line low.
            input.drive(up ? Level.LOW : Level.HIGH);
        }

        @Override
        public synchronized void advance(Instant now) {
            int changes = 0;
            while (!nextChange.isAfter(now) && changes < 10_000) {
                up = !up;
                nextChange = nextChange.plusMillis(30_000 + random.nextInt(120_000));
                changes++;
            }
            if (changes > 0) {
                show();
            }
        }
    }

    /** A household load; the pulses due are fired on demand, each replayed at its instant. */
    private static final class PulseTrain implements Stimulus {

        private final Line.Driven input;
        private final int pulsesPerKwh;
        private final Random random;
        private final ZoneId zone;
        private final double baseWatts;
        private Instant last;
        private double owed;
        private Instant applianceUntil;
        private double applianceWatts;

        PulseTrain(Random random, Line.Driven input, int pulsesPerKwh, Instant start, ZoneId zone) {
            this.input = input;
            this.pulsesPerKwh = pulsesPerKwh;
            this.random = random;
            this.zone = zone;
            this.baseWatts = 120 + random.nextInt(60);
            this.last = start;
            this.applianceUntil = start;
        }

        /** The daily shape: night base, morning and evening peaks, in watts. */
        double daily(Instant at) {
            double hour = at.atZone(zone).toLocalTime().toSecondOfDay() / 3600.0;
            return baseWatts + 350 * bump(hour, 8, 1.0) + 600 * bump(hour, 20, 1.5) + 150 * bump(hour, 13, 2.0);
        }

        private static double bump(double hour, double centre, double width) {
            double d = (hour - centre) / width;
            return Math.exp(-d * d);
        }

        @Override
        public synchronized void advance(Instant now) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            if (seconds <= 0) {
                return;
            }
            Instant from = last;
            last = now;
            if (!applianceUntil.isAfter(from) && random.nextDouble() < seconds / 1800) {
                // about one appliance run every half hour: a kettle, an oven, a washing machine
                applianceWatts = 500 + random.nextInt(1500);
                applianceUntil = from.plusSeconds(60 + random.nextInt(120));
            }
            double appliance = applianceUntil.isAfter(from) ? applianceWatts : 0;
            double watts = Math.max(5, daily(from) + appliance + 0.05 * daily(from) * random.nextGaussian());
            double perSecond = watts * pulsesPerKwh / EnergyMeter.JOULES_PER_KWH;
            double due = owed + perSecond * seconds;
            long whole = (long) Math.min(Math.floor(due), MAX_PULSES_PER_STEP);
            // The pulses are spread over the step at the step's rate, each at its own instant.
            for (long k = 1; k <= whole; k++) {
                double at = Math.min(seconds, (k - owed) / perSecond);
                Stimulus.at(from.plusNanos((long) (at * 1e9)), () -> {
                    input.drive(Level.LOW);
                    input.drive(Level.HIGH);
                });
            }
            owed = Math.min(due - whole, 1.0);
        }
    }
}
