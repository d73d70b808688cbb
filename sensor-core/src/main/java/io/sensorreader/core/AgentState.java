package io.sensorreader.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the running agent tells the outside world about itself, once per cycle: written to
 * {@code <data dir>/state.json} by {@link StateFile}, judged by {@link Health}, served by
 * {@link MetricsEndpoint}. Holds no secret: the token appears only as its fingerprint, so the
 * file can be world-readable.
 *
 * <p>Counters count since {@code startedAt} (this process), except {@code evicted}, which is the
 * spool's own count since the spool was created. The times that may not have happened yet are
 * {@code null}.
 *
 * @param pid the agent's process id ({@code ProcessHandle.current().pid()})
 * @param version the agent's version, e.g. {@code "0.1.0"}
 * @param startedAt when this process started sampling
 * @param lastCycleAt when the last sampling cycle ended, or {@code null} before the first
 * @param lastDeliveryAt when a batch last reached the collector, or {@code null} if none has
 * @param lastFailure the last delivery failure as an operator would read it, or {@code null}
 * @param spoolBatches batches waiting in the spool
 * @param spoolBytes bytes they use
 * @param deadLetters batches the collector rejected for good, kept for inspection
 * @param evicted batches dropped from a full spool since the spool was created
 * @param readingsDelivered readings that reached the collector
 * @param batchesDelivered batches that reached the collector (live and from the spool)
 * @param batchesFailed delivery attempts that failed (transient or rejected)
 * @param batchesSpooled batches appended to the spool
 * @param batchesDropped batches lost for good (rejected or evicted); should stay 0
 * @param tokenFingerprint {@code Secret.fingerprint()} of the token in use, or {@code null}
 * @param collector the collector's base address
 * @param intervalSeconds the sampling interval
 * @param notDelivering why the agent is not delivering (nothing delivered for more than three
 *     intervals while there was something to send), or {@code null} while it delivers
 * @param spoolCapacityBytes the spool's limit, 0 when unknown
 * @param sensorCount how many sensors the agent samples, 0 when unknown (older state files)
 * @param laggingSensors the sensors that keep missing their read deadline, by id, with their
 *     misses in a row; empty when all answer in time. Kept sorted by id
 */
public record AgentState(
        long pid,
        String version,
        Instant startedAt,
        Instant lastCycleAt,
        Instant lastDeliveryAt,
        String lastFailure,
        long spoolBatches,
        long spoolBytes,
        long deadLetters,
        long evicted,
        long readingsDelivered,
        long batchesDelivered,
        long batchesFailed,
        long batchesSpooled,
        long batchesDropped,
        String tokenFingerprint,
        String collector,
        long intervalSeconds,
        String notDelivering,
        long spoolCapacityBytes,
        long sensorCount,
        Map<String, Long> laggingSensors) {

    /** Without the delivery verdict and the spool's capacity (older state files, tests). */
    public AgentState(long pid, String version, Instant startedAt, Instant lastCycleAt, Instant lastDeliveryAt,
                      String lastFailure, long spoolBatches, long spoolBytes, long deadLetters, long evicted,
                      long readingsDelivered, long batchesDelivered, long batchesFailed, long batchesSpooled,
                      long batchesDropped, String tokenFingerprint, String collector, long intervalSeconds) {
        this(pid, version, startedAt, lastCycleAt, lastDeliveryAt, lastFailure, spoolBatches, spoolBytes, deadLetters,
                evicted, readingsDelivered, batchesDelivered, batchesFailed, batchesSpooled, batchesDropped,
                tokenFingerprint, collector, intervalSeconds, null, 0);
    }

    /** Without the sensors' lag (older state files, tests): no sensor count, none lagging. */
    public AgentState(long pid, String version, Instant startedAt, Instant lastCycleAt, Instant lastDeliveryAt,
                      String lastFailure, long spoolBatches, long spoolBytes, long deadLetters, long evicted,
                      long readingsDelivered, long batchesDelivered, long batchesFailed, long batchesSpooled,
                      long batchesDropped, String tokenFingerprint, String collector, long intervalSeconds,
                      String notDelivering, long spoolCapacityBytes) {
        this(pid, version, startedAt, lastCycleAt, lastDeliveryAt, lastFailure, spoolBatches, spoolBytes, deadLetters,
                evicted, readingsDelivered, batchesDelivered, batchesFailed, batchesSpooled, batchesDropped,
                tokenFingerprint, collector, intervalSeconds, notDelivering, spoolCapacityBytes, 0, Map.of());
    }

    /** Whether every sensor of the device keeps missing its read deadline: nothing is sampled. */
    public boolean sampling() {
        return sensorCount == 0 || laggingSensors.size() < sensorCount;
    }

    /** Whether the agent said it delivers. */
    public boolean delivering() {
        return notDelivering == null;
    }

    /** @throws NullPointerException when version, startedAt or collector is missing */
    public AgentState {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(collector, "collector");
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds is " + intervalSeconds + "; expected at least 1");
        }
        laggingSensors = laggingSensors == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(laggingSensors));
    }
}
