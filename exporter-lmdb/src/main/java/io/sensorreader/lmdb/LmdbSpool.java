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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.KeyRange;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool in one LMDB environment, {@code <data dir>/data.lmdb}, default database only (see
 * {@link Keys} for the layout and {@link Chunks} for compacted records).
 *
 * <p>Room: all records together may use {@value #RECORD_SHARE_PERCENT}% of the configured size,
 * measured in LMDB pages, and never so much that the file would grow into the last
 * {@value #DISK_RESERVE_MIB} MiB of its file system; dead letters may use {@value #DEAD_SHARE_PERCENT}%
 * of the size on their own.
 *
 * <p>Compaction: once {@value #CHUNK_RECORDS} of our records sit uncompacted, the append that adds
 * the last one also deflates the oldest of them into one chunk, in the same transaction.
 *
 * <p>The disk: a write refused because the file system is full keeps the batch in a bounded
 * memory queue ({@value #MEMORY_LIMIT_MIB} MiB) and writes it when space returns; an
 * acknowledgement that cannot be written is remembered, so the batch is not sent again. Before
 * each write the data file is checked to be the one opened: one deleted or replaced is reopened.
 *
 * <p>Every method is {@code synchronized}: LMDB serialises writers anyway, and this keeps one
 * transaction at a time in the process, which {@link Env#setMapSize(long)} needs.
 */
final class LmdbSpool implements Spool {

    static final int RECORD_SHARE_PERCENT = 80;
    static final int DEAD_SHARE_PERCENT = 10;
    static final int DISK_RESERVE_MIB = 8;
    static final long DISK_RESERVE_BYTES = DISK_RESERVE_MIB * 1024L * 1024L;
    static final int MEMORY_LIMIT_MIB = 8;
    static final int CHUNK_RECORDS = 240;
    private static final long CHUNK_RAW_LIMIT = 2L * 1024 * 1024;
    /** Acknowledgements kept in memory while they cannot be written, at most. */
    private static final int PENDING_ACK_LIMIT = 200_000;
    /** Records dropped by one append at most; a much larger backlog shrinks over several appends. */
    private static final int MAX_EVICTIONS_PER_WRITE = 1000;
    /** How far eviction looks for a sensor batch before it takes the oldest record of any kind. */
    private static final int SENSOR_SEARCH_LIMIT = 1000;
    private static final int MAX_MAP_GROWTHS = 10;
    private static final int RATE_WINDOW = 64;
    private static final int ENOSPC = 28;

    private static final Logger log = LoggerFactory.getLogger(LmdbSpool.class);
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final Path envPath;
    private final Path lockPath;
    private final long capacityBytes;
    private final Clock clock;
    private final Records records = new Records();
    private final RateLimitedLog limited;
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    private Env<ByteBuffer> env;
    private Dbi<ByteBuffer> db;
    private int pageSize;
    /** The data file's identity at open, to notice it deleted or replaced. */
    private Object fileKey;
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

    /** Batches held while the disk is full, oldest first. */
    private final ArrayDeque<Held> memory = new ArrayDeque<>();
    private long memoryBytes;
    private long memorySequence = -1;
    /** Delivered keys whose removal could not be written yet. */
    private final Set<String> pendingAcks = new LinkedHashSet<>();
    private boolean diskFull;
    private long lastFreeBytes = -1;
    private boolean needsRecount;
    private final long[] appendTimes = new long[RATE_WINDOW];
    private int appendCount;
    /** Chunks edited in the current write transaction, written back before it commits. */
    private final Map<String, Chunks.Header> dirtyChunks = new LinkedHashMap<>();

    private record Held(String key, Batch batch, int lastStatus, Instant spooledAt, byte[] value) {
    }

    private LmdbSpool(Path dataDir, Path envPath, Path lockPath, long capacityBytes, Clock clock) {
        this.dataDir = dataDir;
        this.envPath = envPath;
        this.lockPath = lockPath;
        this.capacityBytes = capacityBytes;
        this.clock = clock;
        this.limited = new RateLimitedLog(log, clock);
    }

    /**
     * Opens {@code <dataDir>/data.lmdb}. A data file that fails its header check, or that LMDB
     * cannot open or read, is moved aside with a timestamped name and replaced by an empty one; a
     * full disk is never a reason to move a spool aside.
     */
    static LmdbSpool open(Path dataDir, long capacityBytes, Clock clock) throws SpoolException {
        LmdbSpool spool = new LmdbSpool(dataDir, dataDir.resolve("data.lmdb"), dataDir.resolve("spool-drain.lock"),
                capacityBytes, clock);
        spool.openEnvironment();
        return spool;
    }

    private Path dataFile() {
        return Files.isRegularFile(envPath) ? envPath : envPath.resolve("data.mdb");
    }

    private void openEnvironment() throws SpoolException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SpoolException("cannot create the data folder " + dataDir + ": " + e.getMessage()
                    + "; check SENSOR_READER_DATA_DIR and its permissions", e);
        }
        Path file = dataFile();
        if (Files.exists(file)) {
            Optional<EnvHeader.Problem> problem = EnvHeader.check(file);
            if (problem.isPresent()) {
                moveAside(file, problem.get().reason(), problem.get().entries());
            }
        }
        try {
            openAt();
        } catch (LmdbException e) {
            if (isDiskFull(e)) {
                throw new SpoolException(envPath + " cannot be opened: " + diskFullText()
                        + "; the spool is kept as it is. Free space on " + dataDir, e);
            }
            moveAside(dataFile(), e.getMessage(), EnvHeader.entries(dataFile()));
            try {
                openAt();
            } catch (LmdbException again) {
                throw new SpoolException("cannot create a new spool at " + envPath + ": " + again.getMessage(), again);
            }
        }
    }

    private void moveAside(Path file, String reason, long entries) throws SpoolException {
        Path aside = envPath.resolveSibling("data.lmdb.unreadable-" + ASIDE_STAMP.format(clock.instant()));
        for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = envPath.resolveSibling("data.lmdb.unreadable-" + ASIDE_STAMP.format(clock.instant()) + "-" + n);
        }
        try {
            Files.move(envPath, aside);
        } catch (IOException moveFailed) {
            throw new SpoolException(file + " is damaged (" + reason + ") and cannot be moved aside ("
                    + moveFailed.getMessage() + "); move or delete " + envPath + " by hand", moveFailed);
        }
        String held = entries < 0 ? "an unknown number of records (its header is damaged)"
                : entries + " record(s) by its header (dead letters and the counters record included)";
        log.error("{} is damaged: {}. It held {}. Moved {} aside to {} and started an empty spool; "
                + "the batches in it are NOT delivered; keep it for inspection.", file, reason, held, envPath, aside);
    }

    private void openAt() throws SpoolException {
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
        Env<ByteBuffer> opened = Env.create().setMapSize(capacityBytes).setMaxDbs(1).open(envPath.toFile(), flags);
        try {
            env = opened;
            db = opened.openDbi((String) null);
            pageSize = opened.stat().pageSize;
            fileKey = fileKey(dataFile());
            mapGrowths = 0;
            recount();
        } catch (LmdbException e) {
            opened.close();
            throw e;
        } catch (SpoolException e) {
            opened.close();
            if (e.getCause() instanceof LmdbException le && isDiskFull(le)) {
                throw le;
            }
            throw new LmdbReadException(e);
        }
    }

    private static Object fileKey(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /** A failure while reading a freshly opened environment: treated like one that cannot open. */
    private static final class LmdbReadException extends LmdbException {
        LmdbReadException(Exception cause) {
            super(cause.getCause() == null ? cause.getMessage() : cause.getCause().getMessage(), cause);
        }
    }

    /**
     * Notices a data file deleted or replaced since it was opened (at every write and read): says so
     * loudly and opens what is there now, or a new spool, so that nothing is written into a file
     * that no longer has a name.
     */
    private void checkStorage() throws SpoolException {
        ensureOpen();
        Path file = dataFile();
        Object now = fileKey(file);
        if (Objects.equals(now, fileKey) && now != null) {
            return;
        }
        boolean deleted = now == null;
        log.error("the spool's file {} was {} while the agent ran{}; {} a spool there now. "
                        + "Do not delete or replace {} while the agent runs.",
                file, deleted ? "deleted" : "replaced by another file",
                deleted ? ": the batches it held are lost" : "", deleted ? "creating" : "opening", dataDir);
        try {
            env.close();
        } catch (RuntimeException e) {
            log.debug("closing the lost environment failed", e);
        }
        pendingAcks.clear();
        dirtyChunks.clear();
        openEnvironment();
    }

    // ---- the Spool methods ---------------------------------------------------------------------

    @Override
    public synchronized SpooledBatch append(Batch batch, int lastStatus) throws SpoolException {
        checkStorage();
        Instant now = clock.instant();
        noteAppend(now);
        byte[] value = records.encodeQueued(batch, lastStatus, now, 0, null);
        writePending();
        if (memory.isEmpty()) {
            try {
                String key = write("append a batch", txn -> {
                    Counters c = counters(txn);
                    String k = Keys.queue(c.nextSequence++, batch.kind());
                    storeQueued(txn, c, k, value);
                    compactIfDue(txn, c);
                    saveCounters(txn, c);
                    return k;
                });
                return new SpooledBatch(key, batch, now, 0, lastStatus, value.length);
            } catch (DiskFullException e) {
                // falls through to the memory queue
            }
        }
        return hold(batch, lastStatus, now, value);
    }

    /** Puts a batch in the memory queue (the disk is full), evicting the oldest held beyond the limit. */
    private SpooledBatch hold(Batch batch, int lastStatus, Instant now, byte[] value) throws SpoolException {
        if (memorySequence < 0) {
            memorySequence = peekNextSequence();
        }
        String key = Keys.queue(memorySequence++, batch.kind());
        memory.addLast(new Held(key, batch, lastStatus, now, value));
        memoryBytes += value.length;
        int dropped = 0;
        while (memoryBytes > MEMORY_LIMIT_MIB * 1024L * 1024L && memory.size() > 1) {
            Held old = memory.removeFirst();
            memoryBytes -= old.value.length;
            dropped++;
        }
        if (dropped > 0) {
            limited.warn("memory-full", "spool at " + envPath + ": " + diskFullText() + " and the " + MEMORY_LIMIT_MIB
                    + " MiB memory queue is full: dropped the " + dropped + " oldest batch(es) held in memory");
        }
        limited.warn("disk-full", "spool at " + envPath + ": " + diskFullText() + "; holding " + memory.size()
                + " batch(es) (" + memoryBytes / 1024 + " KiB of " + MEMORY_LIMIT_MIB
                + " MiB) in memory, NOT durable, until space returns. Free space on " + dataDir);
        return new SpooledBatch(key, batch, now, 0, lastStatus, value.length);
    }

    private long peekNextSequence() throws SpoolException {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            return counters(txn).nextSequence;
        } catch (LmdbException e) {
            throw new SpoolException(envPath + ": cannot read the spool's figures: " + e.getMessage(), e);
        }
    }

    /** Writes held batches and unwritten acknowledgements, when the disk takes them again. */
    private void writePending() throws SpoolException {
        if (memory.isEmpty() && pendingAcks.isEmpty() && !needsRecount) {
            return;
        }
        try {
            if (needsRecount) {
                recount();
            }
            if (!pendingAcks.isEmpty()) {
                List<String> keys = new ArrayList<>(pendingAcks);
                write("write delivered batches' removal", txn -> {
                    Counters c = counters(txn);
                    for (String k : keys) {
                        removeQueued(txn, c, k);
                    }
                    flushChunks(txn);
                    saveCounters(txn, c);
                    return null;
                });
                keys.forEach(pendingAcks::remove);
            }
            if (!memory.isEmpty()) {
                List<Held> held = new ArrayList<>(memory);
                write("write the batches held in memory", txn -> {
                    Counters c = counters(txn);
                    for (Held h : held) {
                        long seq = Keys.sequenceOf(h.key);
                        c.nextSequence = Math.max(c.nextSequence, seq + 1);
                        storeQueued(txn, c, h.key, h.value);
                    }
                    compactIfDue(txn, c);
                    saveCounters(txn, c);
                    return null;
                });
                memory.clear();
                memoryBytes = 0;
                memorySequence = -1;
                log.info("spool at {}: disk space is back ({} MiB free): wrote the {} batch(es) held in memory",
                        envPath, freeBytes() / (1024 * 1024), held.size());
            }
            if (diskFull) {
                diskFull = false;
                limited.reset("disk-full");
            }
        } catch (DiskFullException e) {
            // still full: kept for the next write
        }
    }

    private void storeQueued(Txn<ByteBuffer> txn, Counters c, String k, byte[] value) throws SpoolException {
        makeRoom(txn, c, costOf(k, value.length));
        put(txn, k, value);
        c.queued++;
        c.direct++;
        c.queuedBytes += k.length() + value.length;
    }

    @Override
    public synchronized List<SpooledBatch> oldest(int max) throws SpoolException {
        return oldest(max, Long.MAX_VALUE);
    }

    @Override
    public synchronized List<SpooledBatch> oldest(int max, long maxBytes) throws SpoolException {
        checkStorage();
        List<SpooledBatch> out = new ArrayList<>(Math.min(Math.max(0, max), 1024));
        if (max <= 0) {
            return out;
        }
        long[] bytes = {0};
        List<Unreadable> bad = new ArrayList<>();
        try (Txn<ByteBuffer> txn = env.txnRead();
             CursorIterable<ByteBuffer> it = db.iterate(txn, KeyRange.lessThan(queueEnd))) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                String k = Keys.string(kv.key());
                if (Chunks.isChunkKey(k)) {
                    byte[] value = copy(kv.val());
                    Chunks.Header h;
                    List<byte[]> entries;
                    try {
                        h = Chunks.header(value);
                        entries = h.records();
                    } catch (Records.UnreadableException e) {
                        bad.add(new Unreadable(new Raw(k, value), e.getMessage()));
                        continue;
                    }
                    for (int i = 0; i < h.count(); i++) {
                        if (h.isLive(i) && !take(out, bad, new Raw(h.entryKey(i), entries.get(i)), max, maxBytes,
                                bytes)) {
                            break;
                        }
                    }
                } else if (!take(out, bad, new Raw(k, copy(kv.val())), max, maxBytes, bytes)) {
                    break;
                }
                if (out.size() >= max || bytes[0] >= maxBytes && !out.isEmpty()) {
                    break;
                }
            }
        } catch (LmdbException e) {
            throw new SpoolException(envPath + ": cannot read the spool: " + e.getMessage(), e);
        }
        for (Held h : memory) {
            if (out.size() >= max || !out.isEmpty() && bytes[0] + h.value.length > maxBytes) {
                break;
            }
            out.add(new SpooledBatch(h.key, h.batch, h.spooledAt, 0, h.lastStatus, h.value.length));
            bytes[0] += h.value.length;
        }
        if (!bad.isEmpty()) {
            moveUnreadable(bad);
        }
        return out;
    }

    /** Adds one record to a drain page; false when the page is full. */
    private boolean take(List<SpooledBatch> out, List<Unreadable> bad, Raw raw, int max, long maxBytes, long[] bytes) {
        if (out.size() >= max || !out.isEmpty() && bytes[0] + raw.value.length > maxBytes) {
            return false;
        }
        if (pendingAcks.contains(raw.key)) {
            return true;
        }
        try {
            Records.Queued q = records.decodeQueued(raw.key, raw.value);
            out.add(new SpooledBatch(raw.key, q.batch(), q.spooledAt(), q.attempts(), q.lastStatus(),
                    raw.value.length));
            bytes[0] += raw.value.length;
        } catch (Records.UnreadableException e) {
            bad.add(new Unreadable(raw, e.getMessage()));
        }
        return true;
    }

    @Override
    public synchronized void acknowledge(List<SpooledBatch> delivered) throws SpoolException {
        if (delivered.isEmpty()) {
            return;
        }
        checkStorage();
        Set<String> keys = new LinkedHashSet<>();
        for (SpooledBatch b : delivered) {
            if (!memory.removeIf(h -> h.key.equals(b.key()) && subtract(h))) {
                keys.add(b.key());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        try {
            write("acknowledge delivered batches", txn -> {
                Counters c = counters(txn);
                for (String k : keys) {
                    removeQueued(txn, c, k);
                }
                flushChunks(txn);
                saveCounters(txn, c);
                return null;
            });
            keys.forEach(pendingAcks::remove);
        } catch (SpoolException e) {
            // Delivered, so never sent again: remembered until the removal can be written.
            for (String k : keys) {
                if (pendingAcks.size() < PENDING_ACK_LIMIT) {
                    pendingAcks.add(k);
                }
            }
            limited.warn("ack", "spool at " + envPath + ": cannot remove " + keys.size() + " delivered batch(es) ("
                    + e.getMessage() + "); they are remembered as delivered and not sent again, "
                    + pendingAcks.size() + " waiting to be removed");
        }
    }

    private boolean subtract(Held h) {
        memoryBytes -= h.value.length;
        return true;
    }

    @Override
    public synchronized void recordAttempt(SpooledBatch batch, int status, String reason) throws SpoolException {
        checkStorage();
        if (memory.stream().anyMatch(h -> h.key.equals(batch.key()))) {
            return;
        }
        try {
            write("record a failed attempt", txn -> {
                Counters c = counters(txn);
                Located at = locate(txn, batch.key());
                if (at == null) {
                    return null;
                }
                byte[] old = at.record(txn);
                if (old == null) {
                    return null;
                }
                byte[] value = records.encodeQueued(batch.batch(), status, batch.spooledAt(),
                        records.attemptsOf(old) + 1, reason);
                if (at.chunk == null) {
                    put(txn, batch.key(), value);
                    c.queuedBytes += value.length - old.length;
                } else {
                    // A compacted batch comes out of its chunk as a record of its own again, at its key.
                    removeQueued(txn, c, batch.key());
                    flushChunks(txn);
                    put(txn, batch.key(), value);
                    c.queued++;
                    c.direct++;
                    c.queuedBytes += batch.key().length() + value.length;
                }
                saveCounters(txn, c);
                return null;
            });
        } catch (DiskFullException e) {
            limited.warn("attempt", "spool at " + envPath + ": " + diskFullText()
                    + "; a failed attempt on " + batch.key() + " is not recorded");
        }
    }

    @Override
    public synchronized void deadLetter(SpooledBatch batch, int status, String reason) throws SpoolException {
        checkStorage();
        Held held = memory.stream().filter(h -> h.key.equals(batch.key())).findFirst().orElse(null);
        write("move a batch to the dead letters", txn -> {
            Counters c = counters(txn);
            int attempts = batch.attempts();
            Located at = held == null ? locate(txn, batch.key()) : null;
            if (at != null) {
                byte[] old = at.record(txn);
                attempts = old == null ? attempts : records.attemptsOf(old);
                removeQueued(txn, c, batch.key());
                flushChunks(txn);
            }
            addDead(txn, c, batch.batch(), batch.batch().toJson(), status, reason, attempts + 1,
                    batch.spooledAt(), batch.key());
            saveCounters(txn, c);
            return null;
        });
        if (held != null) {
            memory.remove(held);
            memoryBytes -= held.value.length;
        }
    }

    @Override
    public synchronized void deadLetter(Batch batch, int status, String reason) throws SpoolException {
        checkStorage();
        write("store a dead letter", txn -> {
            Counters c = counters(txn);
            addDead(txn, c, batch, batch.toJson(), status, reason, 1, null, null);
            saveCounters(txn, c);
            return null;
        });
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int max) throws SpoolException {
        checkStorage();
        List<DeadLetter> out = new ArrayList<>();
        for (Raw raw : readRange(KeyRange.closedOpen(deadStart, deadEnd), max)) {
            out.add(records.decodeDead(raw.key, raw.value));
        }
        return out;
    }

    @Override
    public synchronized int requeue(List<String> keys) throws SpoolException {
        checkStorage();
        List<Raw> chosen = chosenDead(keys);
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
                storeQueued(txn, c, k, value);
                moved++;
            }
            saveCounters(txn, c);
            return moved;
        });
    }

    @Override
    public synchronized int purge(List<String> keys) throws SpoolException {
        checkStorage();
        List<Raw> chosen = chosenDead(keys);
        if (chosen.isEmpty()) {
            return 0;
        }
        return write("purge dead letters", txn -> {
            Counters c = counters(txn);
            int deleted = 0;
            for (Raw raw : chosen) {
                if (db.delete(txn, key(raw.key))) {
                    c.dead--;
                    c.deadBytes -= raw.key.length() + raw.value.length;
                    deleted++;
                }
            }
            saveCounters(txn, c);
            return deleted;
        });
    }

    private List<Raw> chosenDead(List<String> keys) throws SpoolException {
        List<Raw> chosen = new ArrayList<>();
        Set<String> wanted = new HashSet<>(keys);
        for (Raw raw : readRange(KeyRange.closedOpen(deadStart, deadEnd), Integer.MAX_VALUE)) {
            if (wanted.isEmpty() || wanted.contains(raw.key)) {
                chosen.add(raw);
            }
        }
        return chosen;
    }

    @Override
    public synchronized SpoolStats stats() throws SpoolException {
        checkStorage();
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
            if (oldest.isEmpty() && !memory.isEmpty()) {
                oldest = Optional.of(memory.peekFirst().spooledAt);
            }
            long used = usedBytes(txn);
            long free = freeBytes();
            long limit = Math.min(capacityBytes * RECORD_SHARE_PERCENT / 100, diskLimit(free));
            long batches = Math.max(0, c.queued - pendingAcks.size()) + memory.size();
            return new SpoolStats(batches, c.queuedBytes + memoryBytes, oldest, c.dead, c.evicted, capacityBytes,
                    used, limit, untilFull(c, used, limit), memory.size(), diskFull, free);
        } catch (LmdbException e) {
            throw new SpoolException(envPath + ": cannot read the spool's figures: " + e.getMessage(), e);
        }
    }

    private void noteAppend(Instant now) {
        appendTimes[appendCount % RATE_WINDOW] = now.toEpochMilli();
        appendCount++;
    }

    /**
     * At the rate of the last appends (up to {@value #RATE_WINDOW}, over at least a minute) and what a
     * batch takes on average, how long until the records reach their limit; empty when nothing was
     * appended in the last ten minutes.
     */
    private Optional<Duration> untilFull(Counters c, long used, long limit) {
        int n = Math.min(appendCount, RATE_WINDOW);
        if (n < 2 || c.queued <= 0) {
            return Optional.empty();
        }
        long newest = appendTimes[(appendCount - 1) % RATE_WINDOW];
        long first = appendTimes[(appendCount - n) % RATE_WINDOW];
        long nowMillis = clock.millis();
        if (nowMillis - newest > Duration.ofMinutes(10).toMillis() || newest <= first) {
            return Optional.empty();
        }
        double perSecond = (n - 1) * 1000.0 / Math.max(newest - first, 1);
        double bytesPerBatch = (double) used / Math.max(1, c.queued + c.dead);
        double seconds = Math.max(0, limit - used) / (bytesPerBatch * perSecond);
        return Optional.of(Duration.ofSeconds((long) Math.min(seconds, Duration.ofDays(36500).toSeconds())));
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
        checkStorage();
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
        try {
            writePending();
        } catch (SpoolException | RuntimeException e) {
            log.warn("spool at {}: could not write what was held in memory at close: {}", envPath, e.getMessage());
        }
        if (!memory.isEmpty()) {
            log.error("spool at {}: {} batch(es) held in memory because the disk is full are lost at shutdown",
                    envPath, memory.size());
        }
        closed = true;
        deflater.end();
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

    /** A write refused because the file system is full (or would be, within the reserve). */
    static final class DiskFullException extends SpoolException {
        DiskFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs one write transaction. A full map (the headroom was not enough, e.g. a reader in another
     * process pins old pages) grows the map by a tenth of the configured size, a few times at most,
     * and tries again; eviction notices are logged only once the transaction committed. A full disk
     * gives a {@link DiskFullException}.
     */
    private <R> R write(String what, Work<R> work) throws SpoolException {
        ensureOpen();
        while (true) {
            pendingEvictions = new Evictions();
            dirtyChunks.clear();
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                R result = work.run(txn);
                flushChunks(txn);
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
                if (isDiskFull(e)) {
                    diskFull = true;
                    throw new DiskFullException(envPath + ": cannot " + what + ": " + diskFullText(), e);
                }
                throw new SpoolException(envPath + ": cannot " + what + ": " + e.getMessage(), e);
            } finally {
                dirtyChunks.clear();
            }
        }
    }

    private boolean isDiskFull(LmdbException e) {
        if (e instanceof LmdbNativeException n && n.getResultCode() == ENOSPC) {
            return true;
        }
        long free = freeBytes();
        return free >= 0 && free < DISK_RESERVE_BYTES;
    }

    private long freeBytes() {
        try {
            Path at = Files.exists(envPath) ? envPath : dataDir;
            lastFreeBytes = Files.getFileStore(at).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            // keeps the last figure
        }
        return lastFreeBytes;
    }

    private String diskFullText() {
        long free = lastFreeBytes >= 0 ? lastFreeBytes : freeBytes();
        return "disk full (" + (free < 0 ? "unknown" : free / 1024 + " KiB") + " free on the file system of "
                + dataDir + ", " + DISK_RESERVE_MIB + " MiB kept in reserve)";
    }

    /** The most records may take, by the disk: the file may grow up to the reserve, with the usual headroom. */
    private long diskLimit(long free) {
        if (free < 0) {
            return Long.MAX_VALUE;
        }
        long fileSize;
        try {
            fileSize = Files.size(dataFile());
        } catch (IOException e) {
            fileSize = 0;
        }
        return Math.max(0, fileSize + free - DISK_RESERVE_BYTES) * RECORD_SHARE_PERCENT / 100;
    }

    private Evictions pendingEvictions = new Evictions();

    /** What one transaction dropped, for one rate-limited WARN line after it committed. */
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
                spool.limited.warn("evicted", "spool full (" + spool.capacityBytes / (1024 * 1024)
                        + " MiB limit): dropped the " + count + " oldest batch(es), " + bytes + " bytes, keys "
                        + firstKey + " to " + lastKey + ", to make room; " + total
                        + " dropped since the spool was created. "
                        + "Raise SENSOR_READER_SPOOL_MAX_MB to keep a longer outage.");
            }
            for (String dropped : deadDropped) {
                spool.limited.warn("dead-evicted", "dead letters full (" + DEAD_SHARE_PERCENT
                        + "% of the spool): dropped the oldest, " + dropped + "; " + deadTotal + " dropped so far. "
                        + "Inspect and requeue or clear the dead letters.");
            }
        }
    }

    /**
     * Evicts the oldest queue records until a record of {@code cost} bytes fits in the budget; a
     * record that would need the file to grow into the disk's reserve is refused as disk full
     * instead (a full disk never costs batches on its own).
     */
    private void makeRoom(Txn<ByteBuffer> txn, Counters c, long cost) throws SpoolException {
        flushChunks(txn);
        long budget = capacityBytes * RECORD_SHARE_PERCENT / 100;
        long used = usedBytes(txn);
        if (used + cost <= budget) {
            if (used + cost > diskLimit(freeBytes())) {
                diskFull = true;
                throw new DiskFullException(envPath + ": " + diskFullText(), null);
            }
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
                int batches = 1;
                String lastKey = k;
                byte[] keptStatuses = null;
                String keptKey = null;
                if (Chunks.isChunkKey(k)) {
                    try {
                        Chunks.Header h = Chunks.header(copy(cursor.val()));
                        List<byte[]> entries = null;
                        List<Chunks.Entry> statuses = new ArrayList<>();
                        batches = 0;
                        for (int i = 0; i < h.count(); i++) {
                            if (!h.isLive(i)) {
                                continue;
                            }
                            if (h.kinds[i] == 'd') {
                                entries = entries == null ? h.records() : entries;
                                statuses.add(new Chunks.Entry(h.sequences[i], Batch.Kind.DEVICE_STATUS,
                                        h.spooledAt[i], entries.get(i)));
                            } else {
                                batches++;
                                lastKey = h.entryKey(i);
                                if (batches == 1) {
                                    k = h.entryKey(i);
                                }
                            }
                        }
                        if (!statuses.isEmpty()) {
                            // Device status is spared: the chunk shrinks to its statuses.
                            keptStatuses = Chunks.encode(statuses, deflater);
                            keptKey = Chunks.key(statuses.get(0).sequence());
                        }
                    } catch (Records.UnreadableException e) {
                        batches = 0;
                    }
                } else if (Keys.sequenceOf(k) >= 0) {
                    c.direct--;
                }
                cursor.delete();
                if (keptStatuses != null) {
                    put(txn, keptKey, keptStatuses);
                    c.queuedBytes += keptKey.length() + keptStatuses.length;
                }
                c.queued -= batches;
                c.queuedBytes -= size;
                c.evicted += batches;
                ev.count += batches;
                ev.bytes += size;
                if (ev.firstKey == null) {
                    ev.firstKey = k;
                }
                ev.lastKey = lastKey;
                ev.total = c.evicted;
            }
        }
    }

    /** Puts the cursor on the oldest chunk or sensor batch, or on the oldest queue record when none is near. */
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
            if (!Keys.isDeviceStatus(k) && !statusesOnly(k, cursor.val())) {
                return true;
            }
            if (!cursor.next()) {
                break;
            }
        }
        return cursor.get(key(firstKey), GetOp.MDB_SET_KEY);
    }

    /** Whether a record is a chunk whose live entries are all device status (eviction spares those). */
    private static boolean statusesOnly(String k, ByteBuffer value) {
        if (!Chunks.isChunkKey(k)) {
            return false;
        }
        try {
            Chunks.Header h = Chunks.header(copy(value));
            for (int i = 0; i < h.count(); i++) {
                if (h.isLive(i) && h.kinds[i] != 'd') {
                    return false;
                }
            }
            return true;
        } catch (Records.UnreadableException e) {
            return false;
        }
    }

    /**
     * Deflates the oldest {@value #CHUNK_RECORDS} of our uncompacted records into one chunk when that
     * many wait; in the caller's transaction, so a crash leaves either all or none compacted.
     */
    private void compactIfDue(Txn<ByteBuffer> txn, Counters c) throws SpoolException {
        // A small spool compacts sooner: a direct record takes a page, and a few dozen must not fill it.
        long pages = capacityBytes * RECORD_SHARE_PERCENT / 100 / pageSize;
        int due = (int) Math.max(8, Math.min(CHUNK_RECORDS, pages / 8));
        if (c.direct < due) {
            return;
        }
        List<Chunks.Entry> entries = new ArrayList<>(CHUNK_RECORDS);
        List<String> keys = new ArrayList<>(CHUNK_RECORDS);
        long raw = 0;
        long sizes = 0;
        try (CursorIterable<ByteBuffer> it = db.iterate(txn,
                KeyRange.closedOpen(Keys.direct(Keys.QUEUE_PREFIX), queueEnd))) {
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                String k = Keys.string(kv.key());
                if (Chunks.isChunkKey(k) || Keys.sequenceOf(k) < 0) {
                    continue;
                }
                byte[] value = copy(kv.val());
                if (Chunks.isChunk(value)) {
                    continue;
                }
                Batch.Kind kind = Keys.isDeviceStatus(k) ? Batch.Kind.DEVICE_STATUS : Batch.Kind.SENSOR_BATCH;
                entries.add(new Chunks.Entry(Keys.sequenceOf(k), kind, spooledAtSecond(k, value), value));
                keys.add(k);
                raw += value.length;
                sizes += k.length() + value.length;
                if (entries.size() >= due || raw >= CHUNK_RAW_LIMIT) {
                    break;
                }
            }
        }
        if (entries.size() < 2) {
            c.direct = entries.size();
            return;
        }
        byte[] chunk = Chunks.encode(entries, deflater);
        String chunkKey = Chunks.key(entries.get(0).sequence());
        for (String k : keys) {
            db.delete(txn, key(k));
        }
        put(txn, chunkKey, chunk);
        c.direct -= entries.size();
        c.queuedBytes += chunkKey.length() + chunk.length - sizes;
    }

    private long spooledAtSecond(String k, byte[] value) {
        try {
            return records.decodeQueued(k, value).spooledAt().getEpochSecond();
        } catch (Records.UnreadableException e) {
            return clock.instant().getEpochSecond();
        }
    }

    /** Where a queued batch is: its own record, or an entry of a chunk. */
    private final class Located {
        final String key;
        final Chunks.Header chunk;
        final String chunkKey;
        final int index;

        Located(String key, Chunks.Header chunk, String chunkKey, int index) {
            this.key = key;
            this.chunk = chunk;
            this.chunkKey = chunkKey;
            this.index = index;
        }

        byte[] record(Txn<ByteBuffer> txn) {
            if (chunk == null) {
                ByteBuffer stored = db.get(txn, key(key));
                return stored == null ? null : copy(stored);
            }
            try {
                return chunk.records().get(index);
            } catch (Records.UnreadableException e) {
                return null;
            }
        }
    }

    /** Finds a queued batch by its key, in its own record or in the chunk that holds it; null if gone. */
    private Located locate(Txn<ByteBuffer> txn, String k) {
        if (db.get(txn, key(k)) != null && !Chunks.isChunkKey(k)) {
            return new Located(k, null, null, -1);
        }
        long seq = Keys.sequenceOf(k);
        if (!k.startsWith(Keys.QUEUE_PREFIX) || seq < 0) {
            return null;
        }
        String chunkKey;
        try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
            boolean found = cursor.get(key(Keys.QUEUE_PREFIX + Keys.pad(seq) + "-~"), GetOp.MDB_SET_RANGE)
                    ? cursor.prev() : cursor.last();
            if (!found) {
                return null;
            }
            chunkKey = Keys.string(cursor.key());
            if (!Chunks.isChunkKey(chunkKey)) {
                return null;
            }
            Chunks.Header h = dirtyChunks.get(chunkKey);
            if (h == null) {
                try {
                    h = Chunks.header(copy(cursor.val()));
                } catch (Records.UnreadableException e) {
                    return null;
                }
            }
            int index = h.indexOf(seq);
            if (index < 0 || !h.isLive(index) || !h.entryKey(index).equals(k)) {
                return null;
            }
            return new Located(k, h, chunkKey, index);
        }
    }

    private void removeQueued(Txn<ByteBuffer> txn, Counters c, String k) {
        Located at = locate(txn, k);
        if (at == null) {
            return;
        }
        if (at.chunk == null) {
            ByteBuffer stored = db.get(txn, key(k));
            int size = k.length() + stored.remaining();
            db.delete(txn, key(k));
            c.queued--;
            if (Keys.sequenceOf(k) >= 0) {
                c.direct--;
            }
            c.queuedBytes -= size;
            return;
        }
        at.chunk.clear(at.index);
        c.queued--;
        dirtyChunks.put(at.chunkKey, at.chunk);
        if (at.chunk.live == 0) {
            c.queuedBytes -= at.chunkKey.length() + at.chunk.value.length;
        }
    }

    /** Writes back the chunks edited in this transaction: the new bitmap, or no chunk once empty. */
    private void flushChunks(Txn<ByteBuffer> txn) {
        for (Map.Entry<String, Chunks.Header> e : dirtyChunks.entrySet()) {
            if (e.getValue().live == 0) {
                db.delete(txn, key(e.getKey()));
            } else {
                put(txn, e.getKey(), e.getValue().value);
            }
        }
        dirtyChunks.clear();
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
                if (!cursor.get(deadStart, GetOp.MDB_SET_RANGE)
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

    private record Unreadable(Raw raw, String reason) {
    }

    private void moveUnreadable(List<Unreadable> bad) throws SpoolException {
        List<String> moved = write("move unreadable records to the dead letters", txn -> {
            Counters c = counters(txn);
            List<String> deadKeys = new ArrayList<>();
            for (Unreadable u : bad) {
                if (Chunks.isChunkKey(u.raw.key)) {
                    // A chunk whose header or data is damaged: its bytes go to the dead letters whole.
                    if (db.delete(txn, key(u.raw.key))) {
                        c.queuedBytes -= u.raw.key.length() + u.raw.value.length;
                        c.queued = Math.max(0, c.queued - 1);
                    }
                } else {
                    removeQueued(txn, c, u.raw.key);
                }
                flushChunks(txn);
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

    /**
     * Counts every record once, at open: the figures heal even if another program wrote here. On
     * a full disk the counts are not saved and the recount runs again at the next write.
     */
    private void recount() throws SpoolException {
        try {
            write("count the records", txn -> {
                Counters c = counters(txn);
                long queued = 0;
                long queuedBytes = 0;
                long dead = 0;
                long deadBytes = 0;
                long direct = 0;
                long maxSequence = -1;
                try (CursorIterable<ByteBuffer> all = db.iterate(txn)) {
                    for (CursorIterable.KeyVal<ByteBuffer> kv : all) {
                        String k = Keys.string(kv.key());
                        int size = kv.key().remaining() + kv.val().remaining();
                        if (Chunks.isChunkKey(k)) {
                            queuedBytes += size;
                            try {
                                Chunks.Header h = Chunks.header(copy(kv.val()));
                                queued += h.live;
                                maxSequence = Math.max(maxSequence, h.lastSequence());
                            } catch (Records.UnreadableException e) {
                                queued++; // read, found unreadable and dead-lettered by oldest()
                            }
                        } else if (k.compareTo(Keys.QUEUE_END) < 0) {
                            queued++;
                            queuedBytes += size;
                            if (Keys.sequenceOf(k) >= 0) {
                                direct++;
                            }
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
                c.direct = direct;
                saveCounters(txn, c);
                return null;
            });
            needsRecount = false;
        } catch (DiskFullException e) {
            needsRecount = true;
            limited.warn("disk-full", "spool at " + envPath + ": " + diskFullText()
                    + "; opened the spool as it is, new batches are held in memory until space returns");
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    private record Raw(String key, byte[] value) {
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
        byte[] bytes = copy(value);
        try {
            if (Chunks.isChunkKey(k)) {
                Chunks.Header h = Chunks.header(bytes);
                int first = h.firstLive();
                return Instant.ofEpochSecond(h.spooledAt[Math.max(0, first)]);
            }
            return records.decodeQueued(k, bytes).spooledAt();
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
