package io.sensorreader.cli;

import io.sensorreader.api.ConfigException;
import io.sensorreader.core.ConfigProblems;
import io.sensorreader.core.UpdateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Every exit code of {@code sensor-reader}, in one place (sysexits.h where one fits); the
 * launcher's own (64, 69, 70, 77) are the same numbers. {@code status} answers 0/1/69 (see its help).
 */
final class ExitCodes {

    /** Done, or stopped by SIGTERM/SIGINT. */
    static final int OK = 0;
    /** The launcher should start the agent again (after a self-update). */
    static final int RESTART = 3;
    /** update-check: a newer version is available. */
    static final int UPDATE_AVAILABLE = 10;
    /** EX_USAGE: a wrong command or option. */
    static final int USAGE = 64;
    /** EX_UNAVAILABLE: something the command needs (a service, a file system) is unavailable. */
    static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: a bug; the log has the stack trace. */
    static final int INTERNAL = 70;
    /** EX_TEMPFAIL: try again later (another update holds the lock). */
    static final int TEMPFAIL = 75;
    /** EX_NOPERM: the stable launcher refuses to run something as root (bin/sensor-reader). */
    static final int NOPERM = 77;
    /**
     * Out of memory: the agent exits rather than limp on, and systemd starts it afresh (raised by
     * {@link io.sensorreader.core.delivery.Fatal}; nothing is lost, undelivered batches are spooled).
     */
    static final int OUT_OF_MEMORY = io.sensorreader.core.delivery.Fatal.OUT_OF_MEMORY;
    /** EX_CONFIG: a bad setting or sensor file; the messages say which. */
    static final int CONFIG = 78;

    /** The lines of {@code --help}'s exit-code list (annotation constants, hence one each). */
    static final String HELP_OK = OK + ":done, or stopped by SIGTERM/SIGINT";
    static final String HELP_RESTART = RESTART + ":restart requested (the launcher starts the agent again)";
    static final String HELP_USAGE = USAGE + ":wrong command or option";
    static final String HELP_UNAVAILABLE = UNAVAILABLE + ":a service or file the command needs is unavailable";
    static final String HELP_INTERNAL = INTERNAL + ":internal error (a bug; see the log)";
    static final String HELP_UPDATE_AVAILABLE = UPDATE_AVAILABLE + ":an update is available";
    static final String HELP_TEMPFAIL = TEMPFAIL + ":another update is in progress; try again later";
    static final String HELP_CONFIG = CONFIG + ":bad configuration (every problem is printed)";
    static final String HELP_OUT_OF_MEMORY = "71:out of memory (the agent exits so that systemd starts it afresh)";

    private ExitCodes() {
    }

    /** The code of how {@code update-check} ended. */
    static int of(UpdateCommand.Outcome outcome) {
        return switch (outcome) {
            case UP_TO_DATE, APPLIED, FORGOTTEN -> OK;
            case AVAILABLE -> UPDATE_AVAILABLE;
            case FAILED -> UNAVAILABLE;
            case BUSY -> TEMPFAIL;
        };
    }

    /** The code for a failure that ended a command. */
    static int of(Throwable failure) {
        return switch (failure) {
            case ConfigProblems p -> CONFIG;
            case ConfigException c -> CONFIG;
            case IOException io -> UNAVAILABLE;
            case UncheckedIOException io -> UNAVAILABLE;
            default -> INTERNAL;
        };
    }
}
