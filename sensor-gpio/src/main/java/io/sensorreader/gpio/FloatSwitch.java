package io.sensorreader.gpio;

import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;
import io.sensorreader.gpio.Line.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A float switch between a GPIO (pull-up on) and ground. A closed switch pulls the line low.
 * Normally open (the default): the float up closes the switch, low reads 1. Normally closed
 * ({@code inverted}): the float up opens it, high reads 1. This is the Python agent's meaning.
 *
 * <p>Every edge is seen by a listener (on Pi4J's event thread on a Pi) and debounced in software
 * against the clock: a level counts once it has held for the debounce time, so a splash that
 * bounces the contact is not a flip. A read reports the latest settled level and, as {@code flips},
 * how many settled changes happened since the previous read, so a float that went up and down
 * between two samples is not missed.
 */
final class FloatSwitch implements Sensor {

    private final String id;
    private final String description;
    private final boolean inverted;
    private final Duration debounce;
    private final Line input;
    private final Stimulus stimulus;
    private final Clock clock;
    private final Runnable release;

    private Level settled;
    private Level candidate;
    private Instant candidateSince;
    private int flips;

    FloatSwitch(String id, String description, boolean inverted, Duration debounce, Line input,
                Stimulus stimulus, Clock clock, Runnable release) {
        this.id = id;
        this.description = description;
        this.inverted = inverted;
        this.debounce = debounce;
        this.input = input;
        this.stimulus = stimulus;
        this.clock = clock;
        this.release = release;
        Level now = input.level();
        this.settled = now;
        this.candidate = now;
        this.candidateSince = clock.instant();
        input.onChange(level -> observe(level, clock.instant()));
    }

    @Override
    public String type() {
        return "FloatSensor";
    }

    @Override
    public Measurement read() {
        Instant now = clock.instant();
        stimulus.advance(now);
        int flipped;
        Level level;
        synchronized (this) {
            // An edge the listener missed still shows in the line's present state.
            observe(input.level(), now);
            settle(now);
            level = settled;
            flipped = flips;
            flips = 0;
        }
        boolean up = (level == Level.LOW) != inverted;
        return Measurement.of(up ? 1.0 : 0.0).with("flips", flipped);
    }

    private synchronized void observe(Level state, Instant at) {
        if (state == null || state == Level.UNKNOWN || state == candidate) {
            return;
        }
        settle(at);
        candidate = state;
        candidateSince = at;
    }

    private void settle(Instant at) {
        if (candidate != settled && Duration.between(candidateSince, at).compareTo(debounce) >= 0) {
            settled = candidate;
            flips++;
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
