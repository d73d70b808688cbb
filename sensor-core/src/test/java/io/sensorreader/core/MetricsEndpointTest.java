package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheStateInThePrometheusTextFormat() throws Exception {
        AgentState s = States.withSpool(States.running(4242), 3, States.START.plusSeconds(590), "collector: 503");
        try (MetricsEndpoint endpoint = new MetricsEndpoint(0, () -> s)) {
            HttpResponse<String> response = get(endpoint, "/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body().lines()).contains(
                    "# HELP sensor_reader_readings_delivered_total Readings that reached the collector.",
                    "# TYPE sensor_reader_readings_delivered_total counter",
                    "sensor_reader_readings_delivered_total 1200",
                    "sensor_reader_batches_delivered_total 240",
                    "sensor_reader_batches_spooled_total 3",
                    "# TYPE sensor_reader_spool_batches gauge",
                    "sensor_reader_spool_batches 3",
                    "sensor_reader_spool_bytes 900",
                    "sensor_reader_dead_letters 0",
                    "sensor_reader_interval_seconds 5",
                    "sensor_reader_start_time_seconds 1740830400",
                    "sensor_reader_last_cycle_timestamp_seconds 1740831000",
                    "sensor_reader_last_delivery_timestamp_seconds 1740830990",
                    "sensor_reader_info{version=\"0.1.0\",collector=\"https://collector.example:8443\"} 1");
            assertThat(response.body()).doesNotContain("1a2b3c4d").endsWith("\n");
        }
    }

    @Test
    void leavesOutTimesThatHaveNotHappened() {
        AgentState fresh = new AgentState(1, "0.1.0", States.START, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, "http://c", 5);

        assertThat(MetricsEndpoint.render(fresh)).doesNotContain("last_cycle").doesNotContain("last_delivery");
    }

    @Test
    void listsEachLaggingSensorWithItsMissesInARow() {
        AgentState s = States.running(1);
        AgentState late = new AgentState(1, s.version(), s.startedAt(), s.lastCycleAt(), s.lastDeliveryAt(), null,
                0, 0, 0, 0, 0, 0, 0, 0, 0, null, "http://c", 5, null, 0, 3, Map.of("tank_top", 4L, "p\"1", 9L));

        assertThat(MetricsEndpoint.render(late).lines()).contains(
                "sensor_reader_sensors 3",
                "# TYPE sensor_reader_sensor_late gauge",
                "sensor_reader_sensor_late{sensor=\"p\\\"1\"} 9",
                "sensor_reader_sensor_late{sensor=\"tank_top\"} 4");
        assertThat(MetricsEndpoint.render(States.running(1))).contains("# TYPE sensor_reader_sensor_late gauge\n")
                .doesNotContain("sensor_reader_sensor_late{");
    }

    @Test
    void escapesLabelValues() {
        AgentState s = States.running(1);
        AgentState odd = new AgentState(1, "1.0 \"beta\"\n", s.startedAt(), null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, "c:\\x", 5);

        assertThat(MetricsEndpoint.render(odd)).contains(
                "sensor_reader_info{version=\"1.0 \\\"beta\\\"\\n\",collector=\"c:\\\\x\"} 1\n");
    }

    @Test
    void answers503BeforeTheFirstCycleAnd404Elsewhere() throws Exception {
        AtomicReference<AgentState> latest = new AtomicReference<>();
        try (MetricsEndpoint endpoint = new MetricsEndpoint(0, latest::get)) {
            assertThat(get(endpoint, "/metrics").statusCode()).isEqualTo(503);
            assertThat(get(endpoint, "/").statusCode()).isEqualTo(404);
            assertThat(get(endpoint, "/metricsx").statusCode()).isEqualTo(404);

            latest.set(States.running(1));
            assertThat(get(endpoint, "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void staysOffUnlessAPortIsSet() {
        assertThat(MetricsEndpoint.port(null)).isEmpty();
        assertThat(MetricsEndpoint.port(" ")).isEmpty();
        assertThat(MetricsEndpoint.port("9464")).isEqualTo(OptionalInt.of(9464));
    }

    @Test
    void explainsAPortThatIsNotOne() {
        assertThatThrownBy(() -> MetricsEndpoint.port("70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SENSOR_READER_METRICS_PORT is '70000'; expected a port 1-65535,"
                        + " or leave it unset to keep the metrics endpoint off");
        assertThatThrownBy(() -> MetricsEndpoint.port("http"))
                .hasMessage("SENSOR_READER_METRICS_PORT is 'http'; expected a port 1-65535,"
                        + " or leave it unset to keep the metrics endpoint off");
    }
}
