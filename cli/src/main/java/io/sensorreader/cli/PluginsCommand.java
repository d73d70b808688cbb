package io.sensorreader.cli;

import io.sensorreader.core.Plugins;
import io.sensorreader.core.Settings;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sensor-reader plugins}: what this agent would load, without starting anything: every
 * sensor type, exporter, spool, update strategy and board with the jar (and version) it comes from,
 * then the jars that were skipped and why.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists every sensor type, exporter, spool, update strategy and board with the jar and version"
                + " it comes from, and the plugin jars skipped and why. Starts nothing."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {" 0:listed", ExitCodes.HELP_USAGE,
            ExitCodes.HELP_CONFIG})
final class PluginsCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    PluginsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        Settings settings = invocation.settings(shared.overrides());
        PrintWriter out = spec.commandLine().getOut();
        try (Plugins plugins = Plugins.discover(PluginsCommand.class.getClassLoader(), settings.pluginsDir())) {
            out.println("plugins folder: " + settings.pluginsDir()
                    + (java.nio.file.Files.isDirectory(settings.pluginsDir()) ? "" : " (not there)"));
            List<Plugins.Found> found = plugins.found();
            int kind = width(found.stream().map(Plugins.Found::kind).toList(), "KIND");
            int name = width(found.stream().map(Plugins.Found::name).toList(), "NAME");
            int source = width(found.stream().map(Plugins.Found::source).toList(), "FROM");
            String format = "%-" + kind + "s  %-" + name + "s  %-" + source + "s  %s%n";
            out.printf(format, "KIND", "NAME", "FROM", "VERSION");
            for (Plugins.Found f : found) {
                out.printf(format, f.kind(), f.name(), f.source(), f.version().isEmpty() ? "-" : f.version());
            }
            List<String> problems = plugins.problems();
            out.println(problems.isEmpty() ? "skipped: none" : "skipped:");
            problems.forEach(p -> out.println("  " + p));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static int width(List<String> values, String header) {
        return Math.max(header.length(), values.stream().mapToInt(String::length).max().orElse(0));
    }
}
