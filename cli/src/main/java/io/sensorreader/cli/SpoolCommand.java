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

/** {@code sensor-reader spool stats|list|dead|requeue|purge}: looks into the spool, and deals with dead letters. */
@Command(name = "spool", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inspect the spool of undelivered batches and the dead letters.",
        subcommands = {SpoolCommand.Stats.class, SpoolCommand.ListBatches.class, SpoolCommand.Dead.class,
            SpoolCommand.Requeue.class, SpoolCommand.Purge.class},
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
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: stats, list, dead, requeue or purge");
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
        return span(Duration.between(then, Instant.now()));
    }

    static String span(Duration d) {
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
                out.printf(java.util.Locale.ROOT, "fill:         %.1f%% (%d bytes of pages of %d the records may use)%n",
                        s.fillPercent(), s.usedBytes(), s.limitBytes());
                out.println("until full:   " + s.timeUntilFull().map(d -> span(d) + " at the current rate")
                        .orElse("- (nothing appended lately)"));
                out.println("in memory:    " + s.inMemory() + (s.inMemory() > 0 ? " (NOT durable)" : ""));
                out.println("disk:         " + (s.diskFreeBytes() < 0 ? "unknown" : s.diskFreeBytes() / (1024 * 1024)
                        + " MiB free") + (s.diskFull() ? ", FULL" : ""));
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

    /** What a dead letter holds, for an operator: its sensor types and sensor ids. */
    record Contents(java.util.SortedSet<String> types, java.util.SortedSet<String> sensors) {

        static Contents of(DeadLetter d) {
            java.util.SortedSet<String> types = new java.util.TreeSet<>();
            java.util.SortedSet<String> sensors = new java.util.TreeSet<>();
            if (d.kind() == io.sensorreader.api.Batch.Kind.SENSOR_BATCH) {
                try {
                    com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(d.body());
                    for (com.fasterxml.jackson.databind.JsonNode r : body) {
                        String description = r.path("description").asText("");
                        int colon = description.indexOf(':');
                        if (colon > 0) {
                            types.add(description.substring(0, colon));
                        }
                        if (r.hasNonNull("id")) {
                            sensors.add(r.get("id").asText());
                        }
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // an unreadable body names nothing
                }
            }
            return new Contents(types, sensors);
        }

        String describe(DeadLetter d) {
            if (d.kind() == null) {
                return "unreadable record";
            }
            if (d.kind() != io.sensorreader.api.Batch.Kind.SENSOR_BATCH) {
                return d.kind().label();
            }
            return d.kind().label() + " of " + (types.isEmpty() ? "?" : String.join(",", types)) + " from "
                    + (sensors.isEmpty() ? "?" : String.join(",", sensors));
        }
    }

    /** Which dead letters a command means: KEYs, or the filters, or --all. */
    static final class Selection {
        @Option(names = "--all", description = "Every dead letter (the filters narrow it down).")
        boolean all;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only those with readings of this sensor type.")
        String type;

        @Option(names = "--sensor", paramLabel = "ID", description = "Only those with readings of this sensor id.")
        String sensor;

        @Option(names = "--status", paramLabel = "N", description = "Only those rejected with this HTTP status.")
        Integer status;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Only those whose reason contains TEXT (any case).")
        String reason;

        @Parameters(paramLabel = "KEY", arity = "0..*", description = "Keys as 'spool dead' shows them.")
        List<String> keys = List.of();

        boolean filtered() {
            return type != null || sensor != null || status != null || reason != null;
        }

        boolean matches(DeadLetter d) {
            Contents c = Contents.of(d);
            return (type == null || c.types().contains(type))
                    && (sensor == null || c.sensors().contains(sensor))
                    && (status == null || d.status() == status)
                    && (reason == null || d.reason() != null
                        && d.reason().toLowerCase(java.util.Locale.ROOT).contains(reason.toLowerCase(java.util.Locale.ROOT)));
        }

        /**
         * The keys meant, or {@code null} after printing why there are none (the exit code in
         * {@code code[0]}).
         */
        List<String> resolve(Spool spool, String command, PrintWriter err, int[] code) throws SpoolException {
            if (!all && keys.isEmpty() && !filtered()) {
                err.println("spool " + command + ": name the KEYs, a filter (--type, --sensor, --status, --reason), or --all");
                code[0] = ExitCodes.USAGE;
                return null;
            }
            List<DeadLetter> dead = spool.deadLetters(Integer.MAX_VALUE);
            if (!keys.isEmpty()) {
                Set<String> known = new HashSet<>();
                dead.forEach(d -> known.add(d.key()));
                List<String> unknown = keys.stream().filter(k -> !known.contains(k)).distinct().toList();
                if (!unknown.isEmpty()) {
                    err.println("spool " + command + ": no dead letter has the key " + String.join(", ", unknown)
                            + "; 'sensor-reader spool dead' lists them; nothing was changed");
                    code[0] = ExitCodes.USAGE;
                    return null;
                }
            }
            Set<String> named = new HashSet<>(keys);
            List<String> chosen = new java.util.ArrayList<>();
            for (DeadLetter d : dead) {
                if ((named.isEmpty() || named.contains(d.key())) && matches(d)) {
                    chosen.add(d.key());
                }
            }
            code[0] = ExitCodes.OK;
            return chosen;
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
                            Contents.of(d).describe(d), d.status(), d.attempts(), d.at(), d.reason());
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
            description = {"Move dead letters back into the queue, e.g. after the collector learnt a sensor type",
                "or a sensor got an id of its own: KEYs, the dead letters a filter matches, or --all.",
                "The running agent delivers them within RETRY_INTERVAL; 'sensor-reader retry-now' at once."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class Requeue extends OnSelected {

        @Override
        String noneMatched() {
            return "no dead letter matches; nothing was requeued";
        }

        @Override
        String apply(Spool spool, List<String> keys) throws SpoolException {
            return "requeued " + spool.requeue(keys) + " dead letter(s); 'sensor-reader retry-now' delivers them now";
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Delete dead letters for good: KEYs, the dead letters a filter matches, or --all.",
                "'sensor-reader spool dead --body' shows what would be lost."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
                SpoolCommand.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL, SpoolCommand.HELP_CONFIG})
    static final class Purge extends OnSelected {

        @Override
        String noneMatched() {
            return "no dead letter matches; nothing was deleted";
        }

        @Override
        String apply(Spool spool, List<String> keys) throws SpoolException {
            return "deleted " + spool.purge(keys) + " dead letter(s)";
        }
    }

    /** A subcommand acting on the dead letters its KEYs, a filter or {@code --all} select. */
    abstract static class OnSelected extends Subcommand {

        @Mixin
        Selection selection;

        /** What to print when the selection is empty. */
        abstract String noneMatched();

        /** Acts on the selected keys; returns what to print. */
        abstract String apply(Spool spool, List<String> keys) throws SpoolException;

        @Override
        public Integer call() {
            return parent.withSpool(shared, (spool, out) -> {
                int[] code = new int[1];
                List<String> keys = selection.resolve(spool, spec.name(), spec.commandLine().getErr(), code);
                if (keys == null) {
                    return code[0];
                }
                out.println(keys.isEmpty() ? noneMatched() : apply(spool, keys));
                return ExitCodes.OK;
            });
        }
    }
}
