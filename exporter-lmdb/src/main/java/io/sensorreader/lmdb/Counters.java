package io.sensorreader.lmdb;

import java.nio.ByteBuffer;

/**
 * The spool's running figures, stored under {@code ~meta} and changed in the same write
 * transaction as the records they count, so they are exact across crashes and across processes.
 * Bytes are key plus value lengths. Mutable; lives for one transaction.
 */
final class Counters {

    private static final long VERSION = 1;
    static final int SIZE = 8 * Long.BYTES;

    long nextSequence;
    long queued;
    long queuedBytes;
    long dead;
    long deadBytes;
    /** Queue records dropped to make room, since the spool was created. */
    long evicted;
    /** Dead letters dropped to make room for newer ones. */
    long deadEvicted;

    static Counters read(ByteBuffer stored) {
        Counters c = new Counters();
        if (stored == null || stored.remaining() < SIZE) {
            return c;
        }
        ByteBuffer b = stored.duplicate();
        if (b.getLong() != VERSION) {
            return c;
        }
        c.nextSequence = b.getLong();
        c.queued = b.getLong();
        c.queuedBytes = b.getLong();
        c.dead = b.getLong();
        c.deadBytes = b.getLong();
        c.evicted = b.getLong();
        c.deadEvicted = b.getLong();
        return c;
    }

    void write(ByteBuffer direct) {
        direct.clear();
        direct.putLong(VERSION).putLong(nextSequence).putLong(queued).putLong(queuedBytes)
                .putLong(dead).putLong(deadBytes).putLong(evicted).putLong(deadEvicted).flip();
    }
}
