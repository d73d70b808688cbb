package io.sensorreader.core;

import io.sensorreader.api.agent.Updater;
import java.time.Clock;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s self-update, wired from the settings: off unless
 * {@code REPO_REFRESHER_ENABLED=true}; then the strategy's updater on an {@link UpdateSchedule}
 * every {@code REPO_CHECK_INTERVAL_MINUTES} (validated by {@link Settings}, 1 to 10080), taking the
 * {@link UpdateLock} in the data folder. A strategy whose settings are wrong costs the updates, not
 * the agent: it is logged as an error and the agent runs on. (Whether a new version is healthy does
 * not depend on this: {@link ReleaseHealth} reports in every run.)
 */
public final class SelfUpdate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SelfUpdate.class);

    private final Updater updater;
    private final UpdateSchedule schedule;

    private SelfUpdate(Updater updater, UpdateSchedule schedule) {
        this.updater = updater;
        this.schedule = schedule;
    }

    /**
     * @param restart asked once, from the schedule's thread, after an update that needs a restart
     */
    public static SelfUpdate start(Settings settings, Plugins plugins, String version, Clock clock, Runnable restart) {
        if (!settings.refresherEnabled()) {
            return new SelfUpdate(null, null);
        }
        Updater updater;
        try {
            updater = Updates.create(settings, plugins, version, clock, null);
        } catch (ConfigProblems e) {
            e.problems().forEach(p -> LOG.error("self-update is off: {}", p));
            return new SelfUpdate(null, null);
        }
        UpdateSchedule schedule = new UpdateSchedule(updater, settings.updateInterval(), clock, restart, settings.dataDir(),
                new Random());
        schedule.start();
        return new SelfUpdate(updater, schedule);
    }

    /** Whether rounds are scheduled. */
    public boolean active() {
        return schedule != null;
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
        if (updater != null) {
            updater.close();
        }
    }
}
