package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Delivered;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Registration;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.http.TestCollector.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pins the bytes and headers the collector receives for each of the three requests. */
class WireFormatGoldenTest {

    TestCollector collector;
    Exporter exporter;
    FakeContext context;

    @BeforeEach
    void start() {
        collector = TestCollector.start();
        context = new FakeContext().with("COLLECTOR_HOST", collector.url());
        exporter = new HttpExporterFactory().create(context);
    }

    @AfterEach
    void stop() {
        exporter.close();
        collector.close();
    }

    @Test
    void sensorBatchBytesAndHeaders() {
        String token = collector.register("raspberry-pi-001", "Pump house");
        context.token(token);
        SensorBatch batch = new SensorBatch(1764190000L, List.of(
                new Reading("tank_float_1", "FloatSensor", "Water tank top level", 1.0, null, 1764190000L, Map.of()),
                new Reading("meter_1", "EnergyConsumptionSensor", "Pump \"main\" meter", 0.25, "kWh", 1764190000L,
                        Map.of("flips", 2))));

        assertThat(exporter.deliver(batch)).isEqualTo(new Delivered(201));

        RecordedRequest r = collector.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/metrics");
        assertThat(r.body()).isEqualTo(("[{\"id\": \"tank_float_1\", \"description\": \"FloatSensor: Water tank top level\", "
                + "\"value\": 1.0, \"timestamp\": 1764190000}, "
                + "{\"id\": \"meter_1\", \"description\": \"EnergyConsumptionSensor: Pump \\\"main\\\" meter\", "
                + "\"value\": 0.25, \"timestamp\": 1764190000, \"unit\": \"kWh\", \"flips\": 2}]").getBytes(StandardCharsets.UTF_8));
        assertThat(r.body()).isEqualTo(batch.toJson().getBytes(StandardCharsets.UTF_8));
        assertHeaders(r, Optional.of(token));
    }

    @Test
    void deviceStatusBytesAndHeaders() {
        String token = collector.register("raspberry-pi-001", "Pump house");
        context.token(token);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu_usage_percent", 12.5);
        metrics.put("memory_usage_percent", 41.0);
        metrics.put("temperature_celsius", null);
        DeviceStatus status = new DeviceStatus(1764190000L, metrics);

        assertThat(exporter.deliver(status)).isEqualTo(new Delivered(201));

        RecordedRequest r = collector.requests().get(0);
        assertThat(r.path()).isEqualTo("/devices/status");
        assertThat(r.bodyText()).isEqualTo("{\"timestamp\": 1764190000, \"metrics\": {\"cpu_usage_percent\": 12.5, "
                + "\"memory_usage_percent\": 41.0, \"temperature_celsius\": null}}");
        assertThat(r.body()).isEqualTo(status.toJson().getBytes(StandardCharsets.UTF_8));
        assertHeaders(r, Optional.of(token));
    }

    @Test
    void registrationBytesAndHeaders() {
        Registration first = exporter.registrar().orElseThrow().register("raspberry-pi-001", "Pump house \u00e9", Optional.empty());
        Registration.Registered registered = (Registration.Registered) first;
        exporter.registrar().orElseThrow().register("raspberry-pi-001", "Pump house", Optional.of(registered.token()));

        RecordedRequest r = collector.requests().get(0);
        assertThat(r.path()).isEqualTo("/devices");
        assertThat(r.bodyText()).isEqualTo("{\"id\": \"raspberry-pi-001\", \"description\": \"Pump house \\u00e9\"}");
        assertHeaders(r, Optional.empty());
        assertHeaders(collector.requests().get(1), Optional.of(registered.token().reveal()));
    }

    private static void assertHeaders(RecordedRequest r, Optional<String> token) {
        assertThat(r.header("Content-Type")).contains("application/json");
        assertThat(r.header("Accept")).contains("application/json");
        assertThat(r.header("User-Agent")).contains("sensor-reader/1.2.3");
        assertThat(r.header("X-API-KEY")).isEqualTo(token);
    }
}
