package io.sensorreader.core;

import io.sensorreader.api.agent.UpdateCheck;
import io.sensorreader.api.agent.UpdateException;
import io.sensorreader.api.agent.UpdateResult;
import io.sensorreader.api.agent.Updater;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code sensor-reader update-check} does with the chosen updater: prints the running and the
 * available version and what stands in the way ({@code note:} lines), applies under the
 * {@link UpdateLock}, or clears a bad mark. The command line maps the {@link Outcome} to its exit code.
 */
public final class UpdateCommand {

    /** How it ended. */
    public enum Outcome {
        /** Nothing newer to take (notes may say why). */
        UP_TO_DATE,
        /** A newer version is available (check only). */
        AVAILABLE,
        /** Applied, or nothing to apply. */
        APPLIED,
        /** A bad mark was cleared. */
        FORGOTTEN,
        /** The check, apply or clearing could not be made; the message says why. */
        FAILED,
        /** Another update holds the lock. */
        BUSY
    }

    private final Updater updater;
    private final PrintWriter out;
    private final PrintWriter err;

    public UpdateCommand(Updater updater, PrintWriter out, PrintWriter err) {
        this.updater = updater;
        this.out = out;
        this.err = err;
    }

    public Outcome check() {
        try {
            UpdateCheck check = updater.check();
            out.println("running:   " + check.running());
            out.println("available: " + check.available());
            check.notes().forEach(note -> out.println("note: " + note));
            out.println(check.updateAvailable() ? "an update is available; apply it with update-check --apply" : "up to date");
            return check.updateAvailable() ? Outcome.AVAILABLE : Outcome.UP_TO_DATE;
        } catch (UpdateException e) {
            return failed(e);
        } finally {
            flush();
        }
    }

    /** Applies, holding the update lock in {@code lockDir} (the data folder). */
    public Outcome apply(Path lockDir) {
        try (UpdateLock lock = UpdateLock.tryAcquire(lockDir).orElse(null)) {
            if (lock == null) {
                err.println("update-check: another update is in progress (the agent's own round, or another"
                        + " update-check --apply); try again in a few minutes");
                return Outcome.BUSY;
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
            return Outcome.APPLIED;
        } catch (UpdateException e) {
            return failed(e);
        } catch (IOException e) {
            err.println("update-check: cannot open the update lock " + lockDir.resolve(UpdateLock.FILE) + ": " + e.getMessage());
            return Outcome.FAILED;
        } finally {
            flush();
        }
    }

    public Outcome forgetBad(String tag) {
        try {
            out.println(updater.forgetBad(tag));
            return Outcome.FORGOTTEN;
        } catch (UpdateException e) {
            return failed(e);
        } finally {
            flush();
        }
    }

    private Outcome failed(UpdateException e) {
        err.println("update-check: " + Optional.ofNullable(e.getMessage()).orElse(e.toString()));
        return Outcome.FAILED;
    }

    private void flush() {
        out.flush();
        err.flush();
    }
}
