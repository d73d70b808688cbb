package io.sensorreader.api.agent;

import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Reading;
import io.sensorreader.api.SensorBatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

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
        assertThat(WireFormat.registration("pi-1", "Pump \"north\" é")).isEqualTo(
                "{\"id\": \"pi-1\", \"description\": \"Pump \\\"north\\\" \\u00e9\"}");
    }

    @Test
    void writesNumbersAsPythonsRepr() {
        // Each pair was printed by CPython 3: json.dumps(x) uses float.__repr__.
        Object[][] cases = {
            {123456789012.5, "123456789012.5"}, {1e15, "1000000000000000.0"}, {1e16, "1e+16"},
            {1.5e16, "1.5e+16"}, {1.234e20, "1.234e+20"}, {0.0001, "0.0001"}, {0.00001, "1e-05"},
            {1.5e-7, "1.5e-07"}, {-2.5e-300, "-2.5e-300"}, {12345678.0, "12345678.0"},
            {-12345678.9, "-12345678.9"}, {0.001, "0.001"}, {0.1, "0.1"}, {5.0, "5.0"},
            {0.0, "0.0"}, {-0.0, "-0.0"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
            {Double.NaN, "null"},
        };
        for (Object[] c : cases) {
            StringBuilder out = new StringBuilder();
            WireFormat.number(out, (double) c[0]);
            assertThat(out.toString()).as("repr of %s", c[0]).isEqualTo(c[1]);
        }
    }
}
