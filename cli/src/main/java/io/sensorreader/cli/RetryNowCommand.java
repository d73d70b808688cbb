package io.sensorreader.cli;

import io.sensorreader.api.Registration;
import io.sensorreader.api.RetryLater;
import io.sensorreader.core.delivery.DeliveryService;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.TokenKeeper;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sensor-reader retry-now}: drains the spool at once. */
@Command(name = "retry-now", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deliver the spooled batches now, oldest first, coalesced as the agent does.",
            "Safe beside a running agent: only one process drains at a time."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the spool is empty", ExitCodes.HELP_USAGE,
            "69:the collector cannot be reached", ExitCodes.HELP_INTERNAL,
            "75:batches remain (another process is draining, or the collector stopped answering)", ExitCodes.HELP_CONFIG})
final class RetryNowCommand implements Callable<Integer> {

    /** EX_TEMPFAIL: batches remain; try again later. */
    static final int REMAINING = 75;

    private final Invocation invocation;
    private final BooleanSupplier terminal;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    RetryNowCommand(Invocation invocation) {
        this(invocation, RetryNowCommand::stdoutIsTerminal);
    }

    /** @param terminal whether stdout is a terminal, hence a progress bar rather than lines */
    RetryNowCommand(Invocation invocation, BooleanSupplier terminal) {
        this.invocation = invocation;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Settings settings = invocation.settings(shared.overrides());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = this.terminal.getAsBoolean();
        try (Shipping shipping = Shipping.open(settings, VersionProvider.version(), Clock.systemUTC(), Shipping.Need.BOTH)) {
            long before = shipping.spool().stats().batches();
            out.println("spool: " + before + " batch(es) to deliver to " + shipping.destination());
            out.flush();
            Optional<TokenKeeper> unregistered = shipping.keeper().filter(k -> k.current().isEmpty());
            if (before > 0 && unregistered.isPresent()) {
                // Nothing can be delivered without a token: register as run would, once, now.
                Registration registration = unregistered.get().registerNow(false);
                if (registration instanceof Registration.Failed f) {
                    err.println("retry-now: this device is not registered yet and registering failed: " + f.reason()
                            + (f.permanent() ? " (check SENSOR_READER_DEVICE_ID and SENSOR_READER_DESCRIPTION)" : ""));
                    return f.permanent() ? ExitCodes.CONFIG : ExitCodes.UNAVAILABLE;
                }
                out.println("registered device '" + settings.deviceId() + "' (token fingerprint "
                        + unregistered.get().fingerprint().orElse("?") + ")");
            }
            Progress progress = new Progress(out, terminal, before);
            DeliveryService.Pass pass = shipping.delivery().drainOnce(progress);
            progress.end();
            if (pass.busy() && pass.stoppedBy().isPresent()) {
                err.println("retry-now: cannot take the spool's drain lock: " + pass.stoppedBy().get().detail());
                return ExitCodes.UNAVAILABLE;
            }
            if (pass.busy()) {
                out.println("another process (the running agent?) is draining the spool right now; it delivers them");
                return REMAINING;
            }
            out.println("delivered " + pass.delivered() + ", dead-lettered " + pass.deadLettered() + ", left " + pass.left());
            if (pass.left() == 0) {
                return ExitCodes.OK;
            }
            pass.stoppedBy().ifPresent(r -> out.println("stopped: " + r.detail()));
            // No answer at all, or not the collector at that URL (404/405), before anything was delivered.
            boolean unreachable = pass.delivered() == 0 && pass.stoppedBy().filter(r -> r.status() == 0
                    || r.cause() == RetryLater.Cause.MISDIRECTED).isPresent();
            return unreachable ? ExitCodes.UNAVAILABLE : REMAINING;
        } catch (io.sensorreader.api.agent.SpoolException e) {
            err.println("retry-now: the spool failed: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
    }

    /** Whether stdout is a terminal (Linux); System.console() cannot say so on release 21. */
    private static boolean stdoutIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A bar on a terminal, a line per request otherwise. */
    private static final class Progress implements DeliveryService.RetryProgress {
        private final PrintWriter out;
        private final boolean terminal;
        private final long total;
        private boolean drawn;

        Progress(PrintWriter out, boolean terminal, long total) {
            this.out = out;
            this.terminal = terminal;
            this.total = Math.max(1, total);
        }

        @Override
        public void update(long delivered, long deadLettered, long left) {
            long done = delivered + deadLettered;
            if (terminal) {
                int width = 30;
                int filled = (int) Math.min(width, done * width / total);
                out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
                drawn = true;
            } else {
                out.println("progress: delivered " + delivered + ", dead-lettered " + deadLettered + ", left " + left);
            }
            out.flush();
        }

        void end() {
            if (drawn) {
                out.println();
            }
        }
    }
}
