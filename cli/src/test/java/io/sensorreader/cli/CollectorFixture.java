package io.sensorreader.cli;

import io.sensorreader.http.TestCollector;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command tests that talk to a collector share: the in-process collector, a captured
 * log, a data folder, and the settings of a device pointed at them with short timeouts.
 */
abstract class CollectorFixture {

    @TempDir
    Path work;
    TestCollector collector;
    CapturedLog log;
    Path data;

    @BeforeEach
    void startCollector() {
        collector = TestCollector.start();
        log = new CapturedLog();
        data = work.resolve("data");
    }

    @AfterEach
    void stopCollector() {
        log.close();
        collector.close();
    }

    /** The device's settings, with {@code extra} key-value pairs added or replaced. */
    Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SENSOR_READER_DEVICE_ID", "pi-cli",
                "SENSOR_READER_DESCRIPTION", "Pump house",
                "SENSOR_READER_COLLECTOR_HOST", collector.url(),
                "SENSOR_READER_DATA_DIR", data.toString(),
                "SENSOR_READER_RETRY_INTERVAL", "100ms",
                "SENSOR_READER_RETRY_MAX_BACKOFF", "300ms",
                "SENSOR_READER_HTTP_CONNECT_TIMEOUT", "1s",
                "SENSOR_READER_HTTP_REQUEST_TIMEOUT", "2s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }
}
