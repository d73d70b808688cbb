package io.sensorreader.cli;

import io.sensorreader.api.agent.Updater;
import io.sensorreader.core.Plugins;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Updates;
import io.sensorreader.updater.UpdateCheckTask;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sensor-reader update-check}: is there a newer version; {@code --apply} installs it. */
@Command(name = "update-check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the running and the available version (commit or tag); --apply installs it.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:up to date (or, with --apply, applied)",
            "10:an update is available", ExitCodes.HELP_USAGE, "69:the check could not be made", ExitCodes.HELP_INTERNAL,
            ExitCodes.HELP_CONFIG})
final class UpdateCheckCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--apply", description = "Apply the update (a running agent picks it up at its next restart).")
    boolean apply;

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
            return new UpdateCheckTask(updater, spec.commandLine().getOut(), spec.commandLine().getErr()).run(apply);
        }
    }
}
