package io.sensorreader.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * An optional Prometheus scrape endpoint: {@code GET http://127.0.0.1:<port>/metrics} in the
 * Prometheus text format (version 0.0.4), from the agent's latest {@link AgentState}.
 *
 * <p>Off unless {@code SENSOR_READER_METRICS_PORT} is set. Bound to loopback only: a node
 * exporter's textfile collector, a local Prometheus agent or an SSH tunnel reaches it; the
 * network does not. One JDK {@code HttpServer} dispatcher thread (named {@code metrics}) serves
 * it; a scrape costs one render of a few dozen lines and never touches the sampling thread.
 * Before the first state exists it answers 503.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** The setting that turns the endpoint on. */
    public static final String PORT_SETTING = "SENSOR_READER_METRICS_PORT";

    private final HttpServer server;

    /**
     * Starts serving.
     *
     * @param port the loopback port; 0 picks a free one (tests)
     * @param state the latest state, or {@code null} before the first cycle; called on the
     *     endpoint's thread, so it must be safe to call from another thread
     * @throws IOException when the port is taken
     */
    public MetricsEndpoint(int port, Supplier<AgentState> state) throws IOException {
        Objects.requireNonNull(state, "state");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> handle(exchange, state));
        server.setExecutor(null);
        server.start();
    }

    /**
     * Reads {@value #PORT_SETTING}.
     *
     * @param value the setting's value, {@code null} or blank when unset
     * @return the port, or empty when the endpoint stays off
     * @throws ConfigException when the value is not a port
     */
    public static OptionalInt port(String value) {
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65_535) {
                return OptionalInt.of(port);
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new ConfigException(PORT_SETTING + " is '" + value + "'; expected a port 1-65535,"
                + " or leave it unset to keep the metrics endpoint off");
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
    }

    private static void handle(HttpExchange exchange, Supplier<AgentState> state) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                send(exchange, 404, "not found; metrics are at /metrics\n", method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "only GET and HEAD\n", method);
            } else {
                AgentState s = state.get();
                if (s == null) {
                    send(exchange, 503, "no state yet: the first sampling cycle has not finished\n", method);
                } else {
                    send(exchange, 200, render(s), method);
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body, String method) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The exposition text; times as Unix seconds, absent times left out. */
    static String render(AgentState s) {
        StringBuilder out = new StringBuilder(2048);
        metric(out, "sensor_reader_info", "gauge", "The agent's version and collector; always 1.",
                "{version=\"" + label(s.version()) + "\",collector=\"" + label(s.collector()) + "\"}", 1);
        metric(out, "sensor_reader_start_time_seconds", "gauge", "When the agent started, Unix time.",
                "", s.startedAt().getEpochSecond());
        time(out, "sensor_reader_last_cycle_timestamp_seconds", "When the last sampling cycle ended, Unix time.",
                s.lastCycleAt());
        time(out, "sensor_reader_last_delivery_timestamp_seconds", "When a batch last reached the collector, Unix time.",
                s.lastDeliveryAt());
        metric(out, "sensor_reader_interval_seconds", "gauge", "The sampling interval.", "", s.intervalSeconds());
        metric(out, "sensor_reader_delivering", "gauge", "1 while the agent delivers; 0 when nothing reached the collector"
                + " for more than three intervals while there was something to send (the reason label says why).",
                s.delivering() ? "" : "{reason=\"" + label(s.notDelivering()) + "\"}", s.delivering() ? 1 : 0);
        metric(out, "sensor_reader_readings_delivered_total", "counter", "Readings that reached the collector.",
                "", s.readingsDelivered());
        metric(out, "sensor_reader_batches_delivered_total", "counter", "Batches that reached the collector.",
                "", s.batchesDelivered());
        metric(out, "sensor_reader_batches_failed_total", "counter", "Delivery attempts that failed.",
                "", s.batchesFailed());
        metric(out, "sensor_reader_batches_spooled_total", "counter", "Batches appended to the spool.",
                "", s.batchesSpooled());
        metric(out, "sensor_reader_batches_dropped_total", "counter", "Batches lost for good.",
                "", s.batchesDropped());
        metric(out, "sensor_reader_spool_batches", "gauge", "Batches waiting in the spool.", "", s.spoolBatches());
        metric(out, "sensor_reader_spool_bytes", "gauge", "Bytes used by batches waiting in the spool.",
                "", s.spoolBytes());
        metric(out, "sensor_reader_dead_letters", "gauge", "Batches in the dead letters.", "", s.deadLetters());
        metric(out, "sensor_reader_spool_evicted_total", "counter",
                "Batches evicted from a full spool since the spool was created.", "", s.evicted());
        metric(out, "sensor_reader_sensors", "gauge", "Sensors the agent samples; 0 when unknown.", "", s.sensorCount());
        String late = "sensor_reader_sensor_late";
        out.append("# HELP ").append(late).append(" Read deadlines missed in a row by a sensor that keeps missing"
                + " them; only lagging sensors are listed.\n");
        out.append("# TYPE ").append(late).append(" gauge\n");
        s.laggingSensors().forEach((id, misses) ->
                out.append(late).append("{sensor=\"").append(label(id)).append("\"} ").append(misses).append('\n'));
        return out.toString();
    }

    private static void time(StringBuilder out, String name, String help, Instant t) {
        if (t != null) {
            metric(out, name, "gauge", help, "", t.getEpochSecond());
        }
    }

    private static void metric(StringBuilder out, String name, String type, String help, String labels, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** Label values escape backslash, double quote and line feed, as the format asks. */
    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
