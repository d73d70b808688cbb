package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.core.Health.Condition;
import io.sensorreader.core.Health.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTest {

    private static final long PID = 4242;
    private static final Instant LAST = States.START.plusSeconds(600);

    @TempDir
    Path dir;

    private static Health at(Instant now, boolean alive) {
        return new Health(Clock.fixed(now, ZoneOffset.UTC), pid -> alive && pid == PID, Duration.ofMinutes(15));
    }

    @Test
    void isHealthyWhenRunningCyclingAndDelivering() {
        Verdict v = at(LAST.plusSeconds(4), true).judge(States.running(PID));

        assertThat(v.condition()).isEqualTo(Condition.HEALTHY);
        assertThat(v.reasons()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void isUnhealthyWhenTheProcessIsGone() {
        Verdict v = at(LAST.plusSeconds(7200), false).judge(States.running(PID));

        assertThat(v.condition()).isEqualTo(Condition.UNHEALTHY);
        assertThat(v.reasons()).containsExactly(
                "the agent (pid 4242) is not running; its last state is from 2 h ago; see: journalctl -u sensor-reader");
    }

    @Test
    void toleratesThreeIntervalsWithoutACycle() {
        assertThat(at(LAST.plusSeconds(15), true).judge(States.running(PID)).healthy()).isTrue();
    }

    @Test
    void isUnhealthyWhenTheLastCycleIsOlderThanThreeIntervals() {
        Verdict v = at(LAST.plusSeconds(16), true).judge(States.running(PID));

        assertThat(v.reasons()).containsExactly(
                "the last sampling cycle ended 16 s ago; expected one every 5 s: the loop is stuck");
    }

    @Test
    void isUnhealthyWhenNoCycleFinishedLongAfterTheStart() {
        AgentState starting = new AgentState(PID, "0.1.0", States.START, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, "http://c", 5);

        assertThat(at(States.START.plusSeconds(10), true).judge(starting).healthy()).isTrue();
        assertThat(at(States.START.plusSeconds(90), true).judge(starting).reasons()).containsExactly(
                "no sampling cycle has finished since the start 1 min ago; expected one every 5 s");
    }

    @Test
    void isUnhealthyWhenNothingWasDeliveredForTheStallLimitWhileTheSpoolHoldsBatches() {
        AgentState stalled = States.withSpool(States.running(PID), 180, LAST.minusSeconds(16 * 60),
                "collector: connection refused");

        Verdict v = at(LAST.plusSeconds(2), true).judge(stalled);

        assertThat(v.condition()).isEqualTo(Condition.UNHEALTHY);
        assertThat(v.reasons()).containsExactly(
                "nothing delivered since 16 min ago while 180 batches wait in the spool; last failure: collector: connection refused");
    }

    @Test
    void isHealthyWhileABacklogDrainsBesideLiveDeliveries() {
        AgentState draining = States.withSpool(States.running(PID), 5000, LAST, null);

        assertThat(at(LAST.plusSeconds(2), true).judge(draining).healthy()).isTrue();
    }

    @Test
    void isHealthyWhenTheCollectorIsDownButNothingWaits() {
        AgentState quiet = States.withSpool(States.running(PID), 0, States.START, "collector: 503");

        assertThat(at(LAST.plusSeconds(2), true).judge(quiet).healthy()).isTrue();
    }

    @Test
    void countsTheStallFromTheStartWhenNothingWasEverDelivered() {
        AgentState never = new AgentState(PID, "0.1.0", States.START, States.START.plusSeconds(3599), null, null,
                2, 600, 0, 0, 0, 0, 0, 2, 0, null, "http://c", 5);

        assertThat(at(States.START.plusSeconds(14 * 60), true).judge(never).reasons()).isEmpty();
        assertThat(at(States.START.plusSeconds(3600), true).judge(never).reasons()).containsExactly(
                "nothing delivered since the start 1 h ago while 2 batches wait in the spool");
    }

    @Test
    void warnsAboutLostAndRejectedBatchesWithoutFailing() {
        AgentState s = States.running(PID);
        AgentState lossy = new AgentState(PID, s.version(), s.startedAt(), s.lastCycleAt(), s.lastDeliveryAt(), null,
                0, 0, 2, 12, 0, 0, 0, 0, 14, null, s.collector(), 5);

        Verdict v = at(LAST.plusSeconds(1), true).judge(lossy);

        assertThat(v.healthy()).isTrue();
        assertThat(v.warnings()).containsExactly(
                "2 batches in the dead letters (rejected by the collector); inspect them",
                "12 batches evicted from a full spool; readings were lost",
                "14 batches dropped since the start");
    }

    private static AgentState lagging(long sensors, Map<String, Long> late) {
        AgentState s = States.running(PID);
        return new AgentState(PID, s.version(), s.startedAt(), s.lastCycleAt(), s.lastDeliveryAt(), null,
                0, 0, 0, 0, 1200, 240, 0, 0, 0, null, s.collector(), 5, null, 0, sensors, late);
    }

    @Test
    void isNotSamplingWhenEverySensorKeepsMissingItsReadDeadline() {
        Verdict v = at(LAST.plusSeconds(1), true).judge(lagging(2, Map.of("tank_top", 4L, "pump", 7L)));

        assertThat(v.condition()).isEqualTo(Condition.UNHEALTHY);
        assertThat(v.reasons()).containsExactly("not sampling: all 2 sensors keep missing the read deadline;"
                + " sensors late: 'pump' missed its read deadline 7 times in a row,"
                + " 'tank_top' missed its read deadline 4 times in a row");
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void isNotSamplingWhenItsOneSensorKeepsMissingItsReadDeadline() {
        Verdict v = at(LAST.plusSeconds(1), true).judge(lagging(1, Map.of("tank_top", 4L)));

        assertThat(v.reasons()).containsExactly("not sampling: its one sensor keeps missing the read deadline;"
                + " sensors late: 'tank_top' missed its read deadline 4 times in a row");
    }

    @Test
    void warnsAboutOneLateSensorOfTwoWithoutFailing() {
        Verdict v = at(LAST.plusSeconds(1), true).judge(lagging(2, Map.of("tank_top", 4L)));

        assertThat(v.healthy()).isTrue();
        assertThat(v.warnings()).containsExactly("sensors late: 'tank_top' missed its read deadline 4 times in a row");
    }

    @Test
    void warnsAboutLateSensorsWhenTheSensorCountIsUnknown() {
        Verdict v = at(LAST.plusSeconds(1), true).judge(lagging(0, Map.of("tank_top", 4L)));

        assertThat(v.healthy()).isTrue();
        assertThat(v.warnings()).containsExactly("sensors late: 'tank_top' missed its read deadline 4 times in a row");
    }

    @Test
    void putsTheLaggingSensorsInTheJsonVerdict() {
        String json = at(LAST.plusSeconds(1), true).judge(lagging(2, Map.of("tank_top", 4L))).toJson();

        assertThat(json).contains("\"sensor_count\" : 2", "\"lagging_sensors\" : {\n      \"tank_top\" : 4\n    }");
    }

    @Test
    void hasNoStateWhenTheFileIsMissing() {
        Verdict v = at(LAST, true).check(new StateFile(dir));

        assertThat(v.condition()).isEqualTo(Condition.NO_STATE);
        assertThat(v.state()).isEmpty();
        assertThat(v.reasons()).containsExactly("no agent state at " + dir.resolve("state.json")
                + "; the agent writes it every cycle: is it running with this data folder"
                + " (SENSOR_READER_DATA_DIR, or --data-dir)?");
    }

    @Test
    void judgesTheFileTheAgentWrote() throws IOException {
        StateFile file = new StateFile(dir);
        file.write(States.running(PID));

        assertThat(at(LAST.plusSeconds(1), true).check(file).healthy()).isTrue();
    }

    @Test
    void seesThisVeryProcessAsRunning() {
        assertThat(Health.running(ProcessHandle.current().pid())).isTrue();
        assertThat(Health.running(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void spellsDurationsToTheTwoLargestUnits() {
        assertThat(Health.span(Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(Health.span(Duration.ofSeconds(61))).isEqualTo("1 min");
        assertThat(Health.span(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(Health.span(Duration.ofHours(50))).isEqualTo("2 d 2 h");
    }
}
