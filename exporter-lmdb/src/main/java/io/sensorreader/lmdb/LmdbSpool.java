package io.sensorreader.lmdb;

import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool in one LMDB environment, {@code <data dir>/data.lmdb}, default database only (see
 * {@link Keys} for the layout).
 *
 * <p>Room: all records together may use {@value #RECORD_SHARE_PERCENT}% of the configured size,
 * measured in LMDB pages (so overflow pages and half-empty leaves count); the rest is headroom for
 * copy-on-write and free pages. Dead letters may use {@value #DEAD_SHARE_PERCENT}% of it on their own.
 * Every method is {@code synchronized}: LMDB serialises writers anyway, and this keeps one
 * transaction at a time in the process, which {@link Env#setMapSize(long)} needs.
 */
final class LmdbSpool implements Spool {

    static final int RECORD_SHARE_PERCENT = 80;
    static final int DEAD_SHARE_PERCENT = 10;
    /** Records dropped by one append at most; a much larger backlog shrinks over several appends. */
    private static final int MAX_EVICTIONS_PER_WRITE = 1000;
    /** How far eviction looks for a sensor batch before it takes the oldest record of any kind. */
    private static final int SENSOR_SEARCH_LIMIT = 1000;
    private static final int MAX_MAP_GROWTHS = 10;

    private static final Logger log = LoggerFactory.getLogger(LmdbSpool.class);
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path envPath;
    private final Path lockPath;
    private final long capacityBytes;
    private final Clock clock;
    private final Records records = new Records();
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> db;
    private final int pageSize;
    private final ByteBuffer metaKey = Keys.direct(Keys.META);
    private final ByteBuffer metaValue = ByteBuffer.allocateDirect(Counters.SIZE);
    private final ByteBuffer queueEnd = Keys.direct(Keys.QUEUE_END);
    private final ByteBuffer deadStart = Keys.direct(Keys.DEAD_PREFIX);
    private final ByteBuffer deadEnd = Keys.direct(Keys.DEAD_END);
    private ByteBuffer keyBuffer = ByteBuffer.allocateDirect(64);
    private ByteBuffer valueBuffer = ByteBuffer.allocateDirect(8192);
    private boolean drainHeld;
    private boolean closed;
    private int mapGrowths;

    private LmdbSpool(Path envPath, Path lockPath, long capacityBytes, Clock clock, Env<ByteBuffer> env) {
        this.envPath = envPath;
        this.lockPath = lockPath;
        this.capacityBytes = capacityBytes;
        this.clock = clock;
        this.env = env;
        this.db = env.openDbi((String) null);
        this.pageSize = env.stat().pageSize;
    }

    /**
     * Opens {@code <dataDir>/data.lmdb}; one that cannot be opened or read is moved aside with a
     * timestamped name and replaced by an empty one.
     */
    static LmdbSpool open(Path dataDir, long capacityBytes, Clock clock) throws SpoolException {
        Path envPath = dataDir.resolve("data.lmdb");
        Path lockPath = dataDir.resolve("spool-drain.lock");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SpoolException("cannot create the data folder " + dataDir + ": " + e.getMessage()
                    + "; check SENSOR_READER_DATA_DIR and its permissions", e);
        }
        try {
            return openAt(envPath, lockPath, capacityBytes, clock);
        } catch (LmdbException e) {
            Path aside = envPath.resolveSibling("data.lmdb.unreadable-" + ASIDE_STAMP.format(clock.instant()));
            try {
                Files.move(envPath, aside);
            } catch (IOException moveFailed) {
                throw new SpoolException(envPath + " cannot be opened (" + e.getMessage() + ") nor moved aside ("
                        + moveFailed.getMessage() + "); move or delete it by hand", e);
            }
            log.error("{} cannot be opened ({}); moved it aside to {} and started an empty spool. "
                    + "The batches in it are NOT delivered; keep it for inspection.", envPath, e.getMessage(), aside);
            try {
                return openAt(envPath, lockPath, capacityBytes, clock);
            } catch (LmdbException again) {
                throw new SpoolException("cannot create a new spool at " + envPath + ": " + again.getMessage(), again);
            }
        }
    }

    private static LmdbSpool openAt(Path envPath, Path lockPath, long capacityBytes, Clock clock)
            throws SpoolException {
        EnvFlags[] flags;
        try {
            if (Files.isRegularFile(envPath)) {
                flags = new EnvFlags[] {EnvFlags.MDB_NOSUBDIR};
            } else {
                Files.createDirectories(envPath);
                flags = new EnvFlags[0];
            }
        } catch (IOException e) {
            throw new SpoolException("cannot create " + envPath + ": " + e.getMessage(), e);
        }
        // LMDB raises a smaller map size to what the file already holds, so an environment left
        // with a larger map (the Python agent's 256 MiB) opens whatever the setting.
        Env<ByteBuffer> env = Env.create().setMapSize(capacityBytes).setMaxDbs(1).open(envPath.toFile(), flags);
        try {
            LmdbSpool spool = new LmdbSpool(envPath, lockPath, capacityBytes, clock, env);
            spool.recount();
            return spool;
        } catch (LmdbException e) {
            env.close();
            throw e;
        } catch (SpoolException e) {
            env.close();
            throw new LmdbReadException(e);
        }
    }

    /** A failure while reading a freshly opened environment: treated like one that cannot open. */
    private static final class LmdbReadException extends LmdbException {
        LmdbReadException(Exception cause) {
            super(cause.getCause() == null ? cause.getMessage() : cause.getCause().getMessage(), cause);
        }
    }

    @Override
    public synchronized SpooledBatch append(Batch batch, int lastStatus) throws SpoolException {
        Instant now = clock.instant();
        byte[] value = records.encodeQueued(batch, lastStatus, now, 0, null);
        String key = write("append a batch", txn -> {
            Counters c = counters(txn);
            String k = Keys.queue(c.nextSequence++, batch.kind());
            makeRoom(txn, c, costOf(k, value.length));
            put(txn, k, value);
            c.queued++;
            c.queuedBytes += k.length() + value.length;
            saveCounters(txn, c);
            return k;
        });
        return new SpooledBatch(key, batch, now, 0, lastStatus, value.length);
    }

    @Override
    public synchronized List<SpooledBatch> oldest(int max) throws SpoolException {
        List<SpooledBatch> out = new ArrayList<>(Math.min(Math.max(0, max), 1024));
        String after = null;
        while (out.size() < max) {
            List<Raw> raws = readRange(rangeAfter(after), max - out.size());
            if (raws.isEmpty()) {
                break;
            }
            List<Unreadable> bad = new ArrayList<>();
            for (Raw raw : raws) {
                try {
                    Records.Queued q = records.decodeQueued(raw.key, raw.value);
                    out.add(new SpooledBatch(raw.key, q.batch(), q.spooledAt(), q.attempts(), q.lastStatus(),
                            raw.value.length));
                } catch (Records.UnreadableException e) {
                    bad.add(new Unreadable(raw, e.getMessage()));
                }
            }
            after = raws.get(raws.size() - 1).key;
            if (!bad.isEmpty()) {
                moveUnreadable(bad);
            }
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(List<SpooledBatch> delivered) throws SpoolException {
        if (delivered.isEmpty()) {
            return;
        }
        write("acknowledge delivered batches", txn -> {
            Counters c = counters(txn);
            for (SpooledBatch b : delivered) {
                removeQueued(txn, c, b.key());
            }
            saveCounters(txn, c);
            return null;
        });
    }

    @Override
    public synchronized void recordAttempt(SpooledBatch batch, int status, String reason) throws SpoolException {
        write("record a failed attempt", txn -> {
            ByteBuffer stored = db.get(txn, key(batch.key()));
            if (stored == null) {
                return null;
            }
            int oldSize = stored.remaining();
            byte[] old = copy(stored);
            byte[] value = records.encodeQueued(batch.batch(), status, batch.spooledAt(),
                    records.attemptsOf(old) + 1, reason);
            put(txn, batch.key(), value);
            Counters c = counters(txn);
            c.queuedBytes += value.length - oldSize;
            saveCounters(txn, c);
            return null;
        });
    }

    @Override
    public synchronized void deadLetter(SpooledBatch batch, int status, String reason) throws SpoolException {
        write("move a batch to the dead letters", txn -> {
            Counters c = counters(txn);
            ByteBuffer stored = db.get(txn, key(batch.key()));
            int attempts = stored == null ? batch.attempts() : records.attemptsOf(copy(stored));
            removeQueued(txn, c, batch.key());
            addDead(txn, c, batch.batch(), batch.batch().toJson(), status, reason, attempts + 1,
                    batch.spooledAt(), batch.key());
            saveCounters(txn, c);
            return null;
        });
    }

    @Override
    public synchronized void deadLetter(Batch batch, int status, String reason) throws SpoolException {
        write("store a dead letter", txn -> {
            Counters c = counters(txn);
            addDead(txn, c, batch, batch.toJson(), status, reason, 1, null, null);
            saveCounters(txn, c);
            return null;
        });
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int max) throws SpoolException {
        List<DeadLetter> out = new ArrayList<>();
        for (Raw raw : readRange(KeyRange.closedOpen(deadStart, deadEnd), max)) {
            out.add(records.decodeDead(raw.key, raw.value));
        }
        return out;
    }

    @Override
    public synchronized int requeue(List<String> keys) throws SpoolException {
        List<Raw> chosen = new ArrayList<>();
        Set<String> wanted = new HashSet<>(keys);
        for (Raw raw : readRange(KeyRange.closedOpen(deadStart, deadEnd), Integer.MAX_VALUE)) {
            if (wanted.isEmpty() || wanted.contains(raw.key)) {
                chosen.add(raw);
            }
        }
        if (chosen.isEmpty()) {
            return 0;
        }
        return write("requeue dead letters", txn -> {
            Counters c = counters(txn);
            int moved = 0;
            for (Raw raw : chosen) {
                DeadLetter d = records.decodeDead(raw.key, raw.value);
                Batch.Kind kind = d.kind() == null ? Batch.Kind.SENSOR_BATCH : d.kind();
                // An unreadable record goes back as it was: a newer agent may read it; if not, it
                // comes back here with the reason.
                byte[] value = d.kind() == null
                        ? d.body().getBytes(StandardCharsets.UTF_8)
                        : records.encodeQueued(d.kind(), d.body(), records.batchTimestampOfDead(raw.value), d.status(),
                                records.spooledAtOfDead(raw.value, clock.instant()),
                                d.attempts(), d.reason());
                String k = Keys.queue(c.nextSequence++, kind);
                db.delete(txn, key(raw.key));
                c.dead--;
                c.deadBytes -= raw.key.length() + raw.value.length;
                makeRoom(txn, c, costOf(k, value.length));
                put(txn, k, value);
                c.queued++;
                c.queuedBytes += k.length() + value.length;
                moved++;
            }
            saveCounters(txn, c);
            return moved;
        });
    }

    @Override
    public synchronized SpoolStats stats() throws SpoolException {
        ensureOpen();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            Counters c = counters(txn);
            Optional<Instant> oldest = Optional.empty();
            try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
                if (cursor.first()) {
                    String k = Keys.string(cursor.key());
                    if (k.compareTo(Keys.QUEUE_END) < 0) {
                        oldest = Optional.of(spooledAt(k, cursor.val()));
                    }
                }
            }
            return new SpoolStats(c.queued, c.queuedBytes, oldest, c.dead, c.evicted, capacityBytes);
        } catch (LmdbException e) {
            throw new SpoolException(envPath + ": cannot read the spool's figures: " + e.getMessage(), e);
        }
    }

    /** Dead letters dropped to make room for newer ones (not in {@link SpoolStats}). */
    synchronized long deadLettersEvicted() throws SpoolException {
        ensureOpen();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            return counters(txn).deadEvicted;
        }
    }

    @Override
    public synchronized Optional<DrainLock> tryLockDrain() throws SpoolException {
        ensureOpen();
        if (drainHeld) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SpoolException("cannot open the drain lock " + lockPath + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another spool object in this JVM holds it: the same answer as another process.
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SpoolException("cannot lock " + lockPath + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            return Optional.empty();
        }
        drainHeld = true;
        FileLock held = lock;
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                try {
                    held.release();
                } catch (IOException e) {
                    log.debug("releasing {} failed; closing the channel releases it", lockPath, e);
                }
                closeQuietly(channel);
                synchronized (LmdbSpool.this) {
                    drainHeld = false;
                }
            }
        });
    }

    @Override
    public String location() {
        return envPath.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            env.close();
        } catch (RuntimeException e) {
            log.warn("closing the spool at {} failed: {}", envPath, e.toString());
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<R> {
        R run(Txn<ByteBuffer> txn) throws SpoolException;
    }

    /**
     * Runs one write transaction. A full map (the headroom was not enough, e.g. a reader in another
     * process pins old pages) grows the map by a tenth of the configured size, a few times at most,
     * and tries again; eviction notices are logged only once the transaction committed.
     */
    private <R> R write(String what, Work<R> work) throws SpoolException {
        ensureOpen();
        while (true) {
            pendingEvictions = new Evictions();
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                R result = work.run(txn);
                txn.commit();
                pendingEvictions.log(this);
                return result;
            } catch (Env.MapFullException e) {
                if (mapGrowths >= MAX_MAP_GROWTHS) {
                    throw new SpoolException(envPath + ": cannot " + what + ": the LMDB map is full even after "
                            + "evicting and growing it to " + env.info().mapSize / (1024 * 1024) + " MiB; "
                            + "free disk space or lower the backlog", e);
                }
                long grown = env.info().mapSize + Math.max(capacityBytes / 10, 1024 * 1024);
                mapGrowths++;
                env.setMapSize(grown);
                log.warn("spool at {}: the LMDB map filled up before the {} MiB limit was reached; grew it to {} MiB",
                        envPath, capacityBytes / (1024 * 1024), grown / (1024 * 1024));
            } catch (LmdbException e) {
                throw new SpoolException(envPath + ": cannot " + what + ": " + e.getMessage(), e);
            }
        }
    }

    private Evictions pendingEvictions = new Evictions();

    /** What one transaction dropped, for one WARN line after it committed. */
    private static final class Evictions {
        int count;
        long bytes;
        String firstKey;
        String lastKey;
        long total;
        final List<String> deadDropped = new ArrayList<>();
        long deadTotal;

        void log(LmdbSpool spool) {
            if (count > 0) {
                log.warn("spool full ({} MiB limit): dropped the {} oldest batch(es), {} bytes, keys {} to {}, "
                                + "to make room; {} dropped since the spool was created. "
                                + "Raise SENSOR_READER_SPOOL_MAX_MB to keep a longer outage.",
                        spool.capacityBytes / (1024 * 1024), count, bytes, firstKey, lastKey, total);
            }
            for (String dropped : deadDropped) {
                log.warn("dead letters full ({}% of the spool): dropped the oldest, {}; {} dropped so far. "
                        + "Inspect and requeue or clear the dead letters.", DEAD_SHARE_PERCENT, dropped, deadTotal);
            }
        }
    }

    /** Evicts the oldest queue records until a record of {@code cost} bytes fits in the budget. */
    private void makeRoom(Txn<ByteBuffer> txn, Counters c, long cost) throws SpoolException {
        long budget = capacityBytes * RECORD_SHARE_PERCENT / 100;
        if (usedBytes(txn) + cost <= budget) {
            return;
        }
        if (cost > budget) {
            throw new SpoolException(envPath + ": a record of " + cost + " bytes does not fit in the spool's "
                    + budget + " bytes; raise SENSOR_READER_SPOOL_MAX_MB");
        }
        Evictions ev = pendingEvictions;
        for (int dropped = 0; dropped < MAX_EVICTIONS_PER_WRITE && usedBytes(txn) + cost > budget; dropped++) {
            try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
                if (!seekVictim(cursor)) {
                    return;
                }
                String k = Keys.string(cursor.key());
                int size = cursor.key().remaining() + cursor.val().remaining();
                cursor.delete();
                c.queued--;
                c.queuedBytes -= size;
                c.evicted++;
                ev.count++;
                ev.bytes += size;
                if (ev.firstKey == null) {
                    ev.firstKey = k;
                }
                ev.lastKey = k;
                ev.total = c.evicted;
            }
        }
    }

    /** Puts the cursor on the oldest sensor batch, or on the oldest queue record when none is near. */
    private boolean seekVictim(Cursor<ByteBuffer> cursor) {
        if (!cursor.first() || Keys.string(cursor.key()).compareTo(Keys.QUEUE_END) >= 0) {
            return false;
        }
        String firstKey = Keys.string(cursor.key());
        for (int seen = 0; seen < SENSOR_SEARCH_LIMIT; seen++) {
            String k = Keys.string(cursor.key());
            if (k.compareTo(Keys.QUEUE_END) >= 0) {
                break;
            }
            if (!Keys.isDeviceStatus(k)) {
                return true;
            }
            if (!cursor.next()) {
                break;
            }
        }
        return cursor.get(key(firstKey), org.lmdbjava.GetOp.MDB_SET_KEY);
    }

    /** @param batch the batch, or {@code null} for an unreadable record whose text is {@code body} */
    private void addDead(Txn<ByteBuffer> txn, Counters c, Batch batch, String body, int status, String reason,
                         int attempts, Instant spooledAt, String fromKey) throws SpoolException {
        String k = Keys.dead(c.nextSequence++);
        byte[] value = records.encodeDead(batch == null ? null : batch.kind(), body,
                batch == null ? -1 : batch.timestamp(), status, reason, clock.instant(), attempts, spooledAt, fromKey);
        long cap = capacityBytes * DEAD_SHARE_PERCENT / 100;
        while (c.dead > 0 && c.deadBytes + k.length() + value.length > cap) {
            try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
                if (!cursor.get(deadStart, org.lmdbjava.GetOp.MDB_SET_RANGE)
                        || Keys.string(cursor.key()).compareTo(Keys.DEAD_END) >= 0) {
                    break;
                }
                String victim = Keys.string(cursor.key());
                byte[] old = copy(cursor.val());
                cursor.delete();
                DeadLetter d = records.decodeDead(victim, old);
                c.dead--;
                c.deadBytes -= victim.length() + old.length;
                c.deadEvicted++;
                pendingEvictions.deadDropped.add(victim + " (status " + d.status() + ": " + d.reason() + ")");
                pendingEvictions.deadTotal = c.deadEvicted;
            }
        }
        makeRoom(txn, c, costOf(k, value.length));
        put(txn, k, value);
        c.dead++;
        c.deadBytes += k.length() + value.length;
    }

    private void removeQueued(Txn<ByteBuffer> txn, Counters c, String k) {
        ByteBuffer stored = db.get(txn, key(k));
        if (stored == null) {
            return;
        }
        int size = k.length() + stored.remaining();
        db.delete(txn, key(k));
        c.queued--;
        c.queuedBytes -= size;
    }

    private record Unreadable(Raw raw, String reason) {
    }

    private void moveUnreadable(List<Unreadable> bad) throws SpoolException {
        List<String> moved = write("move unreadable records to the dead letters", txn -> {
            Counters c = counters(txn);
            List<String> deadKeys = new ArrayList<>();
            for (Unreadable u : bad) {
                removeQueued(txn, c, u.raw.key);
                long seq = c.nextSequence;
                addDead(txn, c, null, new String(u.raw.value, StandardCharsets.UTF_8), 0,
                        "unreadable spool record: " + u.reason, 0, null, u.raw.key);
                deadKeys.add(Keys.dead(seq));
            }
            saveCounters(txn, c);
            return deadKeys;
        });
        for (int i = 0; i < bad.size(); i++) {
            log.warn("spool record {} cannot be read ({}); moved it to the dead letters as {}",
                    bad.get(i).raw.key, bad.get(i).reason, moved.get(i));
        }
    }

    /** Counts every record once, at open: the figures heal even if another program wrote here. */
    private void recount() throws SpoolException {
        write("count the records", txn -> {
            Counters c = counters(txn);
            long queued = 0;
            long queuedBytes = 0;
            long dead = 0;
            long deadBytes = 0;
            long maxSequence = -1;
            try (CursorIterable<ByteBuffer> all = db.iterate(txn)) {
                for (CursorIterable.KeyVal<ByteBuffer> kv : all) {
                    String k = Keys.string(kv.key());
                    int size = kv.key().remaining() + kv.val().remaining();
                    if (k.compareTo(Keys.QUEUE_END) < 0) {
                        queued++;
                        queuedBytes += size;
                    } else if (k.startsWith(Keys.DEAD_PREFIX)) {
                        dead++;
                        deadBytes += size;
                    }
                    maxSequence = Math.max(maxSequence, Keys.sequenceOf(k));
                }
            }
            c.nextSequence = Math.max(c.nextSequence, maxSequence + 1);
            c.queued = queued;
            c.queuedBytes = queuedBytes;
            c.dead = dead;
            c.deadBytes = deadBytes;
            saveCounters(txn, c);
            return null;
        });
    }

    // ---- reading -------------------------------------------------------------------------------

    private record Raw(String key, byte[] value) {
    }

    private KeyRange<ByteBuffer> rangeAfter(String after) {
        return after == null ? KeyRange.lessThan(queueEnd) : KeyRange.open(Keys.direct(after), queueEnd);
    }

    /** Copies up to {@code max} records of a range out of a short read transaction. */
    private List<Raw> readRange(KeyRange<ByteBuffer> range, int max) throws SpoolException {
        ensureOpen();
        List<Raw> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        try (Txn<ByteBuffer> txn = env.txnRead();
             CursorIterable<ByteBuffer> it = db.iterate(txn, range)) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                out.add(new Raw(Keys.string(kv.key()), copy(kv.val())));
                if (out.size() >= max) {
                    break;
                }
            }
        } catch (LmdbException e) {
            throw new SpoolException(envPath + ": cannot read the spool: " + e.getMessage(), e);
        }
        return out;
    }

    private Instant spooledAt(String k, ByteBuffer value) {
        long seconds = Keys.pythonEpochSeconds(k);
        if (seconds >= 0) {
            return Instant.ofEpochSecond(seconds);
        }
        try {
            return records.decodeQueued(k, copy(value)).spooledAt();
        } catch (Records.UnreadableException e) {
            return Instant.EPOCH;
        }
    }

    private long usedBytes(Txn<ByteBuffer> txn) {
        Stat s = db.stat(txn);
        return (s.branchPages + s.leafPages + s.overflowPages) * (long) s.pageSize;
    }

    /** What a record costs in pages: a value over half a page gets overflow pages of its own. */
    private long costOf(String k, int valueLength) {
        int node = k.length() + valueLength + 16;
        if (node <= pageSize / 2) {
            return node;
        }
        return ((valueLength + 16L + pageSize - 1) / pageSize) * pageSize + k.length() + 16;
    }

    private Counters counters(Txn<ByteBuffer> txn) {
        return Counters.read(db.get(txn, metaKey));
    }

    private void saveCounters(Txn<ByteBuffer> txn, Counters c) {
        c.write(metaValue);
        db.put(txn, metaKey, metaValue);
    }

    private void put(Txn<ByteBuffer> txn, String k, byte[] value) {
        if (valueBuffer.capacity() < value.length) {
            valueBuffer = ByteBuffer.allocateDirect(Math.max(value.length, valueBuffer.capacity() * 2));
        }
        valueBuffer.clear();
        valueBuffer.put(value).flip();
        db.put(txn, key(k), valueBuffer);
    }

    /** The key in the shared direct buffer; valid until the next call. */
    private ByteBuffer key(String k) {
        byte[] bytes = k.getBytes(StandardCharsets.UTF_8);
        if (keyBuffer.capacity() < bytes.length) {
            keyBuffer = ByteBuffer.allocateDirect(bytes.length);
        }
        keyBuffer.clear();
        keyBuffer.put(bytes).flip();
        return keyBuffer;
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private void ensureOpen() throws SpoolException {
        if (closed) {
            throw new SpoolException("the spool at " + envPath + " is closed");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a lock channel failed", e);
        }
    }
}
