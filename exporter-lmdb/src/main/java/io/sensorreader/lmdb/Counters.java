package io.sensorreader.lmdb;

import java.nio.ByteBuffer;

/**
 * The spool's running figures, stored under {@code ~meta} and changed in the same write
 * transaction as the records they count, so they are exact across crashes and across processes.
 * Bytes are key plus value lengths. Version 1 (8 longs) is read too: the seen counts of the
 * first release, which the recount at open completes. Mutable; lives for one transaction.
 */
final class Counters {

    private static final long VERSION = 2;
    static final int SIZE = 9 * Long.BYTES;

    long nextSequence;
    long queued;
    long queuedBytes;
    long dead;
    long deadBytes;
    /** Queue records dropped to make room, since the spool was created. */
    long evicted;
    /** Dead letters dropped to make room for newer ones. */
    long deadEvicted;
    /** Our queue records not yet compacted ({@code sr-…-s|d}); the next compaction's trigger. */
    long direct;

    static Counters read(ByteBuffer stored) {
        Counters c = new Counters();
        if (stored == null || stored.remaining() < 8 * Long.BYTES) {
            return c;
        }
        ByteBuffer b = stored.duplicate();
        long version = b.getLong();
        if (version != VERSION && version != 1) {
            return c;
        }
        c.nextSequence = b.getLong();
        c.queued = b.getLong();
        c.queuedBytes = b.getLong();
        c.dead = b.getLong();
        c.deadBytes = b.getLong();
        c.evicted = b.getLong();
        c.deadEvicted = b.getLong();
        // Version 1 (8 longs) had no direct count; the recount at open fills it in.
        c.direct = version == VERSION && b.remaining() >= Long.BYTES ? b.getLong() : 0;
        return c;
    }

    void write(ByteBuffer out) {
        out.clear();
        out.putLong(VERSION).putLong(nextSequence).putLong(queued).putLong(queuedBytes)
                .putLong(dead).putLong(deadBytes).putLong(evicted).putLong(deadEvicted).putLong(this.direct).flip();
    }
}
