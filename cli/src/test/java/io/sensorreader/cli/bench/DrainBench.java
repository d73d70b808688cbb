package io.sensorreader.cli.bench;

import io.sensorreader.api.agent.MapConfig;
import com.sun.net.httpserver.HttpServer;
import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Secret;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import io.sensorreader.api.TokenSource;
import io.sensorreader.core.delivery.DeliveryService;
import io.sensorreader.core.delivery.DeliveryStats;
import io.sensorreader.core.delivery.Redactor;
import io.sensorreader.core.RetrySettings;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.TokenRenewal;
import io.sensorreader.http.HttpExporterFactory;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import io.sensorreader.lmdb.LmdbSpoolFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not a test (issue 4): drains a real LMDB spool of sensor batches to a collector over loopback
 * and reports batches/s, readings/s, requests and wall time per run.
 *
 * <p>Arguments: {@code [runs=3] [batches=20000] [mode=all]}; modes:
 * <ul>
 *   <li>{@code shipping}: the real wiring, {@link Shipping#open} with the real settings against the
 *       in-process {@link TestCollector}; registers with the token keeper, then times
 *       {@code courier().drainOnce(...)}; checks that every (sensor id, timestamp) arrived exactly once.
 *   <li>{@code breakdown}: the same drain through a {@link Courier} built by hand around a timing
 *       spool and a timing exporter, against the TestCollector: time in the spool vs. in delivery.
 *   <li>{@code agent}: as {@code breakdown}, but against a trivial loopback server that reads the
 *       body and answers 201: the agent side's own rate.
 *   <li>{@code day} (issue 10): a day's backlog at 5 s, {@code batches} cycles (17,280 for 24 h) of
 *       a sensor batch and its device status, interleaved as the agent spools them, drained through
 *       the real wiring ({@code delivery().drainOnce}) into the TestCollector: requests made, time
 *       taken, exactly once. Not part of {@code all}.
 * </ul>
 * The spool is filled once (synced appends, as in production: the append rate is printed) and
 * copied for each run. {@code -Dbench.page=N} caps each {@code oldest} call of the timing spool at N
 * batches (the courier asks for 1,000), to try smaller pages without changing the courier.
 */
public final class DrainBench {

    private static final long T0 = 1_764_190_000L;
    private static final int READINGS = 20;
    private static final String DEVICE = "bench-pi";
    /** {@code -Dbench.page=250}: the timing spool hands out at most that many per {@code oldest} call. */
    private static final int PAGE_CAP = Integer.getInteger("bench.page", Integer.MAX_VALUE);

    private DrainBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String mode = args.length > 2 ? args[2] : "all";
        Path work = Files.createTempDirectory("drain-bench");
        Path filled = work.resolve("filled");
        if (mode.equals("day")) {
            fillDay(filled, batches);
        } else {
            fill(filled, batches);
        }
        for (String m : mode.equals("all") ? List.of("shipping", "breakdown", "agent") : List.of(mode)) {
            for (int run = 1; run <= runs; run++) {
                Path data = work.resolve(m + "-" + run);
                copy(filled, data);
                switch (m) {
                    case "shipping" -> shipping(run, data, batches);
                    case "breakdown" -> breakdown(run, data, batches, false);
                    case "agent" -> breakdown(run, data, batches, true);
                    case "day" -> day(run, data, batches);
                    default -> throw new IllegalArgumentException("mode: shipping, breakdown, agent or all");
                }
                delete(data);
            }
        }
        delete(work);
    }

    /** 20 readings like the agent's: 10 float switches, 10 energy meters; one timestamp per batch. */
    static SensorBatch batch(long t) {
        List<Reading> readings = new ArrayList<>(READINGS);
        for (int i = 1; i <= READINGS / 2; i++) {
            readings.add(new Reading(DEVICE + "_float_" + i, "FloatSensor", "Float switch " + i, i % 2, "", t,
                    Map.of("flips", 0L)));
        }
        for (int i = 1; i <= READINGS / 2; i++) {
            readings.add(new Reading(DEVICE + "_energy_" + i, "EnergyConsumptionSensor", "Energy meter " + i,
                    1234.56 + i, "W", t, Map.of("energy_kwh", 12.345678 + i, "pulses", 9L)));
        }
        return new SensorBatch(t, readings);
    }

    private static void fill(Path data, int batches) throws Exception {
        Files.createDirectories(data);
        try (Spool spool = new LmdbSpoolFactory().open(data, spoolSettings(), Clock.systemUTC())) {
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < batches; i++) {
                bytes += spool.append(batch(T0 + 5L * i), 503).sizeBytes();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("fill: %d batches appended (each synced) in %.1f s = %.0f/s, %.1f MB of records%n",
                    batches, s, batches / s, bytes / 1e6);
        }
    }

    /** A cycle's device status, as the agent sends it. */
    static io.sensorreader.api.DeviceStatus status(long t) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("cpu_usage_percent", 12.5);
        m.put("memory_usage_percent", 41.0);
        m.put("temperature_celsius", 48.3);
        m.put("disk_used_percent", 23.1);
        m.put("uptime_seconds", 86_400L);
        m.put("agent_version", "bench");
        m.put("spool_batches", 0L);
        return new io.sensorreader.api.DeviceStatus(t, m);
    }

    private static void fillDay(Path data, int cycles) throws Exception {
        Files.createDirectories(data);
        try (Spool spool = new LmdbSpoolFactory().open(data, spoolSettings(), Clock.systemUTC())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                spool.append(batch(T0 + 5L * i), 503);
                spool.append(status(T0 + 5L * i), 503);
            }
            System.out.printf("fill: %d cycles (a sensor batch of %d readings and a status each) in %.1f s%n",
                    cycles, READINGS, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void day(int run, Path data, int cycles) throws Exception {
        try (TestCollector collector = TestCollector.start()) {
            Settings settings = Settings.load(Map.of(
                    "SENSOR_READER_DEVICE_ID", DEVICE,
                    "SENSOR_READER_COLLECTOR_HOST", collector.url(),
                    "SENSOR_READER_DATA_DIR", data.toString(),
                    "SENSOR_READER_SPOOL_MAX_MB", "256"), Map.of(), data.getParent(), DEVICE);
            try (Shipping shipping = Shipping.open(settings, "bench", Clock.systemUTC(), Shipping.Need.BOTH)) {
                Registration r = shipping.keeper().orElseThrow().registerNow(false);
                if (!(r instanceof Registration.Registered)) {
                    throw new IllegalStateException("registration failed: " + r);
                }
                long gc0 = gcMillis();
                long t0 = System.nanoTime();
                DeliveryService.Pass pass;
                long delivered = 0;
                do {
                    pass = shipping.delivery().drainOnce(DeliveryService.RetryProgress.NONE);
                    delivered += pass.delivered();
                } while (pass.left() > 0 && pass.stoppedBy().isEmpty());
                double s = (System.nanoTime() - t0) / 1e9;
                int metricsRequests = collector.requests("/metrics").size();
                int statusRequests = collector.requests("/devices/status").size();
                Set<String> distinct = new HashSet<>();
                collector.metrics().forEach(m -> distinct.add(m.sensorId() + "@" + m.timestamp()));
                boolean exact = collector.metrics().size() == cycles * READINGS && distinct.size() == cycles * READINGS
                        && collector.statuses().size() == cycles && pass.left() == 0 && pass.deadLettered() == 0;
                System.out.printf("day run %d: %d cycles (%d batches) in %.2f s; %d requests (%d POST /metrics, %d POST"
                                + " /devices/status); stored %d readings, %d statuses, left %d: %s; GC %d ms, load %s%n",
                        run, cycles, delivered, s, metricsRequests + statusRequests, metricsRequests, statusRequests,
                        collector.metrics().size(), collector.statuses().size(), pass.left(),
                        exact ? "exact" : "MISMATCH", gcMillis() - gc0, load());
            }
        }
    }

    /** Milliseconds spent in garbage collection so far, all collectors. */
    static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static PluginConfig spoolSettings() {
        return new MapConfig("", "SENSOR_READER_", Map.of("SPOOL_MAX_MB", "256"));
    }

    // ---- shipping: the real wiring ------------------------------------------------------------

    private static void shipping(int run, Path data, int batches) throws Exception {
        try (TestCollector collector = TestCollector.start()) {
            Settings settings = Settings.load(Map.of(
                    "SENSOR_READER_DEVICE_ID", DEVICE,
                    "SENSOR_READER_COLLECTOR_HOST", collector.url(),
                    "SENSOR_READER_DATA_DIR", data.toString(),
                    "SENSOR_READER_SPOOL_MAX_MB", "256"), Map.of(), data.getParent(), DEVICE);
            try (Shipping shipping = Shipping.open(settings, "bench", Clock.systemUTC(), Shipping.Need.BOTH)) {
                Registration r = shipping.keeper().orElseThrow().registerNow(false);
                if (!(r instanceof Registration.Registered)) {
                    throw new IllegalStateException("registration failed: " + r);
                }
                long gc0 = gcMillis();
                long t0 = System.nanoTime();
                long delivered = 0;
                DeliveryService.Pass pass;
                do {
                    pass = shipping.delivery().drainOnce(DeliveryService.RetryProgress.NONE);
                    delivered += pass.delivered();
                } while (pass.left() > 0 && pass.stoppedBy().isEmpty());
                double s = (System.nanoTime() - t0) / 1e9;
                long gc1 = gcMillis();
                int requests = collector.requests("/metrics").size();
                List<StoredMetric> stored = collector.metrics();
                Set<String> distinct = new HashSet<>();
                for (StoredMetric m : stored) {
                    distinct.add(m.sensorId() + "@" + m.timestamp());
                }
                boolean exact = delivered == batches && stored.size() == batches * READINGS
                        && distinct.size() == batches * READINGS && pass.left() == 0 && pass.deadLettered() == 0;
                System.out.printf("shipping run %d: %d batches in %.2f s = %.0f batches/s, %.0f readings/s, %d POST /metrics;"
                                + " stored %d readings, %d distinct (id, timestamp), left %d: %s; GC %d ms, load %s%n",
                        run, delivered, s, delivered / s, delivered * READINGS / s, requests, stored.size(),
                        distinct.size(), pass.left(), exact ? "exact" : "MISMATCH", gc1 - gc0, load());
            }
        }
    }

    // ---- breakdown: where the time goes --------------------------------------------------------

    private static void breakdown(int run, Path data, int batches, boolean nullServer) throws Exception {
        AutoCloseable server;
        String url;
        NullCollector nul = null;
        TestCollector collector = null;
        if (nullServer) {
            nul = new NullCollector();
            server = nul;
            url = nul.url();
        } else {
            collector = TestCollector.start();
            server = collector;
            url = collector.url();
        }
        try (server) {
            PluginConfig config = new MapConfig("", "SENSOR_READER_", Map.of("COLLECTOR_HOST", url));
            TokenHolder tokens = new TokenHolder();
            Exporter http = new HttpExporterFactory().create(new BenchContext(config, tokens));
            Registrar registrar = http.registrar().orElseThrow();
            Registration r = registrar.register(DEVICE, "bench", Optional.empty());
            if (!(r instanceof Registration.Registered registered)) {
                throw new IllegalStateException("registration failed: " + r);
            }
            tokens.token = registered.token();
            TimingExporter exporter = new TimingExporter(http);
            try (TimingSpool spool = new TimingSpool(new LmdbSpoolFactory().open(data, spoolSettings(), Clock.systemUTC()))) {
                DeliveryService courier = new DeliveryService(exporter, List.of(), spool, tokens, TokenRenewal.NONE,
                        RetrySettings.defaults(), java.time.Duration.ofSeconds(5), Clock.systemUTC(),
                        java.util.random.RandomGenerator.getDefault(), Redactor.SHAPES,
                        DeliveryStats.forCommand(java.time.Instant.now()));
                long gc0 = gcMillis();
                long t0 = System.nanoTime();
                DeliveryService.Pass pass = courier.drainOnce(DeliveryService.RetryProgress.NONE);
                long total = System.nanoTime() - t0;
                long gc = gcMillis() - gc0;
                double s = total / 1e9;
                long requests = nullServer ? nul.metricsRequests.get() : collector.requests("/metrics").size();
                String check;
                if (nullServer) {
                    check = "readings seen by the server " + nul.readings.get();
                } else {
                    List<StoredMetric> stored = collector.metrics();
                    Set<String> distinct = new HashSet<>();
                    stored.forEach(m -> distinct.add(m.sensorId() + "@" + m.timestamp()));
                    check = "stored " + stored.size() + ", distinct " + distinct.size();
                }
                long encode = exporter.encodeNanos();
                System.out.printf("%s run %d: %d batches in %.2f s = %.0f batches/s, %.0f readings/s, %d POST /metrics, %s, left %d;"
                                + " spool %.0f ms (oldest %.0f, acknowledge %.0f, stats %.0f), deliver %.0f ms"
                                + " (of which JSON encoding about %.0f), rest %.0f ms; GC %d ms, load %s%n",
                        nullServer ? "agent (null server)" : "breakdown (TestCollector)", run, pass.delivered(), s,
                        pass.delivered() / s, pass.delivered() * READINGS / s, requests, check, pass.left(),
                        spool.total() / 1e6, spool.oldest.get() / 1e6, spool.acknowledge.get() / 1e6,
                        spool.stats.get() / 1e6, exporter.nanos / 1e6, encode * (double) requests / 1e6,
                        (total - spool.total() - exporter.nanos) / 1e6, gc, load());
            }
            http.close();
        }
    }

    /** A collector that only reads the body, counts the readings in it and answers 201. */
    static final class NullCollector implements AutoCloseable {
        final AtomicLong metricsRequests = new AtomicLong();
        final AtomicLong readings = new AtomicLong();
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(2);

        NullCollector() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    String answer;
                    if (exchange.getRequestURI().getPath().equals("/devices")) {
                        answer = "{\"message\":\"Device registered successfully\",\"device\":{\"id\":1,\"external_id\":\""
                                + DEVICE + "\"},\"token\":\"" + "ab".repeat(32) + "\"}";
                    } else {
                        metricsRequests.incrementAndGet();
                        readings.addAndGet(count(body, "\"timestamp\"".getBytes(StandardCharsets.UTF_8)));
                        answer = "{\"message\":\"ok\"}";
                    }
                    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                    exchange.sendResponseHeaders(201, out.length);
                    try (OutputStream o = exchange.getResponseBody()) {
                        o.write(out);
                    }
                }
            });
            server.setExecutor(executor);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static long count(byte[] hay, byte[] needle) {
            long n = 0;
            outer:
            for (int i = 0; i <= hay.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                n++;
            }
            return n;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static final class TokenHolder implements TokenSource {
        volatile Secret token;

        @Override
        public Optional<Secret> current() {
            return Optional.ofNullable(token);
        }
    }

    private record BenchContext(PluginConfig settings, TokenSource tokens) implements ExporterContext {
        @Override
        public String deviceId() {
            return DEVICE;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public String agentVersion() {
            return "bench";
        }
    }

    private static final class TimingExporter implements Exporter {
        private final Exporter delegate;
        long nanos;
        Batch last;

        TimingExporter(Exporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public Delivery deliver(Batch batch) {
            long t = System.nanoTime();
            try {
                return delegate.deliver(batch);
            } finally {
                nanos += System.nanoTime() - t;
                last = batch;
            }
        }

        /** The time to encode one request like the last one as JSON, after the run (median of 5). */
        long encodeNanos() {
            if (last == null) {
                return 0;
            }
            long[] t = new long[5];
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                last.toJson();
                t[i] = System.nanoTime() - s;
            }
            java.util.Arrays.sort(t);
            return t[2];
        }

        @Override
        public String destination() {
            return delegate.destination();
        }
    }

    /** The real spool, with the time spent in each call counted. */
    private static final class TimingSpool implements Spool {
        private final Spool delegate;
        final AtomicLong oldest = new AtomicLong();
        final AtomicLong acknowledge = new AtomicLong();
        final AtomicLong stats = new AtomicLong();
        final AtomicLong other = new AtomicLong();

        TimingSpool(Spool delegate) {
            this.delegate = delegate;
        }

        long total() {
            return oldest.get() + acknowledge.get() + stats.get() + other.get();
        }

        @Override
        public SpooledBatch append(Batch batch, int lastStatus) throws SpoolException {
            long t = System.nanoTime();
            try {
                return delegate.append(batch, lastStatus);
            } finally {
                other.addAndGet(System.nanoTime() - t);
            }
        }

        @Override
        public List<SpooledBatch> oldest(int max) throws SpoolException {
            long t = System.nanoTime();
            try {
                return delegate.oldest(Math.min(max, PAGE_CAP));
            } finally {
                oldest.addAndGet(System.nanoTime() - t);
            }
        }

        @Override
        public void acknowledge(List<SpooledBatch> delivered) throws SpoolException {
            long t = System.nanoTime();
            try {
                delegate.acknowledge(delivered);
            } finally {
                acknowledge.addAndGet(System.nanoTime() - t);
            }
        }

        @Override
        public void recordAttempt(SpooledBatch batch, int status, String reason) throws SpoolException {
            delegate.recordAttempt(batch, status, reason);
        }

        @Override
        public void deadLetter(SpooledBatch batch, int status, String reason) throws SpoolException {
            delegate.deadLetter(batch, status, reason);
        }

        @Override
        public void deadLetter(Batch batch, int status, String reason) throws SpoolException {
            delegate.deadLetter(batch, status, reason);
        }

        @Override
        public List<DeadLetter> deadLetters(int max) throws SpoolException {
            return delegate.deadLetters(max);
        }

        @Override
        public int requeue(List<String> keys) throws SpoolException {
            return delegate.requeue(keys);
        }

        @Override
        public SpoolStats stats() throws SpoolException {
            long t = System.nanoTime();
            try {
                return delegate.stats();
            } finally {
                stats.addAndGet(System.nanoTime() - t);
            }
        }

        @Override
        public Optional<DrainLock> tryLockDrain() throws SpoolException {
            return delegate.tryLockDrain();
        }

        @Override
        public String location() {
            return delegate.location();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    // ---- files ---------------------------------------------------------------------------------

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
