package io.sensorreader.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesSensorBatchAsThePythonAgentDid() {
        SensorBatch batch = new SensorBatch(1764190000L, List.of(
                new Reading("tank_float_1", "FloatSensor", "Water tank top level", 1.0, null, 1764190000L, Map.of())));

        assertThat(batch.toJson()).isEqualTo(
                "[{\"id\": \"tank_float_1\", \"description\": \"FloatSensor: Water tank top level\", "
                        + "\"value\": 1.0, \"timestamp\": 1764190000}]");
    }

    @Test
    void writesUnitAndExtrasAfterTheRequiredFields() {
        Reading r = new Reading("pi-1-energy", "EnergyConsumptionSensor", "Main \"meter\"", 1520.5, "W", 1764190005L,
                Map.of("kwh_total", 12.25));

        assertThat(new SensorBatch(1764190005L, List.of(r)).toJson()).isEqualTo(
                "[{\"id\": \"pi-1-energy\", \"description\": \"EnergyConsumptionSensor: Main \\\"meter\\\"\", "
                        + "\"value\": 1520.5, \"timestamp\": 1764190005, \"unit\": \"W\", \"kwh_total\": 12.25}]");
    }

    @Test
    void writesEmptyBatchAsEmptyArray() {
        assertThat(new SensorBatch(1L, List.of()).toJson()).isEqualTo("[]");
    }

    @Test
    void writesDeviceStatusWithNullTemperature() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu_usage_percent", 12.5);
        metrics.put("memory_usage_percent", 41.0);
        metrics.put("temperature_celsius", null);
        metrics.put("spool_batches", 3L);
        metrics.put("agent_version", "0.1.0");

        assertThat(new DeviceStatus(1764190000L, metrics).toJson()).isEqualTo(
                "{\"timestamp\": 1764190000, \"metrics\": {\"cpu_usage_percent\": 12.5, \"memory_usage_percent\": 41.0, "
                        + "\"temperature_celsius\": null, \"spool_batches\": 3, \"agent_version\": \"0.1.0\"}}");
    }

    @Test
    void escapesNonAsciiLikePython() {
        Reading r = new Reading("s", "FloatSensor", "Cuve d'eau é", 0.0, null, 5L, Map.of());
        assertThat(new SensorBatch(5L, List.of(r)).toJson()).contains("\"FloatSensor: Cuve d'eau \\u00e9\"");
    }

    @Test
    void writesTheRegistrationBodyWithTheSameEscaping() {
        assertThat(Registrar.requestBody("pi-1", "Pump \"north\" é")).isEqualTo(
                "{\"id\": \"pi-1\", \"description\": \"Pump \\\"north\\\" \\u00e9\"}");
    }
}
