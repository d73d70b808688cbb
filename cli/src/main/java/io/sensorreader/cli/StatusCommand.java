package io.sensorreader.cli;

import io.sensorreader.core.AgentState;
import io.sensorreader.core.Health;
import io.sensorreader.core.Health.Verdict;
import io.sensorreader.core.StateFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sensor-reader status}: reads the running agent's {@code state.json} and says whether it
 * is healthy. Meant for people, for scripts ({@code --json}) and for monitoring checks (the exit
 * code). Reads only; needs no token and no settings beyond the data folder.
 */
@Command(name = "status",
        description = {"Shows whether the agent runs, samples and delivers, from <data dir>/state.json.",
                "Unhealthy: the process is gone, no cycle for 3 intervals, or nothing delivered for 15 min"
                        + " while batches wait in the spool.",
                "Not sampling (unhealthy): every sensor keeps missing its read deadline; only some of them is a warning."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:healthy",
                " 1:unhealthy (the reasons are printed)",
                "69:no agent state: the agent never ran with this data folder, or the file is unreadable",
                "64:usage error"})
public final class StatusCommand implements Callable<Integer> {

    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;
    static final int NO_STATE = 69;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The agent's data folder (default: SENSOR_READER_DATA_DIR, else the working directory).")
    Path dataDir;

    @Option(names = "--json", description = "Print the verdict and the state as JSON.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final java.util.function.Supplier<Path> defaultDataDir;
    private final Health health;
    private final Clock clock;

    /** With the process environment, the real process table and the system clock. */
    public StatusCommand() {
        this(System.getenv(), new Health(), Clock.systemUTC());
    }

    /**
     * The data folder from the invocation's settings (environment, {@code .env} or
     * {@code SENSOR_READER_ENV_FILE}), as the agent itself finds it.
     */
    StatusCommand(Invocation invocation) {
        this(() -> {
            try {
                return invocation.settings(Map.of()).dataDir();
            } catch (io.sensorreader.core.ConfigProblems e) {
                return fromEnvironment(invocation.environment());
            }
        }, new Health(), Clock.systemUTC());
    }

    StatusCommand(Map<String, String> env, Health health, Clock clock) {
        this(() -> fromEnvironment(env), health, clock);
    }

    private StatusCommand(java.util.function.Supplier<Path> defaultDataDir, Health health, Clock clock) {
        this.defaultDataDir = Objects.requireNonNull(defaultDataDir, "defaultDataDir");
        this.health = Objects.requireNonNull(health, "health");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        Verdict verdict = health.check(new StateFile(dataDir()));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.println(verdict.toJson());
        } else {
            switch (verdict.condition()) {
                case HEALTHY -> out.println("sensor-reader: healthy");
                case UNHEALTHY -> out.println("sensor-reader: UNHEALTHY");
                case NO_STATE -> err.println("sensor-reader: no state");
            }
            PrintWriter reasonsTo = verdict.condition() == Health.Condition.NO_STATE ? err : out;
            verdict.reasons().forEach(r -> reasonsTo.println("  ! " + r));
            verdict.warnings().forEach(w -> out.println("  warning: " + w));
            verdict.state().ifPresent(s -> summary(out, s));
        }
        out.flush();
        err.flush();
        return switch (verdict.condition()) {
            case HEALTHY -> HEALTHY;
            case UNHEALTHY -> UNHEALTHY;
            case NO_STATE -> NO_STATE;
        };
    }

    private Path dataDir() {
        return dataDir != null ? dataDir : defaultDataDir.get();
    }

    private static Path fromEnvironment(Map<String, String> env) {
        String fromEnv = env.get("SENSOR_READER_DATA_DIR");
        return Path.of(fromEnv == null || fromEnv.isBlank() ? "." : fromEnv);
    }

    private void summary(PrintWriter out, AgentState s) {
        Instant now = clock.instant();
        line(out, "pid", Long.toString(s.pid()));
        line(out, "version", s.version());
        line(out, "started", when(s.startedAt(), now));
        line(out, "last cycle", when(s.lastCycleAt(), now) + ", every " + s.intervalSeconds() + " s");
        line(out, "last delivery", when(s.lastDeliveryAt(), now) + " to " + s.collector());
        line(out, "last failure", s.lastFailure() == null ? "none" : s.lastFailure());
        line(out, "delivered", s.readingsDelivered() + " readings in " + s.batchesDelivered() + " batches; "
                + s.batchesFailed() + " attempts failed, " + s.batchesSpooled() + " batches spooled, "
                + s.batchesDropped() + " dropped");
        line(out, "spool", s.spoolBatches() + " batches, " + bytes(s.spoolBytes()) + "; "
                + s.deadLetters() + " dead letters, " + s.evicted() + " evicted");
        line(out, "token", s.tokenFingerprint() == null ? "none" : "fingerprint " + s.tokenFingerprint());
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-14s %s%n", label, value);
    }

    private static String when(Instant t, Instant now) {
        if (t == null) {
            return "never";
        }
        return t + " (" + Health.ago(t, now) + ")";
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
