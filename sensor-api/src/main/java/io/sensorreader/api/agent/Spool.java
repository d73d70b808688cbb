package io.sensorreader.api.agent;

import io.sensorreader.api.Batch;

import java.util.List;
import java.util.Optional;

/**
 * The durable store of batches that could not be delivered yet, and of those rejected for good
 * (the dead letters). One spool per data folder per process.
 *
 * <p>Durability: when {@link #append(Batch, int)} returns, the batch is on disk; a crash, a
 * {@code kill -9} or a power cut after that loses nothing. A full store evicts the oldest sensor
 * batches by its stated policy and counts them; it never fails an append for want of room unless
 * even eviction cannot make any.
 *
 * <p>Threads: every method is safe to call from any thread. Only one process drains at a time:
 * callers that send spooled batches hold {@link #tryLockDrain()}.
 */
public interface Spool extends AutoCloseable {

    /**
     * Stores a batch at the end of the queue, durably.
     *
     * @param lastStatus the HTTP status of the failed attempt, or 0 when there was none
     * @return the stored record
     * @throws SpoolException when the disk refuses (I/O error) and nothing could be stored
     */
    SpooledBatch append(Batch batch, int lastStatus) throws SpoolException;

    /**
     * The oldest batches, in arrival order; at most {@code max}. Records that cannot be read are
     * moved to the dead letters with the reason and skipped, never returned, never blocking.
     */
    List<SpooledBatch> oldest(int max) throws SpoolException;

    /**
     * The oldest batches, in arrival order, at most {@code max} of them and, beyond the first one,
     * at most {@code maxBytes} of stored records, so that a drain page never holds more than about
     * {@code maxBytes} in memory whatever the records' sizes. The first record is returned even when
     * it alone is larger (the caller decides what to do with a batch too large to send).
     */
    default List<SpooledBatch> oldest(int max, long maxBytes) throws SpoolException {
        return oldest(max);
    }

    /** Removes delivered batches for good. Unknown keys are ignored. */
    void acknowledge(List<SpooledBatch> delivered) throws SpoolException;

    /**
     * Counts a failed attempt on a batch that stays queued (for {@code spool list} and the dead
     * letter's history).
     */
    void recordAttempt(SpooledBatch batch, int status, String reason) throws SpoolException;

    /** Moves a queued batch to the dead letters, keeping status, reason, time and attempts. */
    void deadLetter(SpooledBatch batch, int status, String reason) throws SpoolException;

    /** Stores a batch that was never queued (rejected on its first attempt) as a dead letter. */
    void deadLetter(Batch batch, int status, String reason) throws SpoolException;

    /** The dead letters, oldest first; at most {@code max}. */
    List<DeadLetter> deadLetters(int max) throws SpoolException;

    /**
     * Moves dead letters back to the end of the queue, e.g. after the collector learnt a type.
     *
     * @param keys the dead letters' keys; empty for all of them
     * @return how many were requeued
     */
    int requeue(List<String> keys) throws SpoolException;

    /**
     * Deletes dead letters for good ({@code spool purge}).
     *
     * @param keys the dead letters' keys; empty for all of them
     * @return how many were deleted
     */
    default int purge(List<String> keys) throws SpoolException {
        throw new SpoolException(location() + ": this spool cannot purge dead letters");
    }

    /** Figures for {@code spool stats}, device status and metrics. Cheap: called every cycle. */
    SpoolStats stats() throws SpoolException;

    /**
     * Takes the right to drain, across processes (e.g. {@code retry-now} beside {@code run}).
     *
     * @return the lock, to close when done; empty when another process holds it
     */
    Optional<DrainLock> tryLockDrain() throws SpoolException;

    /** Where the spool lives, for messages, e.g. {@code /var/lib/sensor-reader/data.lmdb}. */
    String location();

    /** Flushes and closes cleanly. Called once, at shutdown; must not throw. */
    @Override
    void close();

    /** The right to drain; closing gives it back. */
    interface DrainLock extends AutoCloseable {
        @Override
        void close();
    }
}
