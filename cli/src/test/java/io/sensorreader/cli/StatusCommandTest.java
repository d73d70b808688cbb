package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorreader.core.AgentState;
import io.sensorreader.core.Health;
import io.sensorreader.core.StateFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant LAST = START.plusSeconds(600);
    private static final long PID = 4242;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int status(Instant now, boolean alive, Map<String, String> env, String... args) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Health health = new Health(clock, pid -> alive && pid == PID, Duration.ofMinutes(15));
        CommandLine cli = new CommandLine(new StatusCommand(env, health, clock));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private void writeState(long spoolBatches, Instant lastDelivery, String failure) throws IOException {
        new StateFile(dir).write(new AgentState(PID, "0.1.0", START, LAST, lastDelivery, failure, spoolBatches,
                spoolBatches * 1536, 0, 0, 1200, 240, 2, 5, 0, "1a2b3c4d", "https://collector.example", 5));
    }

    @Test
    void printsASummaryAndExits0WhenHealthy() throws IOException {
        writeState(0, LAST, null);

        int code = status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString());

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo(String.join(System.lineSeparator(),
                "sensor-reader: healthy",
                "  pid            4242",
                "  version        0.1.0",
                "  started        2025-03-01T12:00:00Z (10 min ago)",
                "  last cycle     2025-03-01T12:10:00Z (3 s ago), every 5 s",
                "  last delivery  2025-03-01T12:10:00Z (3 s ago) to https://collector.example",
                "  last failure   none",
                "  delivered      1200 readings in 240 batches; 2 attempts failed, 5 batches spooled, 0 dropped",
                "  spool          0 batches, 0 B; 0 dead letters, 0 evicted",
                "  token          fingerprint 1a2b3c4d",
                ""));
    }

    @Test
    void printsTheReasonsAndExits1WhenUnhealthy() throws IOException {
        writeState(200, LAST.minusSeconds(20 * 60), "collector: connection refused");

        int code = status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith(String.join(System.lineSeparator(),
                "sensor-reader: UNHEALTHY",
                "  ! nothing delivered since 20 min ago while 200 batches wait in the spool;"
                        + " last failure: collector: connection refused",
                "  pid            4242"));
        assertThat(out.toString()).contains("  spool          200 batches, 300.0 KiB; 0 dead letters, 0 evicted");
    }

    private void writeLaggingState(long sensors, Map<String, Long> lagging) throws IOException {
        new StateFile(dir).write(new AgentState(PID, "0.1.0", START, LAST, LAST, null, 0, 0, 0, 0, 1200, 240, 2, 5, 0,
                "1a2b3c4d", "https://collector.example", 5, null, 0, sensors, lagging));
    }

    @Test
    void printsNotSamplingAndExits1WhenEverySensorLags() throws IOException {
        writeLaggingState(1, Map.of("tank_top", 4L));

        int code = status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith(String.join(System.lineSeparator(),
                "sensor-reader: UNHEALTHY",
                "  ! not sampling: its one sensor keeps missing the read deadline;"
                        + " sensors late: 'tank_top' missed its read deadline 4 times in a row",
                "  pid            4242"));
    }

    @Test
    void printsAWarningLineAndExits0WhenOneSensorOfTwoLags() throws IOException {
        writeLaggingState(2, Map.of("tank_top", 4L));

        int code = status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith(String.join(System.lineSeparator(),
                "sensor-reader: healthy",
                "  warning: sensors late: 'tank_top' missed its read deadline 4 times in a row",
                "  pid            4242"));
    }

    @Test
    void printsTheLaggingSensorsInTheJson() throws IOException {
        writeLaggingState(2, Map.of("tank_top", 4L));

        status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString(), "--json");

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("state").get("sensor_count").asLong()).isEqualTo(2);
        assertThat(json.get("state").get("lagging_sensors").get("tank_top").asLong()).isEqualTo(4);
        assertThat(json.get("warnings").get(0).asText())
                .isEqualTo("sensors late: 'tank_top' missed its read deadline 4 times in a row");
    }

    @Test
    void exits1WhenTheAgentIsNotRunning() throws IOException {
        writeState(0, LAST, null);

        assertThat(status(LAST.plusSeconds(3), false, Map.of(), "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains(
                "  ! the agent (pid 4242) is not running; its last state is from 3 s ago; see: journalctl -u sensor-reader");
    }

    @Test
    void exits69AndAdvisesWhenThereIsNoState() {
        int code = status(LAST, true, Map.of(), "--data-dir", dir.toString());

        assertThat(code).isEqualTo(69);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo(String.join(System.lineSeparator(),
                "sensor-reader: no state",
                "  ! no agent state at " + dir.resolve("state.json") + "; the agent writes it every cycle:"
                        + " is it running with this data folder (SENSOR_READER_DATA_DIR, or --data-dir)?",
                ""));
    }

    @Test
    void takesTheDataFolderFromTheEnvironment() throws IOException {
        writeState(0, LAST, null);

        assertThat(status(LAST.plusSeconds(3), true, Map.of("SENSOR_READER_DATA_DIR", dir.toString()))).isZero();
    }

    @Test
    void printsJsonForScripts() throws IOException {
        writeState(0, LAST, null);

        int code = status(LAST.plusSeconds(3), true, Map.of(), "--data-dir", dir.toString(), "--json");

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("healthy").asBoolean()).isTrue();
        assertThat(json.get("condition").asText()).isEqualTo("healthy");
        assertThat(json.get("reasons").size()).isZero();
        assertThat(json.get("state").get("pid").asLong()).isEqualTo(PID);
        assertThat(json.get("state").get("last_cycle_at").asText()).isEqualTo("2025-03-01T12:10:00Z");
        assertThat(json.get("state").get("token_fingerprint").asText()).isEqualTo("1a2b3c4d");
    }

    @Test
    void printsJsonWithANullStateWhenThereIsNone() throws IOException {
        assertThat(status(LAST, true, Map.of(), "--data-dir", dir.toString(), "--json")).isEqualTo(69);

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("condition").asText()).isEqualTo("no_state");
        assertThat(json.get("state").isNull()).isTrue();
    }

    @Test
    void listsItsExitCodesInTheHelp() {
        assertThat(status(LAST, true, Map.of(), "--help")).isZero();

        assertThat(out.toString()).contains("Exit codes:", " 0   healthy", " 1   unhealthy (the reasons are printed)",
                "69   no agent state");
    }

    @Test
    void namesAnUnknownOption() {
        status(LAST, true, Map.of(), "--bogus");
        assertThat(err.toString()).startsWith("Unknown option: '--bogus'");
    }
}
