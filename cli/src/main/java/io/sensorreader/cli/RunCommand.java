package io.sensorreader.cli;

import io.sensorreader.core.Agent;
import io.sensorreader.core.DataDirLock;
import io.sensorreader.core.SelfUpdate;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.YamlFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
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
            "69:a service or file the command needs is unavailable, or another agent runs on this data folder",
            ExitCodes.HELP_INTERNAL, ExitCodes.HELP_OUT_OF_MEMORY, ExitCodes.HELP_CONFIG})
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
        return execute(invocation, new RunArguments(shared.overrides(), once, dryRun), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** The daemon itself, whether picocli or {@link RunArguments} read the command line. */
    static int execute(Invocation invocation, RunArguments arguments, java.io.PrintWriter out, java.io.PrintWriter err)
            throws InterruptedException {
        Settings settings = invocation.settings(arguments.overrides());
        if (arguments.dryRun()) {
            return runAgent(settings, arguments, out);
        }
        // One agent per data folder: held while this run lasts (the OS lets go if the process dies).
        DataDirLock folderLock;
        try {
            folderLock = DataDirLock.acquire(settings.dataDir());
        } catch (DataDirLock.HeldException e) {
            err.println("sensor-reader: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (java.io.IOException e) {
            err.println("sensor-reader: cannot lock the data folder " + settings.dataDir() + ": " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        try (folderLock) {
            return runAgent(settings, arguments, out);
        }
    }

    private static int runAgent(Settings settings, RunArguments arguments, java.io.PrintWriter out)
            throws InterruptedException {
        boolean once = arguments.once();
        boolean dryRun = arguments.dryRun();
        Agent agent = Agent.assemble(settings,
                Agent.Options.of(dryRun, out, Invocation.version()),
                // After the first delivery, one full collection unloads start-up's YAML parser.
                Shipping.outboxes(YamlFiles::releaseUnused));
        if (once) {
            try {
                agent.runOnce();
            } finally {
                agent.close();
            }
            return ExitCodes.OK;
        }
        AtomicBoolean restart = new AtomicBoolean();
        SelfUpdate updates = dryRun ? null : SelfUpdate.start(settings, agent.plugins(), Invocation.version(),
                Clock.systemUTC(), () -> {
                    restart.set(true);
                    agent.stop();
                });
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
            if (updates != null) {
                updates.close();
            }
            agent.close();
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
}
