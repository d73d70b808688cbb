package io.sensorreader.core;

import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the self-update every {@code REPO_CHECK_INTERVAL_MINUTES} while {@code run} is active (and
 * {@code REPO_REFRESHER_ENABLED=true}): {@link Updater#check()}, and when it finds something,
 * {@link Updater#apply(Updater.Progress)}. When an applied update needs a restart it calls
 * {@code restartRequest} once and stops; the agent then finishes its cycle, spools what is in
 * flight and exits with code 3.
 *
 * <p>Rounds are spread over the fleet: the first comes after a random part of the interval, each
 * next one after the interval ± 20 % ({@link #delay(Duration, boolean, double)}), so devices
 * booted together do not all ask GitHub in the same minute. A round takes the {@link UpdateLock}
 * (shared with {@code update-check --apply}) and is skipped while another holds it.
 *
 * <p>Threads: rounds run one at a time on the schedule's own daemon thread, never on the sampling
 * thread. Failures never escape: network trouble simply waits for the next round. The first failure
 * of a kind is logged as a warning; the same failure again within {@link #QUIET_FOR} only at debug
 * level, so an offline device does not fill its log.
 */
public final class UpdateSchedule implements AutoCloseable {

    /** How long a repeated, identical failure stays out of the warnings. */
    public static final Duration QUIET_FOR = Duration.ofHours(6);

    private static final Logger LOG = LoggerFactory.getLogger(UpdateSchedule.class);

    /** What one round did. */
    public enum Round {
        /** Nothing newer (or only a version known to be bad). */
        UP_TO_DATE,
        /** An update was applied; a restart was requested if it needed one. */
        APPLIED,
        /** The check or the apply failed; logged, tried again next round. */
        FAILED,
        /** A restart was requested before; nothing more is done. */
        STOPPED,
        /** Another update (update-check --apply) held the lock; skipped. */
        BUSY
    }

    private final Updater updater;
    private final Duration interval;
    private final Clock clock;
    private final Runnable restartRequest;
    private final ScheduledExecutorService scheduler;
    private final Path lockDir;
    private final java.util.random.RandomGenerator random;

    private String lastFailure;
    private Instant lastWarned = Instant.MIN;
    private int quietFailures;
    private volatile boolean restartRequested;
    private java.util.List<String> lastNotes = java.util.List.of();

    /**
     * @param interval between rounds; the first round comes one interval after {@link #start()}
     * @param restartRequest asked once, from the schedule's thread, after an update that needs a restart
     */
    public UpdateSchedule(Updater updater, Duration interval, Clock clock, Runnable restartRequest) {
        this(updater, interval, clock, restartRequest, null, new java.util.Random());
    }

    /**
     * @param lockDir where {@link UpdateLock} lives (the data folder); null for no lock
     * @param random the jitter's source
     */
    UpdateSchedule(Updater updater, Duration interval, Clock clock, Runnable restartRequest, Path lockDir,
                   java.util.random.RandomGenerator random) {
        this(updater, interval, clock, restartRequest, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "update-schedule");
            thread.setDaemon(true);
            return thread;
        }), lockDir, random);
    }

    /** With the scheduler to run on (tests). */
    UpdateSchedule(Updater updater, Duration interval, Clock clock, Runnable restartRequest, ScheduledExecutorService scheduler,
                   Path lockDir, java.util.random.RandomGenerator random) {
        this.updater = Objects.requireNonNull(updater, "updater");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the update interval must be positive, not " + interval);
        }
        this.interval = interval;
        this.clock = clock;
        this.restartRequest = restartRequest;
        this.scheduler = scheduler;
        this.lockDir = lockDir;
        this.random = random;
    }

    /**
     * The wait before a round: for the first, {@code u} × interval; for later ones, interval × (0.8 +
     * 0.4 {@code u}); {@code u} uniform in [0, 1).
     */
    static Duration delay(Duration interval, boolean first, double u) {
        double factor = first ? u : 0.8 + 0.4 * u;
        return Duration.ofMillis(Math.max(1, Math.round(interval.toMillis() * factor)));
    }

    /** Starts the rounds. */
    public void start() {
        next(true);
        LOG.info("update: checking about every {} min (± 20 %, the first within one interval)", interval.toMinutes());
    }

    private void next(boolean first) {
        try {
            scheduler.schedule(() -> {
                runOnce();
                if (!restartRequested) {
                    next(false);
                }
            }, delay(interval, first, random.nextDouble()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** One round, now, on the calling thread. Never throws. */
    public synchronized Round runOnce() {
        if (restartRequested) {
            return Round.STOPPED;
        }
        if (lockDir == null) {
            return round();
        }
        try (UpdateLock lock = UpdateLock.tryAcquire(lockDir).orElse(null)) {
            if (lock == null) {
                LOG.info("update: another update is in progress (update-check --apply); skipping this round");
                return Round.BUSY;
            }
            return round();
        } catch (java.io.IOException e) {
            failed("cannot open the update lock in " + lockDir + ": " + e.getMessage(), null);
            return Round.FAILED;
        }
    }

    private Round round() {
        try {
            UpdateCheck check = updater.check();
            if (!check.updateAvailable()) {
                succeeded();
                LOG.debug("update: up to date at {}", check.running());
                if (!check.notes().equals(lastNotes)) {
                    check.notes().forEach(note -> LOG.info("update: {}", note));
                    lastNotes = check.notes();
                }
                return Round.UP_TO_DATE;
            }
            LOG.info("update: {} -> {} available; applying", check.running(), check.available());
            UpdateResult result = updater.apply(step -> LOG.info("update: {}", step));
            succeeded();
            if (result.applied() && result.restartNeeded()) {
                LOG.info("update: {} -> {} applied; restarting", result.from(), result.to());
                restartRequested = true;
                restartRequest.run();
            }
            return result.applied() ? Round.APPLIED : Round.UP_TO_DATE;
        } catch (UpdateException e) {
            failed(e.getMessage(), null);
        } catch (RuntimeException e) {
            failed(e.toString(), e);
        }
        return Round.FAILED;
    }

    private void succeeded() {
        if (lastFailure != null) {
            LOG.info("update: working again after {} more failure(s)", quietFailures);
        }
        lastFailure = null;
        quietFailures = 0;
        lastWarned = Instant.MIN;
    }

    private void failed(String message, Throwable unexpected) {
        Instant now = clock.instant();
        if (message.equals(lastFailure) && now.isBefore(lastWarned.plus(QUIET_FOR))) {
            quietFailures++;
            LOG.debug("update: failed again: {}", message);
            return;
        }
        if (unexpected != null) {
            LOG.warn("update: failed, will try again in {} min: {}", interval.toMinutes(), message, unexpected);
        } else if (quietFailures > 0) {
            LOG.warn("update: failed, will try again in {} min ({} more failure(s) since the last warning): {}",
                    interval.toMinutes(), quietFailures, message);
        } else {
            LOG.warn("update: failed, will try again in {} min: {}", interval.toMinutes(), message);
        }
        lastFailure = message;
        lastWarned = now;
        quietFailures = 0;
    }

    /** Stops the rounds; a round in progress finishes on its own (the thread is a daemon). */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
