package io.sensorreader.lmdb;

import io.sensorreader.api.Batch;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compacted records: many of our older queue records, deflated together into one value under the
 * key {@code sr-<first sequence>-c}. Consecutive batches of one sensor set differ only in values and
 * times, so together they compress about twenty-fold, and one large value fills overflow pages
 * instead of half-empty leaves.
 *
 * <p>Layout (all integers unsigned LEB128 varints):
 * <pre>
 *   0x00 0x01                 marker (no JSON record starts with a NUL) and version
 *   count
 *   first sequence, then count-1 deltas       the entries' keys: sr-&lt;seq&gt;-s|d
 *   count kind bytes ('s' or 'd')
 *   first spooled-at second, then count-1 zig-zag deltas
 *   live bitmap, (count+7)/8 bytes            an acknowledged entry's bit is cleared in place
 *   raw length, then the deflated entries: for each, its length and its record bytes
 * </pre>
 * The header is read without inflating, so acknowledging, counting and {@code stats()} stay cheap.
 */
final class Chunks {

    static final String SUFFIX = "-c";
    private static final int MAX_RAW = 64 * 1024 * 1024;

    private Chunks() {
    }

    static boolean isChunkKey(String key) {
        return key.startsWith(Keys.QUEUE_PREFIX) && key.endsWith(SUFFIX);
    }

    static String key(long firstSequence) {
        return Keys.QUEUE_PREFIX + Keys.pad(firstSequence) + SUFFIX;
    }

    static boolean isChunk(byte[] value) {
        return value.length >= 2 && value[0] == 0 && value[1] == 1;
    }

    /** One record going into a chunk. */
    record Entry(long sequence, Batch.Kind kind, long spooledAtSecond, byte[] record) {
    }

    /** A chunk's header, with its value (whose bitmap {@link #clear} edits). */
    static final class Header {
        final byte[] value;
        final long[] sequences;
        final byte[] kinds;
        final long[] spooledAt;
        final int bitmapOffset;
        final int payloadOffset;
        int live;

        private Header(byte[] value, long[] sequences, byte[] kinds, long[] spooledAt, int bitmapOffset,
                       int payloadOffset) {
            this.value = value;
            this.sequences = sequences;
            this.kinds = kinds;
            this.spooledAt = spooledAt;
            this.bitmapOffset = bitmapOffset;
            this.payloadOffset = payloadOffset;
            for (int i = 0; i < sequences.length; i++) {
                if (isLive(i)) {
                    live++;
                }
            }
        }

        int count() {
            return sequences.length;
        }

        boolean isLive(int i) {
            return (value[bitmapOffset + i / 8] & (1 << (i % 8))) != 0;
        }

        void clear(int i) {
            if (isLive(i)) {
                value[bitmapOffset + i / 8] &= (byte) ~(1 << (i % 8));
                live--;
            }
        }

        /** The index of {@code sequence}, or -1. */
        int indexOf(long sequence) {
            int lo = 0;
            int hi = sequences.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (sequences[mid] < sequence) {
                    lo = mid + 1;
                } else if (sequences[mid] > sequence) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }

        String entryKey(int i) {
            return Keys.queue(sequences[i], kinds[i] == 'd' ? Batch.Kind.DEVICE_STATUS : Batch.Kind.SENSOR_BATCH);
        }

        long lastSequence() {
            return sequences[sequences.length - 1];
        }

        /** The first live entry's index, or -1. */
        int firstLive() {
            for (int i = 0; i < sequences.length; i++) {
                if (isLive(i)) {
                    return i;
                }
            }
            return -1;
        }

        /** Every entry's record bytes, in order (dead ones too; callers skip them). */
        List<byte[]> records() throws Records.UnreadableException {
            Reader r = new Reader(value, payloadOffset);
            long raw = r.varint();
            if (raw < 0 || raw > MAX_RAW) {
                throw new Records.UnreadableException("compacted records: bad length " + raw);
            }
            byte[] out = new byte[(int) raw];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(value, r.pos, value.length - r.pos);
                int n = 0;
                while (n < out.length) {
                    int got = inflater.inflate(out, n, out.length - n);
                    if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += got;
                }
                if (n != out.length) {
                    throw new Records.UnreadableException("compacted records: " + n + " of " + out.length
                            + " bytes inflate");
                }
            } catch (DataFormatException e) {
                throw new Records.UnreadableException("compacted records do not inflate: " + e.getMessage());
            } finally {
                inflater.end();
            }
            List<byte[]> records = new ArrayList<>(sequences.length);
            Reader p = new Reader(out, 0);
            for (int i = 0; i < sequences.length; i++) {
                long len = p.varint();
                if (len < 0 || p.pos + len > out.length) {
                    throw new Records.UnreadableException("compacted records: entry " + i + " is cut short");
                }
                byte[] one = new byte[(int) len];
                System.arraycopy(out, p.pos, one, 0, one.length);
                p.pos += one.length;
                records.add(one);
            }
            return records;
        }
    }

    static Header header(byte[] value) throws Records.UnreadableException {
        if (!isChunk(value)) {
            throw new Records.UnreadableException("not a compacted record");
        }
        Reader r = new Reader(value, 2);
        long count = r.varint();
        if (count <= 0 || count > 1_000_000) {
            throw new Records.UnreadableException("compacted records: bad count " + count);
        }
        int n = (int) count;
        long[] sequences = new long[n];
        sequences[0] = r.varint();
        for (int i = 1; i < n; i++) {
            sequences[i] = sequences[i - 1] + r.varint();
        }
        byte[] kinds = new byte[n];
        for (int i = 0; i < n; i++) {
            kinds[i] = r.octet();
        }
        long[] spooledAt = new long[n];
        spooledAt[0] = r.varint();
        for (int i = 1; i < n; i++) {
            long z = r.varint();
            spooledAt[i] = spooledAt[i - 1] + ((z >>> 1) ^ -(z & 1));
        }
        int bitmap = r.pos;
        r.pos += (n + 7) / 8;
        if (r.pos > value.length) {
            throw new Records.UnreadableException("compacted records: header cut short");
        }
        return new Header(value, sequences, kinds, spooledAt, bitmap, r.pos);
    }

    /** Deflates entries (in sequence order) into one value, all live. */
    static byte[] encode(List<Entry> entries, Deflater deflater) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(entries.size() * 2048);
        for (Entry e : entries) {
            varint(raw, e.record().length);
            raw.write(e.record(), 0, e.record().length);
        }
        byte[] plain = raw.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 8 + 256);
        out.write(0);
        out.write(1);
        varint(out, entries.size());
        long prev = 0;
        for (int i = 0; i < entries.size(); i++) {
            long seq = entries.get(i).sequence();
            varint(out, i == 0 ? seq : seq - prev);
            prev = seq;
        }
        for (Entry e : entries) {
            out.write(e.kind() == Batch.Kind.DEVICE_STATUS ? 'd' : 's');
        }
        long prevAt = 0;
        for (int i = 0; i < entries.size(); i++) {
            long at = Math.max(0, entries.get(i).spooledAtSecond());
            if (i == 0) {
                varint(out, at);
            } else {
                long d = at - prevAt;
                varint(out, (d << 1) ^ (d >> 63));
            }
            prevAt = at;
        }
        byte[] bitmap = new byte[(entries.size() + 7) / 8];
        for (int i = 0; i < entries.size(); i++) {
            bitmap[i / 8] |= (byte) (1 << (i % 8));
        }
        out.write(bitmap, 0, bitmap.length);
        varint(out, plain.length);
        deflater.reset();
        deflater.setInput(plain);
        deflater.finish();
        byte[] buf = new byte[16 * 1024];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        byte octet() throws Records.UnreadableException {
            if (pos >= b.length) {
                throw new Records.UnreadableException("compacted records: header cut short");
            }
            return b[pos++];
        }

        long varint() throws Records.UnreadableException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = octet();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new Records.UnreadableException("compacted records: bad number");
        }
    }
}
