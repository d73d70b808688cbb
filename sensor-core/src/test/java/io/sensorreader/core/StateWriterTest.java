package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.core.delivery.DeliveryStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateWriterTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(States.START.plusSeconds(60), ZoneOffset.UTC);

    private StateWriter writer(int sensors, AtomicReference<Map<String, Long>> lagging) {
        Settings settings = Settings.load(Map.of("SENSOR_READER_DATA_DIR", dir.toString()), Map.of(), dir, "pi-7");
        return new StateWriter(settings, clock, "0.1.0", new MemorySpool(clock, 100),
                new DeliveryStats(Duration.ofSeconds(5), clock.instant()), Optional::empty, "http://c", () -> { },
                Optional.empty(), sensors, lagging::get);
    }

    @Test
    void writesTheLaggingSensorsItIsHandedAndReadsThemBack() throws IOException {
        AtomicReference<Map<String, Long>> lagging = new AtomicReference<>(Map.of());
        StateWriter writer = writer(2, lagging);
        writer.start();
        lagging.set(Map.of("tank_top", 4L));
        writer.cycleDone();
        writer.close();

        assertThat(Files.readString(dir.resolve(StateFile.NAME)))
                .contains("\"sensor_count\": 2,\n", "\"lagging_sensors\": {\"tank_top\": 4}\n");
        AgentState read = new StateFile(dir).read().orElseThrow();
        assertThat(read.sensorCount()).isEqualTo(2);
        assertThat(read.laggingSensors()).containsExactly(Map.entry("tank_top", 4L));
    }

    @Test
    void writesAnEmptyObjectWhenNoSensorLags() throws IOException {
        StateWriter writer = writer(1, new AtomicReference<>(Map.of()));
        writer.start();
        writer.cycleDone();
        writer.close();

        assertThat(Files.readString(dir.resolve(StateFile.NAME))).contains("\"lagging_sensors\": {}\n");
        assertThat(new StateFile(dir).read().orElseThrow().laggingSensors()).isEmpty();
    }
}
