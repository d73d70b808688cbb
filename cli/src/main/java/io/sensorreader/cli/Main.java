package io.sensorreader.cli;

import io.sensorreader.core.ConfigProblems;
import io.sensorreader.core.Settings;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sensor-reader}: the command line of the agent. */
@Command(name = "sensor-reader", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Reads sensors and ships the readings to the collector.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_RESTART, ExitCodes.HELP_USAGE,
            ExitCodes.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, ExitCodes.HELP_CONFIG})
public final class Main implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Spec
    CommandSpec spec;

    private Main() {
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        Invocation invocation = new Invocation(System.getenv(), Path.of("").toAbsolutePath(), Settings.hostName());
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        System.exit(execute(invocation, out, err, args));
    }

    /**
     * Runs a command line: {@code run} in its plain forms without picocli ({@link RunArguments}),
     * everything else through the command tree.
     */
    static int execute(Invocation invocation, PrintWriter out, PrintWriter err, String... args) {
        var run = RunArguments.parse(args);
        if (run.isPresent()) {
            try {
                return RunCommand.execute(invocation, run.get(), out, err);
            } catch (Exception e) {
                return report(e, err);
            }
        }
        CommandLine cli = commandLine(invocation);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The whole command tree; a new subcommand is one line here. */
    static CommandLine commandLine(Invocation invocation) {
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new RunCommand(invocation))
                .addSubcommand(new RegisterCommand(invocation))
                .addSubcommand(new RetryNowCommand(invocation))
                .addSubcommand(new SpoolCommand(invocation))
                .addSubcommand(new UpdateCheckCommand(invocation))
                .addSubcommand(new StatusCommand(invocation))
                .addSubcommand(new MigrateCommand(invocation))
                .addSubcommand(new PluginsCommand(invocation));
        exitCodes(cli);
        cli.setExecutionExceptionHandler((failure, command, parsed) -> report(failure, command.getErr()));
        return cli;
    }

    private static void exitCodes(CommandLine command) {
        command.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        command.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INTERNAL);
        command.getSubcommands().values().forEach(Main::exitCodes);
    }

    static int report(Exception failure, PrintWriter err) {
        int code = ExitCodes.of(failure);
        if (failure instanceof ConfigProblems problems) {
            problems.problems().forEach(err::println);
            err.println("sensor-reader: " + problems.problems().size() + " configuration problem"
                    + (problems.problems().size() == 1 ? "" : "s") + "; nothing was started");
        } else if (code == ExitCodes.CONFIG || code == ExitCodes.UNAVAILABLE) {
            err.println("sensor-reader: " + failure.getMessage());
        } else {
            LOG.error("internal error", failure);
            err.println("sensor-reader: internal error (" + failure + "); please report it with the log");
        }
        err.flush();
        return code;
    }

    @Override
    public void run() {
        MissingCommand.refuse(spec);
    }

    /**
     * A class of its own: a {@code throw} of picocli's exception in Main would make the bytecode
     * verifier load picocli classes when Main loads, also for {@code run} without picocli.
     */
    private static final class MissingCommand {
        static void refuse(CommandSpec spec) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand, e.g. 'run'");
        }
    }
}
