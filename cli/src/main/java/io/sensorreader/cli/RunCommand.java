package io.sensorreader.cli;

import io.sensorreader.api.agent.Updater;
import io.sensorreader.core.Agent;
import io.sensorreader.core.ConfigProblems;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.UpdateSchedule;
import io.sensorreader.core.Updates;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sensor-reader run}: the daemon. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Read the sensors every interval and deliver the readings, until SIGTERM or SIGINT.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_RESTART, ExitCodes.HELP_USAGE,
            ExitCodes.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, ExitCodes.HELP_CONFIG})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** How long a shutdown hook waits for the agent to close. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--once", description = "Run one cycle, then exit.")
    boolean once;

    @Option(names = "--dry-run", description = "Read sensors, deliver nothing: print each batch to stdout as the"
            + " exact JSON request body, one a line (logs go to stderr).")
    boolean dryRun;

    RunCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = invocation.settings(shared.overrides());
        AtomicReference<Updater> updater = new AtomicReference<>();
        Agent agent = Agent.assemble(settings,
                Agent.Options.of(dryRun, spec.commandLine().getOut(), VersionProvider.version()),
                Shipping.outboxes(() -> {
                    Updater u = updater.get();
                    if (u != null) {
                        u.onHealthy();
                    }
                }));
        if (once) {
            try {
                agent.runOnce();
            } finally {
                agent.close();
            }
            return ExitCodes.OK;
        }
        AtomicBoolean restart = new AtomicBoolean();
        UpdateSchedule schedule = dryRun ? null : schedule(settings, agent, updater, restart);
        Thread hook = new Thread(() -> {
            agent.stop();
            try {
                agent.awaitClosed(SHUTDOWN_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.run();
        } finally {
            if (schedule != null) {
                schedule.close();
            }
            agent.close();
            Updater u = updater.get();
            if (u != null) {
                u.close();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
        if (restart.get()) {
            LOG.info("restarting to run the updated version");
            return ExitCodes.RESTART;
        }
        return ExitCodes.OK;
    }

    /** The self-update schedule, when REPO_REFRESHER_ENABLED; a broken updater costs updates, not the agent. */
    private static UpdateSchedule schedule(Settings settings, Agent agent, AtomicReference<Updater> updater,
                                           AtomicBoolean restart) {
        if (!settings.view().getBoolean("REPO_REFRESHER_ENABLED", false)) {
            return null;
        }
        int minutes = settings.view().getInt("REPO_CHECK_INTERVAL_MINUTES", 30, 1, 7 * 24 * 60,
                "whole minutes, at least 1");
        try {
            updater.set(Updates.create(settings, agent.plugins(), VersionProvider.version(), Clock.systemUTC(), null));
        } catch (ConfigProblems e) {
            e.problems().forEach(p -> LOG.error("self-update is off: {}", p));
            return null;
        }
        UpdateSchedule schedule = new UpdateSchedule(updater.get(), Duration.ofMinutes(minutes), Clock.systemUTC(), () -> {
            restart.set(true);
            agent.stop();
        });
        schedule.start();
        LOG.info("self-update: checking every {} min", minutes);
        return schedule;
    }
}
