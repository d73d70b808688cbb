package io.sensorreader.updater;

import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;

import java.io.PrintWriter;

/**
 * What {@code sensor-reader update-check [--apply]} does with the chosen updater: prints the
 * running and the available version and answers the exit code. The command picks the strategy
 * ({@code --strategy} over {@code SENSOR_READER_UPDATE_STRATEGY}, default {@code git}), creates the
 * updater with its {@link io.sensorreader.api.agent.UpdaterFactory} and hands it here.
 *
 * <p>Exit codes: {@link #UP_TO_DATE} (also: applied, or nothing to apply), {@link #UPDATE_AVAILABLE},
 * {@link #UNAVAILABLE} when the check or the apply could not be made.
 */
public final class UpdateCheckTask {

    /** Up to date; with {@code --apply}: applied or nothing to do. */
    public static final int UP_TO_DATE = 0;
    /** A newer version is available (check only). */
    public static final int UPDATE_AVAILABLE = 10;
    /** The check or apply could not be made (network, credentials, a failed step). */
    public static final int UNAVAILABLE = 69;

    private final Updater updater;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param out picocli's {@code out} writer
     * @param err picocli's {@code err} writer
     */
    public UpdateCheckTask(Updater updater, PrintWriter out, PrintWriter err) {
        this.updater = updater;
        this.out = out;
        this.err = err;
    }

    /**
     * Checks, and with {@code apply} also applies.
     *
     * @return the exit code
     */
    public int run(boolean apply) {
        try {
            if (!apply) {
                UpdateCheck check = updater.check();
                out.println("running:   " + check.running());
                out.println("available: " + check.available());
                out.println(check.updateAvailable() ? "an update is available; apply it with update-check --apply" : "up to date");
                return check.updateAvailable() ? UPDATE_AVAILABLE : UP_TO_DATE;
            }
            UpdateResult result = updater.apply(step -> out.println("  " + step));
            out.println("running:   " + result.from());
            out.println("available: " + result.to());
            if (!result.applied()) {
                out.println("up to date; nothing to apply");
            } else if (result.restartNeeded()) {
                out.println("applied; restart the agent (systemctl restart sensor-reader) to run " + result.to());
            } else {
                out.println("applied");
            }
            return UP_TO_DATE;
        } catch (UpdateException e) {
            err.println("update-check: " + e.getMessage());
            return UNAVAILABLE;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
