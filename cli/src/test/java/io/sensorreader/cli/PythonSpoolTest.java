package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool written by Python's own {@code lmdb} module the way the Python agent wrote it, drained by
 * {@code retry-now}. Runs where Debian's python3-lmdb is installed for /usr/bin/python3; the same
 * format written with lmdbjava is covered everywhere by DeliveryEndToEndTest.
 */
class PythonSpoolTest {

    private static final String PYTHON_AGENT_SPOOL = """
            import json, lmdb, sys
            env = lmdb.open(sys.argv[1], map_size=256 * 1024 * 1024)
            with env.begin(write=True) as txn:
                for i in range(5):
                    t = 1764100000 + i * 5
                    payload = [{"id": "py_tank_top", "description": "FloatSensor: Water tank top level",
                                "value": float(i % 2), "timestamp": t},
                               {"id": "py_meter", "description": "EnergyConsumptionSensor: Main meter",
                                "value": 350.5 + i, "timestamp": t}]
                    txn.put(("sensor-batch-%d" % t).encode(), json.dumps(
                        {"payload": payload, "status_code": 503, "metric_type": "sensor-batch"}).encode())
                    status = {"timestamp": t, "metrics": {"cpu_usage_percent": 12.5,
                              "memory_usage_percent": 41.0, "temperature_celsius": None}}
                    txn.put(("device-status-%d" % t).encode(), json.dumps(
                        {"payload": status, "status_code": None, "metric_type": "device-status"}).encode())
                txn.put(b"batch-1764000000", json.dumps({"payload": [{"id": "py_old", "description":
                    "FloatSensor: old", "value": 1, "timestamp": 1764000000.5}], "status_code": None,
                    "metric_type": "sensor-batch"}).encode())
            """;

    @TempDir
    Path dir;

    @Test
    void retryNowDeliversEverythingThePythonAgentLeftBehind() throws Exception {
        assumeThat(pythonLmdb()).as("/usr/bin/python3 with python3-lmdb").isTrue();
        Path script = dir.resolve("spool.py");
        Files.writeString(script, PYTHON_AGENT_SPOOL);
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.resolve("data.lmdb").toString())
                .redirectErrorStream(true).start();
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(new String(python.getInputStream().readAllBytes())).isZero();

        try (TestCollector collector = TestCollector.start()) {
            CommandRun run = CommandRun.of(Map.of("SENSOR_READER_COLLECTOR_HOST", collector.url(),
                    "SENSOR_READER_DATA_DIR", dir.toString(), "SENSOR_READER_DEVICE_ID", "pi-python"), dir, "retry-now");

            assertThat(run.code()).as("%s", run).isZero();
            assertThat(run.outLines()).last().isEqualTo("delivered 11, dead-lettered 0, left 0");
            List<StoredMetric> metrics = collector.metrics();
            assertThat(metrics).hasSize(11);
            assertThat(metrics).filteredOn(m -> m.sensorId().equals("py_meter")).extracting(StoredMetric::value)
                    .containsExactlyInAnyOrder(350.5, 351.5, 352.5, 353.5, 354.5);
            assertThat(metrics).filteredOn(m -> m.sensorId().equals("py_old")).singleElement()
                    .satisfies(m -> assertThat((long) m.timestamp()).isEqualTo(1764000000L));
            assertThat(collector.statuses()).hasSize(5);
        }
    }

    private static boolean pythonLmdb() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import lmdb").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
