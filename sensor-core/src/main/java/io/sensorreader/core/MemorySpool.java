package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpooledBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A spool in memory, bounded by a batch count: what the agent uses when no durable spool plugin is
 * installed (with a loud warning: a restart loses it), and what tests use as a real, inspectable
 * spool. Thread-safe.
 */
public final class MemorySpool implements Spool {

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<String, SpooledBatch> queue = new LinkedHashMap<>();
    private final LinkedHashMap<String, DeadLetter> dead = new LinkedHashMap<>();
    private final AtomicBoolean drainLocked = new AtomicBoolean();
    private long sequence;
    private long evicted;

    /** @param capacity batches kept before the oldest sensor batch is evicted */
    public MemorySpool(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public synchronized SpooledBatch append(Batch batch, int lastStatus) {
        while (queue.size() >= capacity && evictOldest()) {
            evicted++;
        }
        String key = String.format("mem-%020d", ++sequence);
        SpooledBatch stored = new SpooledBatch(key, batch, clock.instant(), 0, lastStatus, batch.toJson().length());
        queue.put(key, stored);
        return stored;
    }

    private boolean evictOldest() {
        for (Map.Entry<String, SpooledBatch> e : queue.entrySet()) {
            if (e.getValue().batch().kind() == Batch.Kind.SENSOR_BATCH) {
                queue.remove(e.getKey());
                return true;
            }
        }
        if (!queue.isEmpty()) {
            queue.remove(queue.keySet().iterator().next());
            return true;
        }
        return false;
    }

    @Override
    public synchronized List<SpooledBatch> oldest(int max) {
        return queue.values().stream().limit(max).toList();
    }

    @Override
    public synchronized List<SpooledBatch> oldest(int max, long maxBytes) {
        List<SpooledBatch> page = new ArrayList<>();
        long bytes = 0;
        for (SpooledBatch b : queue.values()) {
            if (page.size() >= max || !page.isEmpty() && bytes + b.sizeBytes() > maxBytes) {
                break;
            }
            page.add(b);
            bytes += b.sizeBytes();
        }
        return page;
    }

    @Override
    public synchronized int purge(List<String> keys) {
        if (keys.isEmpty()) {
            int n = dead.size();
            dead.clear();
            return n;
        }
        int n = 0;
        for (String k : keys) {
            if (dead.remove(k) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized void acknowledge(List<SpooledBatch> delivered) {
        for (SpooledBatch b : delivered) {
            queue.remove(b.key());
        }
    }

    @Override
    public synchronized void recordAttempt(SpooledBatch batch, int status, String reason) {
        SpooledBatch current = queue.get(batch.key());
        if (current != null) {
            queue.put(batch.key(), new SpooledBatch(current.key(), current.batch(), current.spooledAt(),
                    current.attempts() + 1, status, current.sizeBytes()));
        }
    }

    @Override
    public synchronized void deadLetter(SpooledBatch batch, int status, String reason) {
        SpooledBatch current = queue.remove(batch.key());
        int attempts = current == null ? batch.attempts() : current.attempts();
        String key = "dead-" + batch.key();
        dead.put(key, new DeadLetter(key, batch.batch().kind(), batch.batch().toJson(), status, reason, clock.instant(),
                attempts + 1));
    }

    @Override
    public synchronized void deadLetter(Batch batch, int status, String reason) {
        String key = String.format("dead-mem-%020d", ++sequence);
        dead.put(key, new DeadLetter(key, batch.kind(), batch.toJson(), status, reason, clock.instant(), 1));
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int max) {
        return dead.values().stream().limit(max).toList();
    }

    @Override
    public synchronized int requeue(List<String> keys) {
        throw new UnsupportedOperationException("the memory spool keeps dead letters as text only; nothing to requeue");
    }

    @Override
    public synchronized SpoolStats stats() {
        long bytes = queue.values().stream().mapToLong(SpooledBatch::sizeBytes).sum();
        Optional<Instant> oldest = queue.values().stream().findFirst().map(SpooledBatch::spooledAt);
        return new SpoolStats(queue.size(), bytes, oldest, dead.size(), evicted, capacity);
    }

    @Override
    public Optional<DrainLock> tryLockDrain() {
        if (!drainLocked.compareAndSet(false, true)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                drainLocked.set(false);
            }
        });
    }

    @Override
    public String location() {
        return "memory (lost on restart)";
    }

    @Override
    public void close() {
    }

    /** Keys of queued batches, for tests and {@code spool list}. */
    synchronized Set<String> keys() {
        return new HashSet<>(queue.keySet());
    }

    /** Every queued batch, in order. */
    public synchronized List<Batch> batches() {
        List<Batch> all = new ArrayList<>();
        for (SpooledBatch b : queue.values()) {
            all.add(b.batch());
        }
        return all;
    }
}
