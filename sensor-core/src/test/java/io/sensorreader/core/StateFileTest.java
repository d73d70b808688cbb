package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrote() throws IOException {
        StateFile file = new StateFile(dir);
        AgentState state = States.withSpool(States.running(4242), 3, States.START.plusSeconds(30), "collector: 503 Service Unavailable");

        file.write(state);

        assertThat(file.read()).contains(state);
    }

    @Test
    void writesSnakeCaseJsonWithNullsForTimesNotYetSeen() throws IOException {
        StateFile file = new StateFile(dir);
        AgentState fresh = new AgentState(7, "0.1.0", States.START, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, "http://localhost:8000", 5);

        file.write(fresh);

        assertThat(Files.readString(dir.resolve("state.json"))).isEqualToIgnoringWhitespace("""
                {"pid":7,"version":"0.1.0","started_at":"2025-03-01T12:00:00Z","last_cycle_at":null,
                 "last_delivery_at":null,"last_failure":null,"delivering":true,"not_delivering":null,
                 "spool_batches":0,"spool_bytes":0,"spool_capacity_bytes":0,"dead_letters":0,
                 "evicted":0,"readings_delivered":0,"batches_delivered":0,"batches_failed":0,"batches_spooled":0,
                 "batches_dropped":0,"token_fingerprint":null,"collector":"http://localhost:8000","interval_seconds":5,
                 "sensor_count":0,"lagging_sensors":{}}
                """);
        assertThat(file.read()).contains(fresh);
    }

    @Test
    void aStateThatIsNotDeliveringSaysWhyAndReadsBack() throws IOException {
        StateFile file = new StateFile(dir);
        AgentState s = States.running(3);
        AgentState dark = new AgentState(s.pid(), s.version(), s.startedAt(), s.lastCycleAt(), s.lastDeliveryAt(), null,
                4, 400, 0, 0, 0, 0, 0, 0, 0, null, "http://c", 5,
                "nothing delivered for 20 s: collector unreachable (no answer \"x\")", 1 << 20);

        file.write(dark);

        assertThat(Files.readString(dir.resolve("state.json")))
                .contains("\"delivering\": false", "\"not_delivering\": \"nothing delivered for 20 s: collector"
                        + " unreachable (no answer \\\"x\\\")\"");
        assertThat(file.read()).contains(dark);
    }

    @Test
    void writesTheLaggingSensorsSortedByIdAndReadsThemBack() throws IOException {
        StateFile file = new StateFile(dir);
        AgentState s = States.running(3);
        AgentState late = new AgentState(s.pid(), s.version(), s.startedAt(), s.lastCycleAt(), s.lastDeliveryAt(), null,
                0, 0, 0, 0, 0, 0, 0, 0, 0, null, "http://c", 5, null, 0, 3, Map.of("tank_top", 4L, "pump", 12L));

        file.write(late);

        assertThat(Files.readString(dir.resolve("state.json"))).endsWith("""
                  "sensor_count": 3,
                  "lagging_sensors": {"pump": 12, "tank_top": 4}
                }
                """);
        assertThat(file.read()).contains(late);
    }

    @Test
    void readsAFileOfAnOlderAgentWithoutLaggingSensorsAsNoneLagging() throws IOException {
        StateFile file = new StateFile(dir);
        file.write(States.running(5));
        Files.writeString(file.path(), Files.readString(file.path())
                .replace(",\n  \"sensor_count\": 0,\n  \"lagging_sensors\": {}", ""));
        assertThat(Files.readString(file.path())).doesNotContain("sensor_count", "lagging_sensors");

        AgentState read = file.read().orElseThrow();

        assertThat(read).isEqualTo(States.running(5));
        assertThat(read.sensorCount()).isZero();
        assertThat(read.laggingSensors()).isEmpty();
    }

    @Test
    void explainsLaggingSensorsThatAreNotCounts() throws IOException {
        StateFile file = new StateFile(dir);
        file.write(States.running(1));
        Files.writeString(file.path(), Files.readString(file.path())
                .replace("\"lagging_sensors\": {}", "\"lagging_sensors\": {\"pump\": \"often\"}"));

        assertThatThrownBy(file::read)
                .isInstanceOf(IOException.class)
                .hasMessage(file.path() + " is not an agent state: lagging_sensors.pump is \"often\"; expected a whole"
                        + " number; the agent rewrites it every cycle, so wait a moment or delete it");
    }

    @Test
    void replacesTheFileWorldReadableAndLeavesNoTemporaryFile() throws IOException {
        StateFile file = new StateFile(dir);
        file.write(States.running(1));
        file.write(States.running(2));

        assertThat(file.read()).map(AgentState::pid).contains(2L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-r--r--");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("state.json"));
        }
    }

    @Test
    void readsNothingWhenTheAgentNeverRan() throws IOException {
        assertThat(new StateFile(dir).read()).isEqualTo(Optional.empty());
    }

    @Test
    void explainsAFileThatIsNotJson() throws IOException {
        Files.writeString(dir.resolve("state.json"), "{\"pid\": ");

        assertThatThrownBy(() -> new StateFile(dir).read())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir.resolve("state.json") + " is not valid JSON (")
                .hasMessageEndingWith("); the agent rewrites it every cycle, so wait a moment or delete it");
    }

    @Test
    void explainsAFieldThatIsWrong() throws IOException {
        StateFile file = new StateFile(dir);
        file.write(States.running(1));
        Files.writeString(file.path(), Files.readString(file.path()).replace("\"2025-03-01T12:00:00Z\"", "\"yesterday\""));

        assertThatThrownBy(file::read)
                .isInstanceOf(IOException.class)
                .hasMessage(file.path() + " is not an agent state: started_at is 'yesterday'; expected an ISO-8601 time"
                        + " like 2025-01-31T12:00:00Z; the agent rewrites it every cycle, so wait a moment or delete it");
    }
}
