package io.sensorreader.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Judges an agent from its {@link StateFile}, from outside the agent ({@code sensor-reader
 * status}, a watchdog, a monitoring check).
 *
 * <p>The rules. The agent is <b>unhealthy</b> when
 * <ul>
 *   <li>its process is gone: no live process has the pid in the state (on Linux, no
 *       {@code /proc/<pid>});</li>
 *   <li>its loop is stuck: the last cycle ended more than 3 intervals ago (or, before the first
 *       cycle, the process started more than 3 intervals ago);</li>
 *   <li>delivery is stuck: batches wait in the spool and nothing at all has reached the collector
 *       for the stall limit (15 minutes unless told otherwise), counted from the last delivery or,
 *       if there was none, from the start. A backlog that drains while live batches still arrive
 *       is healthy; an empty spool with a collector that is down is healthy too, because nothing
 *       is waiting (that cannot last: the next failed batch goes to the spool).</li>
 *   <li>the agent says it is not delivering ({@code not_delivering} in the state): nothing (or no
 *       sensor reading) reached the collector for more than three intervals while there was
 *       something to send; the agent's text says why (collector unreachable, poison batches and
 *       their sensors, authentication, the collector URL, the spool failing).</li>
 *   <li>it is not sampling: every sensor of the device keeps missing its read deadline
 *       ({@code lagging_sensors} holds all {@code sensor_count} sensors), so no reading is taken;
 *       the reason names each sensor and its misses in a row.</li>
 * </ul>
 * Batches in the dead letters, evicted or dropped are <b>warnings</b>: readings were lost or
 * need a look, but the agent itself works. So are some, but not all, sensors missing their read
 * deadline ({@code sensors late: ...}): the others are still sampled. With the sensor count
 * unknown (a state file of an older agent) lagging sensors are a warning too. There is <b>no state</b> to judge when the file is
 * missing or unreadable.
 */
public final class Health {

    /** The default stall limit for delivery. */
    public static final Duration DEFAULT_DELIVERY_STALL = Duration.ofMinutes(15);

    private final Clock clock;
    private final LongPredicate processAlive;
    private final Duration deliveryStall;

    /**
     * @param clock the time to judge at
     * @param processAlive whether a process with this pid runs (tests pass a fake)
     * @param deliveryStall how long nothing may be delivered while the spool holds batches
     */
    public Health(Clock clock, LongPredicate processAlive, Duration deliveryStall) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processAlive = Objects.requireNonNull(processAlive, "processAlive");
        this.deliveryStall = Objects.requireNonNull(deliveryStall, "deliveryStall");
    }

    /** Judges with the system clock, the real process table and the default stall limit. */
    public Health() {
        this(Clock.systemUTC(), Health::running, DEFAULT_DELIVERY_STALL);
    }

    /** Whether a live process has this pid (on Linux, {@code /proc/<pid>} exists). */
    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** What a check found. */
    public enum Condition {
        /** The agent runs, cycles and delivers. */
        HEALTHY,
        /** The state exists and something is wrong; {@link Verdict#reasons()} says what. */
        UNHEALTHY,
        /** There is no (readable) state file: the agent never ran with this data folder. */
        NO_STATE
    }

    /**
     * A judgement.
     *
     * @param condition the overall finding
     * @param state the state judged, empty for {@link Condition#NO_STATE}
     * @param reasons why it is unhealthy or has no state, as an operator reads it; empty when healthy
     * @param warnings what deserves a look without making the agent unhealthy
     */
    public record Verdict(Condition condition, Optional<AgentState> state, List<String> reasons, List<String> warnings) {

        /** Copies the lists. */
        public Verdict {
            reasons = List.copyOf(reasons);
            warnings = List.copyOf(warnings);
        }

        /** Whether the condition is {@link Condition#HEALTHY}. */
        public boolean healthy() {
            return condition == Condition.HEALTHY;
        }

        /**
         * The verdict for scripts: {@code {"healthy", "condition", "reasons", "warnings", "state"}},
         * the state as in {@code state.json} or {@code null}.
         */
        public String toJson() {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = json.createObjectNode();
            o.put("healthy", healthy());
            o.put("condition", condition.name().toLowerCase(Locale.ROOT));
            reasons.forEach(o.putArray("reasons")::add);
            warnings.forEach(o.putArray("warnings")::add);
            o.set("state", state.<JsonNode>map(s -> StateFile.toJson(json, s)).orElse(NullNode.getInstance()));
            try {
                return json.writeValueAsString(o);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of strings and numbers always serializes", e);
            }
        }
    }

    /** Reads the file and judges it. */
    public Verdict check(StateFile file) {
        Optional<AgentState> state;
        try {
            state = file.read();
        } catch (IOException e) {
            return new Verdict(Condition.NO_STATE, Optional.empty(), List.of(e.getMessage()), List.of());
        }
        if (state.isEmpty()) {
            return new Verdict(Condition.NO_STATE, Optional.empty(),
                    List.of("no agent state at " + file.path() + "; the agent writes it every cycle: is it running"
                            + " with this data folder (SENSOR_READER_DATA_DIR, or --data-dir)?"),
                    List.of());
        }
        return judge(state.get());
    }

    /** Judges a state read earlier. */
    public Verdict judge(AgentState s) {
        Instant now = clock.instant();
        List<String> reasons = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        if (!processAlive.test(s.pid())) {
            reasons.add("the agent (pid " + s.pid() + ") is not running; its last state is from "
                    + ago(s.lastCycleAt() != null ? s.lastCycleAt() : s.startedAt(), now)
                    + "; see: journalctl -u sensor-reader");
        } else {
            Duration limit = Duration.ofSeconds(3 * s.intervalSeconds());
            if (s.lastCycleAt() == null) {
                if (Duration.between(s.startedAt(), now).compareTo(limit) > 0) {
                    reasons.add("no sampling cycle has finished since the start " + ago(s.startedAt(), now)
                            + "; expected one every " + s.intervalSeconds() + " s");
                }
            } else if (Duration.between(s.lastCycleAt(), now).compareTo(limit) > 0) {
                reasons.add("the last sampling cycle ended " + ago(s.lastCycleAt(), now)
                        + "; expected one every " + s.intervalSeconds() + " s: the loop is stuck");
            }
        }

        if (s.notDelivering() != null && processAlive.test(s.pid())) {
            reasons.add("not delivering: " + s.notDelivering());
        }
        Instant since = s.lastDeliveryAt() != null ? s.lastDeliveryAt() : s.startedAt();
        if (s.spoolBatches() > 0 && Duration.between(since, now).compareTo(deliveryStall) > 0) {
            reasons.add((s.lastDeliveryAt() == null
                    ? "nothing delivered since the start " + ago(since, now)
                    : "nothing delivered since " + ago(since, now))
                    + " while " + s.spoolBatches() + " batches wait in the spool"
                    + (s.lastFailure() == null ? "" : "; last failure: " + s.lastFailure()));
        }

        if (!s.laggingSensors().isEmpty()) {
            String late = "sensors late: " + String.join(", ", s.laggingSensors().entrySet().stream()
                    .map(e -> "'" + e.getKey() + "' missed its read deadline " + e.getValue() + " times in a row")
                    .toList());
            if (s.sampling()) {
                warnings.add(late);
            } else if (processAlive.test(s.pid())) {
                reasons.add("not sampling: " + (s.sensorCount() == 1 ? "its one sensor keeps"
                        : "all " + s.sensorCount() + " sensors keep") + " missing the read deadline; " + late);
            }
        }
        if (s.deadLetters() > 0) {
            warnings.add(s.deadLetters() + " batches in the dead letters (rejected by the collector); inspect them");
        }
        if (s.evicted() > 0) {
            warnings.add(s.evicted() + " batches evicted from a full spool; readings were lost");
        }
        if (s.batchesDropped() > 0) {
            warnings.add(s.batchesDropped() + " batches dropped since the start");
        }
        return new Verdict(reasons.isEmpty() ? Condition.HEALTHY : Condition.UNHEALTHY, Optional.of(s), reasons, warnings);
    }

    /** {@code "12 s ago"}, {@code "4 min ago"}, {@code "2 h 5 min ago"}, {@code "3 d 2 h ago"}. */
    public static String ago(Instant then, Instant now) {
        return span(Duration.between(then, now)) + " ago";
    }

    /** A duration as an operator reads it, to the two largest units. */
    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min";
        }
        if (s < 86_400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + " h" + (m == 0 ? "" : " " + m + " min");
        }
        long h = (s % 86_400) / 3600;
        return (s / 86_400) + " d" + (h == 0 ? "" : " " + h + " h");
    }
}
