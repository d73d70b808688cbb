package io.sensorreader.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import io.sensorreader.api.Measurement;
import io.sensorreader.api.Sensor;

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
    private final DigitalInput input;
    private final Stimulus stimulus;
    private final Clock clock;
    private final Runnable release;
    private final DigitalStateChangeListener listener;

    private DigitalState settled;
    private DigitalState candidate;
    private Instant candidateSince;
    private int flips;

    FloatSwitch(String id, String description, boolean inverted, Duration debounce, DigitalInput input,
                Stimulus stimulus, Clock clock, Runnable release) {
        this.id = id;
        this.description = description;
        this.inverted = inverted;
        this.debounce = debounce;
        this.input = input;
        this.stimulus = stimulus;
        this.clock = clock;
        this.release = release;
        DigitalState now = input.state();
        this.settled = now;
        this.candidate = now;
        this.candidateSince = clock.instant();
        this.listener = event -> observe(event.state(), clock.instant());
        input.addListener(listener);
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
        DigitalState level;
        synchronized (this) {
            // An edge the listener missed still shows in the line's present state.
            observe(input.state(), now);
            settle(now);
            level = settled;
            flipped = flips;
            flips = 0;
        }
        boolean up = (level == DigitalState.LOW) != inverted;
        return Measurement.of(up ? 1.0 : 0.0).with("flips", flipped);
    }

    private synchronized void observe(DigitalState state, Instant at) {
        if (state == null || state == DigitalState.UNKNOWN || state == candidate) {
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
        input.removeListener(listener);
        release.run();
    }
}
