package io.sensorreader.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process collector for tests: a real HTTP server on {@code 127.0.0.1} (a free port) that
 * follows {@code collector-api.md} — paths, statuses, the exact error bodies, SHA-256-hashed tokens
 * valid 30 days on the given {@link Clock}, devices by external id, sensor ids unique per type
 * across devices, whole-batch rejection — and records everything that arrives.
 *
 * <pre>{@code
 * try (TestCollector collector = TestCollector.start()) {
 *     String url = collector.url();                  // SENSOR_READER_COLLECTOR_HOST
 *     collector.failNext(2, 503, "7");               // two 503s with Retry-After: 7
 *     ...
 *     assertThat(collector.metrics()).extracting(StoredMetric::sensorId).containsExactly("tank_top");
 *     assertThat(collector.requests("/metrics").get(0).bodyText()).isEqualTo("[...]");
 * }
 * }</pre>
 *
 * <p>Faults queue up in the order they are added and each applies to the next request, whatever
 * its path. Every request is recorded, faulted or not. Safe to use from several threads.
 */
public final class TestCollector implements AutoCloseable {

    /** The sensor types the reference collector knows. */
    public static final Set<String> KNOWN_TYPES = Set.of("FloatSensor", "EnergyConsumptionSensor");

    /** How long a token is valid. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(30);

    /** The page a proxy shows for a failed upstream, for {@link #answerHtmlNext}. */
    public static final String HTML_PAGE = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
            + "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    // The type is what precedes a colon at the start: letters, digits, '_' and ':' (e.g. Foo::Bar).
    private static final Pattern TYPE_PREFIX = Pattern.compile("([A-Za-z0-9_:]+):");

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, DeviceRecord> devicesByExternalId = new LinkedHashMap<>();
    private final Map<String, DeviceRecord> devicesByTokenHash = new HashMap<>();
    private final Map<String, String> sensorOwners = new HashMap<>();
    private final List<StoredMetric> metrics = new ArrayList<>();
    private final List<StoredStatus> statuses = new ArrayList<>();
    private int registrations;
    private long nextDeviceId = 1;

    private TestCollector(Clock clock, int port) throws IOException {
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "test-collector-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a collector on a free loopback port, on the system clock. */
    public static TestCollector start() {
        return start(Clock.systemUTC());
    }

    /** Starts a collector on a free loopback port; token expiry follows {@code clock}. */
    public static TestCollector start(Clock clock) {
        return start(clock, 0);
    }

    /** Starts a collector on the given loopback port (0: a free one); for running it by hand. */
    public static TestCollector start(Clock clock, int port) {
        try {
            return new TestCollector(clock, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test collector", e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}: the value for {@code SENSOR_READER_COLLECTOR_HOST}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@link #url()} as a URI. */
    public URI uri() {
        return URI.create(url());
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    // ---- faults ----------------------------------------------------------------------------

    /** The next {@code n} requests answer {@code status} (e.g. 503) with {@code {"error": "Internal server error"}}. */
    public synchronized void failNext(int n, int status) {
        failNext(n, status, null);
    }

    /** Like {@link #failNext(int, int)}, with a {@code Retry-After} header (seconds or an HTTP date). */
    public synchronized void failNext(int n, int status, String retryAfter) {
        add(n, new Fault.Fail(status, retryAfter));
    }

    /** The next {@code n} requests wait {@code delay}, then are handled normally (and stored, if valid). */
    public synchronized void delayNext(int n, Duration delay) {
        add(n, new Fault.Delay(delay));
    }

    /** The next {@code n} requests are read, then the connection is closed without an answer. */
    public synchronized void dropNext(int n) {
        add(n, new Fault.Drop());
    }

    /** The next {@code n} requests get this answer, stored nothing. */
    public synchronized void answerGarbageNext(int n, int status, String contentType, String body) {
        add(n, new Fault.Garbage(status, contentType, body));
    }

    /** The next {@code n} requests get {@link #HTML_PAGE} as {@code text/html} with this status, stored nothing. */
    public synchronized void answerHtmlNext(int n, int status) {
        answerGarbageNext(n, status, "text/html", HTML_PAGE);
    }

    /**
     * The next {@code n} requests are handled normally (a valid batch is stored), but a 201 is
     * answered with {@code status} instead, e.g. 200.
     */
    public synchronized void answerStatusInsteadOf201Next(int n, int status) {
        add(n, new Fault.Instead(status));
    }

    /**
     * The next {@code n} requests are answered {@code status} with an error text that echoes the
     * request's {@code X-API-KEY} value, as a careless proxy or collector might; nothing is stored.
     */
    public synchronized void echoTokenNext(int n, int status) {
        add(n, new Fault.Echo(status));
    }

    /**
     * The next {@code n} requests are handled normally (a valid batch is stored), and a 201 is
     * answered with a JSON body of about {@code bytes} bytes ({@code {"message": "xxx..."}}).
     */
    public synchronized void answerHugeBodyNext(int n, int bytes) {
        add(n, new Fault.Huge(bytes));
    }

    /** Every token issued so far is now expired (a 401 {@code Token expired}); registering renews. */
    public synchronized void expireAllTokens() {
        Instant longAgo = clock.instant().minus(TOKEN_LIFETIME).minusSeconds(1);
        for (DeviceRecord d : devicesByExternalId.values()) {
            d.issuedAt = longAgo;
        }
    }

    /** Forgets the faults not used yet. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    private void add(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            faults.addLast(fault);
        }
    }

    // ---- what arrived ----------------------------------------------------------------------

    /** Every request received, in order, faulted ones included. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests received on one path, e.g. {@code /metrics}. */
    public synchronized List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The readings stored, in arrival order. */
    public synchronized List<StoredMetric> metrics() {
        return List.copyOf(metrics);
    }

    /** The device statuses stored, in arrival order. */
    public synchronized List<StoredStatus> statuses() {
        return List.copyOf(statuses);
    }

    /** The devices known, in creation order. */
    public synchronized List<Device> devices() {
        return devicesByExternalId.values().stream()
                .map(d -> new Device(d.id, d.externalId, d.description)).toList();
    }

    /** How many registrations succeeded (201 on {@code POST /devices}). */
    public synchronized int registrations() {
        return registrations;
    }

    /**
     * Registers a device directly, without a request, as if it had registered earlier; counts as
     * a registration.
     *
     * @return the new token
     */
    public synchronized String register(String externalId, String description) {
        DeviceRecord device = devicesByExternalId.get(externalId);
        if (device == null) {
            device = new DeviceRecord(nextDeviceId++, externalId, description);
            devicesByExternalId.put(externalId, device);
        }
        return issueToken(device);
    }

    /** Stops the server at once; requests in flight are abandoned. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the protocol ----------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            Fault fault;
            int index;
            synchronized (this) {
                fault = faults.pollFirst();
                index = requests.size();
                requests.add(new RecordedRequest(exchange.getRequestMethod(), path, copy(exchange), body, 0));
            }
            Answer answer = switch (fault) {
                case null -> answer(exchange, path, body);
                case Fault.Fail f -> {
                    if (f.retryAfter() != null) {
                        exchange.getResponseHeaders().add("Retry-After", f.retryAfter());
                    }
                    yield error(f.status(), "Internal server error");
                }
                case Fault.Delay d -> {
                    try {
                        Thread.sleep(d.delay());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        yield null;
                    }
                    yield answer(exchange, path, body);
                }
                case Fault.Drop d -> null;
                case Fault.Huge h -> {
                    Answer a = answer(exchange, path, body);
                    yield a.status() != 201 ? a : new Answer(201, a.contentType(),
                            ("{\"message\": \"" + "x".repeat(h.bytes()) + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                case Fault.Echo e -> error(e.status(), "invalid request from key "
                        + Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-API-KEY")).orElse("(none)")
                        + " (X-API-KEY: " + Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-API-KEY")).orElse("")
                        + ")");
                case Fault.Garbage g -> new Answer(g.status(), g.contentType(), g.body().getBytes(StandardCharsets.UTF_8));
                case Fault.Instead i -> {
                    Answer a = answer(exchange, path, body);
                    yield a.status() == 201 ? new Answer(i.status(), a.contentType(), a.body()) : a;
                }
            };
            synchronized (this) {
                RecordedRequest r = requests.get(index);
                requests.set(index, new RecordedRequest(r.method(), r.path(), r.headers(), r.body(),
                        answer == null ? 0 : answer.status()));
            }
            if (answer == null) {
                return; // closing the exchange before any answer drops the connection
            }
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    private Answer answer(HttpExchange exchange, String path, byte[] body) {
        if (!exchange.getRequestMethod().equals("POST")) {
            return unreadable(exchange, 405, "Method not allowed");
        }
        Optional<JsonNode> parsed = parse(body);
        synchronized (this) {
            return switch (path) {
                case "/devices" -> parsed.map(b -> devices(exchange, b))
                        .orElseGet(() -> unreadable(exchange, 400, "Malformed JSON"));
                case "/metrics", "/devices/status" -> {
                    Auth auth = authenticate(exchange);
                    if (auth.refusal() != null) {
                        yield auth.refusal();
                    }
                    if (parsed.isEmpty()) {
                        yield unreadable(exchange, 400, "Malformed JSON");
                    }
                    yield path.equals("/metrics") ? metrics(parsed.get(), auth.device()) : status(parsed.get(), auth.device());
                }
                default -> unreadable(exchange, 404, "Not found");
            };
        }
    }

    private Answer devices(HttpExchange exchange, JsonNode body) {
        String key = exchange.getRequestHeaders().getFirst("X-API-KEY");
        DeviceRecord device = key == null || key.isEmpty() ? null : devicesByTokenHash.get(sha256(key));
        if (device == null) {
            String id = text(body, "id");
            device = id == null ? null : devicesByExternalId.get(id);
            if (device == null) {
                String description = text(body, "description");
                List<String> problems = new ArrayList<>();
                if (id == null || id.isBlank()) {
                    problems.add("External can't be blank");
                }
                if (description == null || description.isBlank()) {
                    problems.add("Description can't be blank");
                }
                if (!problems.isEmpty()) {
                    return error(422, String.join(", ", problems));
                }
                device = new DeviceRecord(nextDeviceId++, id, description);
                devicesByExternalId.put(id, device);
            }
        }
        String token = issueToken(device);
        ObjectNode out = json.createObjectNode();
        out.put("message", "Device registered successfully");
        out.putObject("device").put("id", device.id).put("external_id", device.externalId);
        out.put("token", token);
        return new Answer(201, "application/json; charset=utf-8", bytes(out));
    }

    /** The device whose token came in the header, or the 401 to answer. */
    private Auth authenticate(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-API-KEY");
        if (key == null) {
            return new Auth(null, error(401, "Authentication required"));
        }
        DeviceRecord device = key.isEmpty() ? null : devicesByTokenHash.get(sha256(key));
        if (device == null) {
            return new Auth(null, error(401, "Invalid authentication token"));
        }
        if (!clock.instant().isBefore(device.issuedAt.plus(TOKEN_LIFETIME))) {
            return new Auth(null, error(401, "Token expired"));
        }
        return new Auth(device, null);
    }

    private Answer metrics(JsonNode body, DeviceRecord current) {
        if (!body.isArray()) {
            return error(400, "Metrics must be an array");
        }
        List<JsonNode> readings = new ArrayList<>();
        body.forEach(readings::add);
        List<String> types = new ArrayList<>();
        for (JsonNode r : readings) {
            String description = r.isObject() ? text(r, "description") : null;
            Matcher m = description == null ? null : TYPE_PREFIX.matcher(description);
            if (m == null || !m.lookingAt()) {
                return error(422, "Missing or invalid sensor type in description");
            }
            types.add(m.group(1));
        }
        for (String type : types) {
            if (!KNOWN_TYPES.contains(type)) {
                return error(422, "Unknown sensor type: " + type);
            }
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode r : readings) {
            if (missing(r, "value") || missing(r, "timestamp")) {
                problems.add("sensor[" + Optional.ofNullable(text(r, "id")).orElse("") + "]: "
                        + "Missing required fields (value, timestamp, or description)");
            }
        }
        if (!problems.isEmpty()) {
            return error(422, (readings.size() - problems.size()) + " metrics valid, " + problems.size()
                    + " dropped. Errors: " + String.join("; ", problems));
        }
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < readings.size(); i++) {
            String id = text(readings.get(i), "id");
            if (id == null) {
                return error(500, "Internal server error");
            }
            String owner = sensorOwners.get(types.get(i) + "\u0000" + id);
            if (owner != null && !owner.equals(current.externalId)) {
                return error(500, "Internal server error");
            }
            keys.add(types.get(i) + "\u0000" + id);
        }
        for (String k : keys) {
            sensorOwners.put(k, current.externalId);
        }
        for (JsonNode r : readings) {
            metrics.add(new StoredMetric(text(r, "id"), text(r, "description"), r.get("value").asDouble(),
                    r.get("timestamp").asDouble(), current.externalId));
        }
        return new Answer(201, "application/json; charset=utf-8",
                bytes(json.createObjectNode().put("message", readings.size() + " metrics created successfully")));
    }

    private Answer status(JsonNode body, DeviceRecord current) {
        List<String> problems = new ArrayList<>();
        if (missing(body, "timestamp")) {
            problems.add("Timestamp can't be blank");
        }
        JsonNode m = body.isObject() ? body.get("metrics") : null;
        if (m == null || m.isNull() || m.isEmpty() && (m.isObject() || m.isArray() || m.asText().isBlank())) {
            problems.add("Metrics can't be blank");
        }
        if (!problems.isEmpty()) {
            return error(422, String.join(", ", problems));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = m.isObject() ? json.convertValue(m, LinkedHashMap.class) : Map.of("value", m.asText());
        statuses.add(new StoredStatus(body.get("timestamp").asDouble(), Collections.unmodifiableMap(values), current.externalId));
        return new Answer(201, "application/json; charset=utf-8",
                bytes(json.createObjectNode().put("message", "Status recorded successfully")));
    }

    /** Without {@code Accept: application/json} the reference collector answers such errors with an empty HTML body. */
    private Answer unreadable(HttpExchange exchange, int status, String message) {
        String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
        if (!accept.toLowerCase(Locale.ROOT).contains("application/json")) {
            return new Answer(status, "text/html", new byte[0]);
        }
        return error(status, message);
    }

    private String issueToken(DeviceRecord device) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        if (device.tokenHash != null) {
            devicesByTokenHash.remove(device.tokenHash);
        }
        device.tokenHash = sha256(token);
        device.issuedAt = clock.instant();
        devicesByTokenHash.put(device.tokenHash, device);
        registrations++;
        return token;
    }

    private Answer error(int status, String message) {
        return new Answer(status, "application/json; charset=utf-8", bytes(json.createObjectNode().put("error", message)));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<JsonNode> parse(byte[] body) {
        try {
            return Optional.ofNullable(json.readTree(body)).filter(n -> !n.isMissingNode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static boolean missing(JsonNode node, String field) {
        JsonNode v = node.isObject() ? node.get(field) : null;
        return v == null || v.isNull() || v.isTextual() && v.asText().isBlank();
    }

    private static Map<String, List<String>> copy(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(headers);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- values ----------------------------------------------------------------------------

    /**
     * One request as it arrived.
     *
     * @param method e.g. {@code POST}
     * @param path e.g. {@code /metrics}
     * @param headers as received (names as the JDK server normalises them); use {@link #header(String)}
     * @param body the exact bytes
     * @param answered the status answered, 0 when the connection was dropped (or still in progress)
     */
    public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body, int answered) {

        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * A reading the collector stored.
     *
     * @param sensorId the {@code id}
     * @param description the whole {@code description}, type prefix included
     * @param deviceId the external id of the device whose token sent it
     */
    public record StoredMetric(String sensorId, String description, double value, double timestamp, String deviceId) {
    }

    /**
     * A device status the collector stored.
     *
     * @param metrics as sent (numbers, strings, booleans, nulls)
     * @param deviceId the external id of the device whose token sent it
     */
    public record StoredStatus(double timestamp, Map<String, Object> metrics, String deviceId) {
    }

    /**
     * A device the collector knows.
     *
     * @param id the collector's numeric id
     * @param externalId the device's own id
     */
    public record Device(long id, String externalId, String description) {
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    private record Auth(DeviceRecord device, Answer refusal) {
    }

    private sealed interface Fault {
        record Fail(int status, String retryAfter) implements Fault {
        }

        record Delay(Duration delay) implements Fault {
        }

        record Drop() implements Fault {
        }

        record Echo(int status) implements Fault {
        }

        record Huge(int bytes) implements Fault {
        }

        record Garbage(int status, String contentType, String body) implements Fault {
        }

        record Instead(int status) implements Fault {
        }
    }

    private static final class DeviceRecord {
        final long id;
        final String externalId;
        final String description;
        String tokenHash;
        Instant issuedAt;

        DeviceRecord(long id, String externalId, String description) {
            this.id = id;
            this.externalId = externalId;
            this.description = description;
        }
    }
}
