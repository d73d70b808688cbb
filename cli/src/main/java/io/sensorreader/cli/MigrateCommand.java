package io.sensorreader.cli;

import io.sensorreader.core.Settings;
import io.sensorreader.core.migrate.Migration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sensor-reader migrate}: takes over a device from the Python agent. */
@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Take over from the Python agent installed in DIR: its settings (from its systemd unit's",
            "Environment= lines, the environment, its .env), its device id (test-device-001 when it set none), its",
            "token, its sensor_config.yaml, and its data.lmdb, whose batches are then delivered once. The settings",
            "are merged into this agent's settings file; that file's own lines are kept.",
            "Run it with sudo; stop the Python agent first (--dry-run says how, and changes nothing)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:migrated (or, with --dry-run, planned)",
            ExitCodes.HELP_USAGE, "69:a file cannot be written, or the Python agent still has its spool open",
            ExitCodes.HELP_INTERNAL, "78:a file of the Python agent or a merged setting is wrong; nothing was changed"})
final class MigrateCommand implements Callable<Integer> {

    /** Where systemd keeps units an administrator installed, such as the Python agent's. */
    static final Path UNITS = Path.of("/etc/systemd/system");

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "The Python agent's folder (its sensor_config.yaml and data.lmdb).")
    Path from;

    @Option(names = "--unit", paramLabel = "FILE",
            description = "Its systemd unit file (default: the one in /etc/systemd/system that runs something in DIR).")
    Path unit;

    @Option(names = "--settings-file", paramLabel = "FILE",
            description = "This agent's settings file, merged into (default: SENSOR_READER_ENV_FILE, else .env).")
    Path settingsFile;

    @Option(names = "--units-dir", paramLabel = "DIR", hidden = true, description = "Where units are looked for.")
    Path unitsDir = UNITS;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    MigrateCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws IOException {
        Path workingDir = invocation.workingDir();
        Path target = settingsFile;
        if (target == null) {
            String named = invocation.environment().get(Settings.PREFIX + "ENV_FILE");
            target = named == null || named.isBlank() ? Path.of(".env") : Path.of(named.strip());
        }
        PrintWriter out = spec.commandLine().getOut();
        Migration.run(new Migration.Request(workingDir.resolve(from), Optional.ofNullable(unit).map(workingDir::resolve),
                        unitsDir, workingDir.resolve(target), dryRun), invocation.environment(), workingDir,
                invocation.hostName(), VersionProvider.version(), line -> {
                    out.println(line);
                    out.flush();
                });
        return ExitCodes.OK;
    }
}
