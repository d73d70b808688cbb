package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolFactory;
import io.sensorreader.api.agent.SpoolStats;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import io.sensorreader.core.delivery.DeliveryService;
import io.sensorreader.core.delivery.DeliveryStats;
import io.sensorreader.core.delivery.DeliverySignals;
import io.sensorreader.core.delivery.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what delivery needs, in one place: the spool, the token keeper (when the primary exporter
 * registers), and the {@link DeliveryService}. {@code run} gets the service itself as its outbox
 * through {@link #outboxes(Runnable)}; the commands that deliver or inspect ({@code retry-now},
 * {@code register}, {@code spool}) open it with {@link #open(Settings, String, Clock, Need)}.
 */
public final class Shipping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipping.class);

    /** The file the token is kept in, inside the data folder. */
    public static final String TOKEN_FILE = "token";

    /** What a command needs opened. */
    public enum Need {
        /** The spool only ({@code spool stats}, {@code spool list}). */
        SPOOL,
        /** The exporter and the token keeper ({@code register}). */
        COLLECTOR,
        /** Both ({@code retry-now}). */
        BOTH
    }

    private final Plugins ownedPlugins;
    private final AgentContext ownedContext;
    private final Exporter ownedExporter;
    private final Spool spool;
    private final TokenKeeper keeper;
    private final DeliveryService courier;
    private final StateWriter state;

    private Shipping(Plugins ownedPlugins, AgentContext ownedContext, Exporter ownedExporter, Spool spool,
                     TokenKeeper keeper, DeliveryService courier, StateWriter state) {
        this.ownedPlugins = ownedPlugins;
        this.ownedContext = ownedContext;
        this.ownedExporter = ownedExporter;
        this.spool = spool;
        this.keeper = keeper;
        this.courier = courier;
        this.state = state;
    }

    /**
     * The outbox of {@code run}: opens the spool and the token keeper, starts the courier, adds
     * spool and delivery figures to the device status, and keeps {@code state.json} current.
     *
     * @param onFirstDelivery called once, after the first batch is delivered (self-update health)
     */
    public static Agent.OutboxFactory outboxes(Runnable onFirstDelivery) {
        return outboxes(onFirstDelivery, signals -> { });
    }

    /**
     * Like {@link #outboxes(Runnable)}, and hands {@code signals} the delivery facts the
     * self-update reads ("delivered since start", "collector unreachable") once delivery is made.
     */
    public static Agent.OutboxFactory outboxes(Runnable onFirstDelivery,
                                               java.util.function.Consumer<DeliverySignals> signals) {
        return parts -> {
            Settings settings = parts.settings();
            RetrySettings retry = RetrySettings.from(settings.view());
            Spool spool = openSpoolInBackground(settings, parts.plugins(), parts.clock());
            TokenKeeper keeper = keeper(settings, parts.primary(), parts.clock()).orElse(null);
            if (keeper != null) {
                parts.tokens().bind(keeper);
            }
            DeliveryStats stats = new DeliveryStats(settings.interval(), parts.clock().instant());
            DeliveryService service = new DeliveryService(parts.primary(), parts.taps(), spool, parts.tokens(),
                    keeper == null ? TokenRenewal.NONE : keeper::renewAfterUnauthorized, retry, settings.interval(),
                    parts.clock(), RandomGenerator.getDefault(), new Redactor(parts.tokens(), settings.token()), stats);
            signals.accept(stats);
            StateWriter state = new StateWriter(settings, parts.clock(), parts.agentVersion(), spool, stats,
                    parts.tokens(), parts.primary().destination(), onFirstDelivery,
                    ReleaseHealth.from(settings, parts.agentVersion(), parts.clock()), parts.sensorCount(),
                    parts.lagging());
            parts.health().addContributor(() -> figures(spool, stats));
            service.onStatus(state::cycleDone);
            // Closed after the service, in this order: the last state, the keeper, the spool.
            service.closeAfter(state);
            if (keeper != null) {
                service.closeAfter(keeper);
            }
            service.closeAfter(spool);
            if (keeper != null) {
                // What waited in the spool for the first token goes out as soon as there is one.
                keeper.onNewToken(service::drainNow);
                keeper.start();
            }
            if (spool instanceof OpeningSpool opening) {
                // The first live batch goes out while LMDB opens; the drain follows the opening.
                service.start(false);
                opening.whenOpen(service::drainNow);
            } else {
                service.start();
            }
            state.start();
            return service;
        };
    }

    /**
     * Opens delivery for a command, outside {@code run}.
     *
     * @throws ConfigProblems when a setting is wrong or a needed plugin is missing
     */
    public static Shipping open(Settings settings, String version, Clock clock, Need need) {
        // Read before anything is opened: a bad value must not leave the spool or the exporter open.
        RetrySettings retry = null;
        if (need == Need.BOTH) {
            try {
                retry = RetrySettings.from(settings.view());
            } catch (ConfigException e) {
                throw new ConfigProblems(List.of(e.getMessage()));
            }
        }
        Plugins plugins = Plugins.discover(Shipping.class.getClassLoader(), settings.pluginsDir());
        plugins.problems().forEach(p -> LOG.warn("{}", p));
        TokenSlot tokens = new TokenSlot(settings::token);
        AgentContext context = new AgentContext(settings, clock, version, tokens);
        Exporter exporter = null;
        Spool spool = null;
        TokenKeeper keeper = null;
        try {
            if (need != Need.SPOOL) {
                exporter = primaryExporter(settings, plugins, context);
                keeper = keeper(settings, exporter, clock).orElse(null);
                if (keeper != null) {
                    tokens.bind(keeper);
                }
            }
            if (need != Need.COLLECTOR) {
                spool = openSpool(settings, plugins, clock);
            }
        } catch (RuntimeException e) {
            new Shipping(plugins, context, exporter, spool, keeper, null, null).close();
            throw e;
        }
        DeliveryService courier = exporter != null && spool != null
                ? new DeliveryService(exporter, List.of(), spool, tokens,
                        keeper == null ? TokenRenewal.NONE : keeper::renewAfterUnauthorized, retry,
                        settings.interval(), clock, RandomGenerator.getDefault(),
                        new Redactor(tokens, settings.token()), DeliveryStats.forCommand(clock.instant()))
                : null;
        return new Shipping(plugins, context, exporter, spool, keeper, courier, null);
    }

    private static Exporter primaryExporter(Settings settings, Plugins plugins, AgentContext context) {
        String name = settings.exporters().get(0);
        ExporterFactory factory = plugins.exporterFactories().get(name);
        if (factory == null) {
            throw new ConfigProblems(List.of(settings.view().invalid("EXPORTERS", "names of installed exporters: "
                    + String.join(", ", plugins.exporterFactories().keySet())).getMessage()));
        }
        try {
            return plugins.call(factory, () -> factory.create(context));
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
    }

    /** The durable spool named by {@code SPOOL} (default: the first installed), or memory as a last resort. */
    static Spool openSpool(Settings settings, Plugins plugins, Clock clock) {
        SpoolFactory factory = spoolFactory(settings, plugins);
        if (factory == null) {
            return memorySpool(clock);
        }
        try {
            return plugins.call(factory, () -> {
                try {
                    return factory.open(settings.dataDir(), settings.view(), clock);
                } catch (SpoolException e) {
                    throw new ConfigProblems(List.of("the spool in " + settings.dataDir() + " cannot be opened: "
                            + e.getMessage()));
                }
            });
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        }
    }

    /**
     * For {@code run}: the same spool, its settings checked now and opened on a background thread,
     * so that neither start-up nor the first delivery waits for the native store (about 0.5 s here
     * for LMDB through jnr-ffi; more on a Pi). A spool that then fails to open leaves a memory spool
     * in its place, with an ERROR.
     */
    static Spool openSpoolInBackground(Settings settings, Plugins plugins, Clock clock) {
        SpoolFactory factory = spoolFactory(settings, plugins);
        if (factory == null) {
            return memorySpool(clock);
        }
        try {
            plugins.call(factory, () -> {
                factory.validate(settings.view());
                return null;
            });
            java.nio.file.Files.createDirectories(settings.dataDir());
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(e.getMessage()));
        } catch (java.io.IOException e) {
            throw new ConfigProblems(List.of(settings.view().invalid("DATA_DIR", "a folder the agent can create"
                    + " and write (" + e.getMessage() + ")").getMessage()));
        }
        return new OpeningSpool(() -> plugins.call(factory, () -> {
            try {
                return factory.open(settings.dataDir(), settings.view(), clock);
            } catch (SpoolException e) {
                throw new java.io.UncheckedIOException(new java.io.IOException(e.getMessage(), e));
            }
        }), () -> memorySpool(clock), settings.dataDir().toString());
    }

    /** The factory SPOOL names, or {@code null} for the memory spool. */
    private static SpoolFactory spoolFactory(Settings settings, Plugins plugins) {
        Map<String, SpoolFactory> factories = plugins.spoolFactories();
        String wanted = settings.view().getString("SPOOL", factories.isEmpty() ? "memory" : factories.keySet().iterator().next());
        if (wanted.equals("memory")) {
            return null;
        }
        SpoolFactory factory = factories.get(wanted);
        if (factory == null) {
            throw new ConfigProblems(List.of(settings.view().invalid("SPOOL", "an installed spool: "
                    + String.join(", ", factories.keySet()) + " or memory").getMessage()));
        }
        return factory;
    }

    private static Spool memorySpool(Clock clock) {
        LOG.warn("no durable spool (exporter-lmdb): undelivered batches are kept in memory only and a restart loses them");
        return new MemorySpool(clock, 10_000);
    }

    /** A token keeper when the exporter registers; the token lives in the data folder. */
    static Optional<TokenKeeper> keeper(Settings settings, Exporter primary, Clock clock) {
        Optional<Registrar> registrar = primary.registrar();
        return registrar.map(r -> new TokenKeeper(settings.dataDir().resolve(TOKEN_FILE), settings.token(), r,
                settings.deviceId(), settings.description(), clock));
    }

    /** The spool's and the courier's figures as device-status metrics. */
    static Map<String, Object> figures(Spool spool, DeliveryStats stats) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spool instanceof OpeningSpool opening && !opening.ready()) {
            m.putAll(stats.asMetrics()); // the first cycle does not wait for the spool to open
            return m;
        }
        try {
            SpoolStats s = spool.stats();
            m.put("spool_batches", s.batches());
            m.put("spool_bytes", s.bytes());
            m.put("dead_letters", s.deadLetters());
            m.put("spool_evicted", s.evicted());
        } catch (SpoolException e) {
            m.put("spool_error", e.getMessage());
        }
        m.putAll(stats.asMetrics());
        return m;
    }

    /** The spool; present unless opened for {@link Need#COLLECTOR}. */
    public Spool spool() {
        if (spool == null) {
            throw new IllegalStateException("opened without the spool");
        }
        return spool;
    }

    /** The token keeper; empty when the exporter does not register. */
    public Optional<TokenKeeper> keeper() {
        return Optional.ofNullable(keeper);
    }

    /** The delivery service; present when opened with {@link Need#BOTH}. */
    public DeliveryService delivery() {
        if (courier == null) {
            throw new IllegalStateException("opened without delivery");
        }
        return courier;
    }

    /** Where batches go, e.g. the collector's URL. */
    public String destination() {
        return ownedExporter != null ? ownedExporter.destination() : "";
    }

    /** Closes what the command opened: delivery, the keeper, the spool, the exporter, the plugins. */
    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        if (courier != null) {
            order.add(courier);
        }
        if (state != null) {
            order.add(state);
        }
        if (keeper != null) {
            order.add(keeper);
        }
        if (spool != null) {
            order.add(spool);
        }
        if (ownedExporter != null) {
            order.add(ownedExporter);
        }
        if (ownedContext != null) {
            order.add(ownedContext);
        }
        if (ownedPlugins != null) {
            order.add(ownedPlugins);
        }
        for (AutoCloseable c : order) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** For tests and {@code status}: the token file of a data folder. */
    static Path tokenFile(Settings settings) {
        return settings.dataDir().resolve(TOKEN_FILE);
    }
}
