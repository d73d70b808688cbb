package io.sensorreader.lmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.Batch;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordsTest {

    private static final Instant AT = Instant.parse("2025-11-26T20:00:00.250Z");
    private final Records records = new Records();

    static SensorBatch sensorBatch(long t) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("kwh_total", 12.25);
        extras.put("flips", 2L);
        extras.put("note", "nuit \"calme\" é");
        extras.put("stale", null);
        extras.put("ok", true);
        return new SensorBatch(t, List.of(
                new Reading("tank_float_1", "FloatSensor", "Water tank top level", 1.0, null, t, Map.of()),
                new Reading("pi-1-energy", "EnergyConsumptionSensor", "Main: meter", 1520.5, "W", t, extras),
                new Reading("p1", "PressureSensor", " leading space", 0.000012, "bar", t, Map.of()),
                new Reading("neg", "FloatSensor", "", -3.0e21, null, t, Map.of())));
    }

    static DeviceStatus deviceStatus(long t) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu_usage_percent", 12.5);
        metrics.put("memory_usage_percent", 41.0);
        metrics.put("temperature_celsius", null);
        metrics.put("spool_batches", 3L);
        metrics.put("disk", Map.of("free_mb", 1024L));
        metrics.put("agent_version", "0.1.0");
        return new DeviceStatus(t, metrics);
    }

    @Test
    void ourRecordsRoundTripByteForByte() throws Exception {
        List<Batch> batches = List.of(sensorBatch(1764190000L), deviceStatus(1764190005L),
                new SensorBatch(1764190010L, List.of()),
                new SensorBatch(1764190015L, List.of(new Reading("x", "FloatSensor", "a", 0.1 + 0.2, "m", 1764190015L,
                        Map.of("ratio", 1.0e-7)))));
        for (Batch b : batches) {
            byte[] stored = records.encodeQueued(b, 503, AT, 2, "HTTP 503 from the collector");
            Records.Queued back = records.decodeQueued(Keys.queue(7, b.kind()), stored);

            assertThat(back.batch().toJson()).isEqualTo(b.toJson());
            assertThat(back.batch()).isEqualTo(b);
            assertThat(back.spooledAt()).isEqualTo(AT);
            assertThat(back.attempts()).isEqualTo(2);
            assertThat(back.lastStatus()).isEqualTo(503);
        }
    }

    @Test
    void keepsThePythonAgentsRecordShape() {
        byte[] stored = records.encodeQueued(deviceStatus(5L), 0, AT, 0, null);

        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("{\"payload\": {\"timestamp\": 5, \"metrics\": "
                + "{\"cpu_usage_percent\": 12.5, \"memory_usage_percent\": 41.0, \"temperature_celsius\": null, "
                + "\"spool_batches\": 3, \"disk\": {\"free_mb\": 1024}, \"agent_version\": \"0.1.0\"}}, "
                + "\"status_code\": null, \"metric_type\": \"device-status\", "
                + "\"spooled_at\": \"2025-11-26T20:00:00.250Z\", \"attempts\": 0, \"batch_timestamp\": 5}");
    }

    @Test
    void readsPythonRecordWithIntegerValueAndFractionalTimestamp() throws Exception {
        String python = "{\"payload\": [{\"id\": \"tank_float_1\", \"description\": \"FloatSensor:Water tank\", "
                + "\"value\": 1, \"timestamp\": 1764190000.9}], \"status_code\": 500, \"metric_type\": \"sensor-batch\"}";

        Records.Queued q = records.decodeQueued("sensor-batch-1764190001", python.getBytes(StandardCharsets.UTF_8));

        assertThat(q.batch()).isEqualTo(new SensorBatch(1764190000L, List.of(
                new Reading("tank_float_1", "FloatSensor", "Water tank", 1.0, null, 1764190000L, Map.of()))));
        assertThat(q.spooledAt()).isEqualTo(Instant.ofEpochSecond(1764190001L));
        assertThat(q.lastStatus()).isEqualTo(500);
        assertThat(q.attempts()).isZero();
    }

    @Test
    void takesTheKindFromTheKeyWhenMetricTypeIsMissing() throws Exception {
        String old = "{\"payload\": [], \"status_code\": null}";

        Records.Queued q = records.decodeQueued("batch-1700000000", old.getBytes(StandardCharsets.UTF_8));

        assertThat(q.batch()).isEqualTo(new SensorBatch(1700000000L, List.of()));
    }

    @Test
    void explainsWhyARecordCannotBeRead() {
        assertUnreadable("sr-1", "not json", "not JSON: unexpected character 'n' at offset 0");
        assertUnreadable("sr-1", "{\"payload\": [1, 2", "not JSON: unexpected end at offset 17");
        assertUnreadable("sr-1", "", "empty record");
        assertUnreadable("sr-1", "[1, 2]", "not a spool record: expected a JSON object with a \"payload\"");
        assertUnreadable("sensor-batch-1", "{\"payload\": [], \"metric_type\": \"weather\"}",
                "unknown metric_type 'weather'; expected sensor-batch or device-status");
        assertUnreadable("sensor-batch-1", "{\"payload\": {\"a\": 1}, \"metric_type\": \"sensor-batch\"}",
                "a sensor batch must be a JSON array, was an object");
        assertUnreadable("sensor-batch-1", "{\"payload\": [{\"id\": \"t1\", \"description\": \"no type here\", "
                + "\"value\": 1, \"timestamp\": 5}]}", "reading 't1': description 'no type here' does not start with '<Type>:'");
        assertUnreadable("device-status-1", "{\"payload\": {\"timestamp\": 5, \"metrics\": {}}}",
                "device status has no metrics");
    }

    private void assertUnreadable(String key, String value, String reason) {
        assertThatThrownBy(() -> records.decodeQueued(key, value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Records.UnreadableException.class)
                .hasMessage(reason);
    }
}
