package io.sensorreader.cli;

import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sensor-reader spool stats|list|dead|requeue}: looks into the spool. */
@Command(name = "spool", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inspect the spool of undelivered batches and the dead letters.",
        subcommands = {SpoolCommand.Stats.class, SpoolCommand.ListBatches.class, SpoolCommand.Dead.class,
            SpoolCommand.Requeue.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
            SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
final class SpoolCommand implements Runnable {

    static final String HELP_UNAVAILABLE = ExitCodes.UNAVAILABLE + ":the spool failed to read or write";
    static final String HELP_CONFIG = ExitCodes.CONFIG + ":bad configuration, or the spool in the data folder cannot be opened";

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    SpoolCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: stats, list, dead or requeue");
    }

    @FunctionalInterface
    interface Action {
        int apply(Spool spool, PrintWriter out) throws SpoolException;
    }

    /**
     * Runs an action on the spool; the shared options may be given before or after the
     * subcommand ({@code spool --data-dir D stats} or {@code spool stats --data-dir D}).
     */
    int withSpool(SharedOptions own, Action action) {
        Map<String, String> overrides = new LinkedHashMap<>(shared.overrides());
        overrides.putAll(own.overrides());
        Settings settings = invocation.settings(overrides);
        try (Shipping shipping = Shipping.open(settings, VersionProvider.version(), Clock.systemUTC(), Shipping.Need.SPOOL)) {
            return action.apply(shipping.spool(), spec.commandLine().getOut());
        } catch (SpoolException e) {
            spec.commandLine().getErr().println("spool: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
    }

    static String age(Instant then) {
        Duration d = Duration.between(then, Instant.now());
        if (d.isNegative()) {
            return "0 s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }

    /** What every spool subcommand has: its parent, its spec and the shared options after its name. */
    abstract static class Subcommand implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        SpoolCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        SharedOptions shared;
    }

    /** A subcommand that lists: {@code --limit}. */
    abstract static class Limited extends Subcommand {
        @Option(names = "--limit", defaultValue = "50", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        void requirePositive() {
            if (limit < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--limit is '" + limit + "'; expected a whole number, at least 1");
            }
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Batches, bytes, oldest age, dead letters, evicted.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class Stats extends Subcommand {

        @Override
        public Integer call() {
            return parent.withSpool(shared, (spool, out) -> {
                SpoolStats s = spool.stats();
                out.println("spool:        " + spool.location());
                out.println("batches:      " + s.batches());
                out.println("bytes:        " + s.bytes() + " of " + s.capacityBytes());
                out.println("oldest:       " + s.oldest().map(o -> age(o) + " ago (" + o + ")").orElse("-"));
                out.println("dead letters: " + s.deadLetters());
                out.println("evicted:      " + s.evicted());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The oldest queued batches.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class ListBatches extends Limited {


        @Override
        public Integer call() {
            requirePositive();
            return parent.withSpool(shared, (spool, out) -> {
                List<SpooledBatch> batches = spool.oldest(limit);
                for (SpooledBatch b : batches) {
                    out.printf("%s  %-13s  at %d  %d bytes  attempts %d  last status %s%n", b.key(),
                            b.batch().kind().label(), b.batch().timestamp(), b.sizeBytes(), b.attempts(),
                            b.lastStatus() == 0 ? "-" : Integer.toString(b.lastStatus()));
                }
                out.println(batches.size() + " shown of " + spool.stats().batches() + " queued");
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "dead", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The dead letters: batches rejected for good.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class Dead extends Limited {


        @Option(names = "--body", description = "Print each request body too.")
        boolean body;

        @Override
        public Integer call() {
            requirePositive();
            return parent.withSpool(shared, (spool, out) -> {
                List<DeadLetter> dead = spool.deadLetters(limit);
                for (DeadLetter d : dead) {
                    out.printf("%s  %s  status %d  attempts %d  at %s: %s%n", d.key(),
                            d.kind() == null ? "unreadable" : d.kind().label(), d.status(), d.attempts(), d.at(),
                            d.reason());
                    if (body) {
                        out.println("  " + d.body());
                    }
                }
                out.println(dead.size() + " shown of " + spool.stats().deadLetters() + " dead letters");
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Move dead letters back into the queue (e.g. after the collector learnt a sensor type).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class Requeue extends Subcommand {

        @Option(names = "--all", description = "Every dead letter.")
        boolean all;

        @Parameters(paramLabel = "KEY", arity = "0..*", description = "Keys as 'spool dead' shows them.")
        List<String> keys = List.of();

        @Override
        public Integer call() {
            if (!all && keys.isEmpty()) {
                spec.commandLine().getErr().println("spool requeue: name the KEYs to requeue, or --all");
                return ExitCodes.USAGE;
            }
            return parent.withSpool(shared, (spool, out) -> {
                if (!all) {
                    Set<String> known = new HashSet<>();
                    spool.deadLetters(Integer.MAX_VALUE).forEach(d -> known.add(d.key()));
                    List<String> unknown = keys.stream().filter(k -> !known.contains(k)).distinct().toList();
                    if (!unknown.isEmpty()) {
                        spec.commandLine().getErr().println("spool requeue: no dead letter has the key "
                                + String.join(", ", unknown) + "; 'sensor-reader spool dead' lists them; nothing was requeued");
                        return ExitCodes.USAGE;
                    }
                }
                int moved = spool.requeue(all ? List.of() : keys);
                out.println("requeued " + moved + " dead letter(s); 'sensor-reader retry-now' delivers them now");
                return ExitCodes.OK;
            });
        }
    }
}
