package io.sensorreader.cli;

import io.sensorreader.api.agent.Updater;
import io.sensorreader.core.Plugins;
import io.sensorreader.core.Settings;
import io.sensorreader.core.UpdateCommand;
import io.sensorreader.core.Updates;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sensor-reader update-check}: is there a newer version; {@code --apply} installs it;
 * {@code --forget-bad TAG} clears a bad mark. Parses and delegates to the core's {@link UpdateCommand}.
 */
@Command(name = "update-check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the running and the available version (commit or tag), and what stands in the way"
            + " (note: lines); --apply installs it; --forget-bad TAG allows a version rolled back before."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:up to date (or, with --apply, applied; with"
            + " --forget-bad, cleared)", ExitCodes.HELP_UPDATE_AVAILABLE, ExitCodes.HELP_USAGE,
            "69:the check could not be made", ExitCodes.HELP_INTERNAL, ExitCodes.HELP_TEMPFAIL, ExitCodes.HELP_CONFIG})
final class UpdateCheckCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    static final class Action {
        @Option(names = "--apply", description = "Apply the update (a running agent picks it up at its next restart).")
        boolean apply;

        @Option(names = "--forget-bad", paramLabel = "TAG",
                description = "Clear the bad mark of a version rolled back before, so that it may be installed again.")
        String forgetBad;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Action action = new Action();

    @Option(names = "--strategy", paramLabel = "git|release", description = "Override SENSOR_READER_UPDATE_STRATEGY.")
    String strategy;

    UpdateCheckCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        Settings settings = invocation.settings(shared.overrides());
        try (Plugins plugins = Plugins.discover(UpdateCheckCommand.class.getClassLoader(), settings.pluginsDir());
             Updater updater = Updates.create(settings, plugins, VersionProvider.version(), Clock.systemUTC(), strategy)) {
            UpdateCommand command = new UpdateCommand(updater, spec.commandLine().getOut(), spec.commandLine().getErr());
            if (action != null && action.forgetBad != null) {
                return ExitCodes.of(command.forgetBad(action.forgetBad));
            }
            if (action != null && action.apply) {
                return ExitCodes.of(command.apply(settings.dataDir()));
            }
            return ExitCodes.of(command.check());
        }
    }
}
