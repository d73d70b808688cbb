package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent, assembled: settings → plugin discovery → sensors → exporters → outbox → sampling
 * loop. {@link #run()} samples until {@link #stop()}; {@link #close()} then stops taking batches,
 * gives the outbox its grace (about 1.5 s), and closes exporters, sensors, shared resources and
 * plugin jars in that order.
 *
 * <p>The outbox is chosen in one place, {@link OutboxFactory}: the delivery pipeline,
 * {@link Shipping#outboxes(Runnable)}. In a dry run no exporter is created at all and batches
 * are printed.
 *
 * <p>Threads: {@code run}/{@code runOnce} and {@code close} on the main thread; {@code stop} and
 * {@code awaitClosed} from any thread (a shutdown hook).
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final Duration FAILURE_QUIET = Duration.ofMinutes(10);

    /**
     * How to run.
     *
     * @param dryRun read sensors, deliver nothing, print batches to {@code dryRunOut}
     * @param dryRunOut where a dry run prints; unused otherwise
     * @param version the agent's version, for {@code agent_version} and exporters
     * @param clock the clock of the whole agent
     * @param systemRoot the folder holding {@code proc} and {@code sys}; {@code /} on a device
     * @param classLoader the class path to search for factories
     */
    public record Options(boolean dryRun, PrintWriter dryRunOut, String version, Clock clock, Path systemRoot,
                          ClassLoader classLoader) {

        /** A real run (or a dry run) on this machine's clock and {@code /proc}. */
        public static Options of(boolean dryRun, PrintWriter dryRunOut, String version) {
            return new Options(dryRun, dryRunOut, version, Clock.systemUTC(), Path.of("/"),
                    Agent.class.getClassLoader());
        }
    }

    /**
     * What an outbox may be built from.
     *
     * @param tokens the token every exporter asks for; the outbox binds it to its token keeper
     * @param sensorCount how many sensors the agent samples
     * @param lagging {@link #laggingSensors()}: safe from any thread, empty until sampling starts
     */
    public record OutboxParts(Settings settings, Plugins plugins, Exporter primary, List<Exporter> taps,
                              DeviceHealth health, Clock clock, String agentVersion, TokenSlot tokens,
                              int sensorCount, Supplier<Map<String, Long>> lagging) {
    }

    /** Makes the outbox of a (non dry) run; the one place delivery is wired. */
    @FunctionalInterface
    public interface OutboxFactory {
        /** @throws ConfigException for a bad setting of the outbox */
        Outbox create(OutboxParts parts);
    }

    private final Plugins plugins;
    private final AgentContext context;
    private final List<SensorSet.Loaded> sensors;
    private final List<Exporter> exporters;
    private final DeviceHealth health;
    private final Outbox outbox;
    private final SamplingLoop loop;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private Agent(Plugins plugins, AgentContext context, List<SensorSet.Loaded> sensors, List<Exporter> exporters,
                  DeviceHealth health, Outbox outbox, SamplingLoop loop) {
        this.plugins = plugins;
        this.context = context;
        this.sensors = sensors;
        this.exporters = exporters;
        this.health = health;
        this.outbox = outbox;
        this.loop = loop;
    }

    /** Assembles with the delivery pipeline, {@link Shipping#outboxes(Runnable)}. */
    public static Agent assemble(Settings settings, Options options) {
        return assemble(settings, options, Shipping.outboxes(() -> { }));
    }

    /**
     * Assembles the agent; nothing samples until {@link #run()} or {@link #runOnce()}.
     *
     * @throws ConfigProblems every configuration problem of sensors, exporters and outbox, at once
     */
    public static Agent assemble(Settings settings, Options options, OutboxFactory outboxes) {
        Clock clock = options.clock();
        Plugins plugins = Plugins.discover(options.classLoader(), settings.pluginsDir());
        // Plugins.discover logs, at INFO, the folder it read and what it loaded.
        warnUnknownSettings(settings, plugins);
        TokenSlot tokens = new TokenSlot(settings::token);
        AgentContext context = new AgentContext(settings, clock, options.version(), tokens);
        List<String> problems = new ArrayList<>();
        List<SensorSet.Loaded> sensors = List.of();
        List<Exporter> exporters = new ArrayList<>();
        Outbox outbox = null;
        // The outbox is made before the loop; its view of the lagging sensors reads the loop once made.
        AtomicReference<SamplingLoop> loopOnceMade = new AtomicReference<>();
        DeviceHealth health = new DeviceHealth(options.systemRoot(), settings.dataDir(), clock, options.version());
        try {
            sensors = SensorSet.build(settings, plugins, context);
        } catch (ConfigProblems e) {
            problems.addAll(e.problems());
        }
        if (options.dryRun()) {
            outbox = new DryRunOutbox(options.dryRunOut());
        } else {
            createExporters(settings, plugins, context, exporters, problems);
            if (problems.isEmpty()) {
                try {
                    outbox = outboxes.create(new OutboxParts(settings, plugins, exporters.get(0),
                            exporters.subList(1, exporters.size()), health, clock, options.version(), tokens,
                            sensors.size(), () -> {
                                SamplingLoop sampling = loopOnceMade.get();
                                return sampling == null ? Map.of() : sampling.lagging();
                            }));
                } catch (ConfigException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            Agent partial = new Agent(plugins, context, sensors, exporters, health, outbox, null);
            partial.close();
            throw new ConfigProblems(problems);
        }
        SamplingLoop loop = new SamplingLoop(sensors, health, outbox, clock, settings.interval(),
                new ClockPacer(clock), FAILURE_QUIET);
        loopOnceMade.set(loop);
        LOG.info("sensor-reader {}: device '{}', {} sensors, {}, every {} s", options.version(), settings.deviceId(),
                sensors.size(), options.dryRun() ? "dry run (delivering nothing)"
                        : "exporters " + String.join(", ", settings.exporters()), settings.interval().toSeconds());
        return new Agent(plugins, context, sensors, exporters, health, outbox, loop);
    }

    /** One WARN per SENSOR_READER_* variable nothing reads, with the nearest known name. */
    private static void warnUnknownSettings(Settings settings, Plugins plugins) {
        java.util.Set<String> declared = new java.util.HashSet<>();
        plugins.sensorFactories().values().forEach(f -> {
            try {
                declared.addAll(plugins.call(f, f::settingKeys));
            } catch (RuntimeException | Error e) {
                LOG.debug("{}: settingKeys() failed: {}", plugins.sourceOf(f), Plugins.describe(e));
            }
        });
        plugins.exporterFactories().values().forEach(f -> {
            try {
                declared.addAll(plugins.call(f, f::settingKeys));
            } catch (RuntimeException | Error e) {
                LOG.debug("{}: settingKeys() failed: {}", plugins.sourceOf(f), Plugins.describe(e));
            }
        });
        KnownSettings.warnUnknown(settings.given(), declared);
    }

    private static void createExporters(Settings settings, Plugins plugins, AgentContext context,
                                        List<Exporter> exporters, List<String> problems) {
        for (String name : settings.exporters()) {
            ExporterFactory factory = plugins.exporterFactories().get(name);
            if (factory == null) {
                String installed = plugins.exporterFactories().isEmpty() ? "none"
                        : String.join(", ", plugins.exporterFactories().keySet());
                problems.add(settings.view().invalid("EXPORTERS", "names of installed exporters: " + installed)
                        .getMessage());
                return;
            }
            try {
                exporters.add(plugins.call(factory, () -> factory.create(context)));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            } catch (RuntimeException | Error e) {
                problems.add(plugins.sourceOf(factory) + ": exporter '" + name + "' could not be created ("
                        + Plugins.describe(e) + ")");
            }
        }
    }

    /** The device status source, for components that add metrics. */
    public DeviceHealth health() {
        return health;
    }

    /** The factories found. */
    public Plugins plugins() {
        return plugins;
    }

    /**
     * The sensors that keep missing their read deadline, by id, with their misses in a row; empty
     * when all answer in time. Thread-safe; for {@code status}, state.json and metrics.
     */
    public Map<String, Long> laggingSensors() {
        return loop == null ? Map.of() : loop.lagging();
    }

    /** How many sensors were made. */
    public int sensorCount() {
        return sensors.size();
    }

    /** One cycle now, stamped with the current epoch second. */
    public void runOnce() {
        loop.cycleOnce(context.clock().instant().getEpochSecond());
    }

    /** Samples on the fixed-rate schedule until {@link #stop()}. */
    public void run() {
        loop.run();
    }

    /** Ends {@link #run()} after the current cycle; safe from any thread, any number of times. */
    public void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Waits until {@link #close()} has finished; for a shutdown hook. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops sampling and releases everything, in order: outbox (with its grace), exporters,
     * sensors, shared resources, plugin jars. Idempotent; never throws.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            stop();
            if (outbox != null) {
                try {
                    outbox.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the outbox failed: {}", Plugins.describe(e));
                }
            }
            for (Exporter exporter : exporters) {
                try {
                    exporter.close(); // decorated at creation: runs in the plugin's loader
                } catch (RuntimeException | Error e) {
                    LOG.warn("closing exporter {} failed: {}", exporter.destination(), Plugins.describe(e));
                }
            }
            for (int i = sensors.size() - 1; i >= 0; i--) {
                SensorSet.close(sensors.get(i));
            }
            context.close();
            plugins.close();
            LOG.debug("closed");
        } finally {
            closed.countDown();
        }
    }
}
