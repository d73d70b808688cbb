package io.sensorreader.lmdb;

import io.sensorreader.api.Batch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key layout of the one (unnamed) database. LMDB sorts keys by their bytes, so:
 * <pre>
 *   batch-&lt;secs&gt;            Python agent, oldest format      } the queue: every key below "~",
 *   device-status-&lt;secs&gt;    Python agent                     } in byte order; "sr-" sorts after
 *   sensor-batch-&lt;secs&gt;     Python agent                     } "sensor-…" ('r' 0x72 &gt; 'e' 0x65),
 *   sr-&lt;20-digit seq&gt;-s|-d  ours, in arrival order          } so Python leftovers go first;
 *                          (-s sensor batch, -d device status: eviction picks without reading values)
 *   ~dead-&lt;20-digit seq&gt;    dead letters, in arrival order   ('~' 0x7E sorts after every letter)
 *   ~meta                  counters (8 longs)
 * </pre>
 */
final class Keys {

    static final String QUEUE_PREFIX = "sr-";
    static final String DEAD_PREFIX = "~dead-";
    static final String META = "~meta";
    /** Every queue key sorts below this; dead letters and meta sort at or above it. */
    static final String QUEUE_END = "~";
    /** The byte after '-', to close the dead letters' range. */
    static final String DEAD_END = "~dead.";

    static final String PYTHON_SENSOR_BATCH = "sensor-batch-";
    static final String PYTHON_DEVICE_STATUS = "device-status-";
    static final String PYTHON_OLD_BATCH = "batch-";

    private Keys() {
    }

    static String queue(long sequence, Batch.Kind kind) {
        return QUEUE_PREFIX + pad(sequence) + (kind == Batch.Kind.DEVICE_STATUS ? "-d" : "-s");
    }

    /** Whether a queue key holds device status, which eviction spares while sensor batches remain. */
    static boolean isDeviceStatus(String key) {
        return key.startsWith(PYTHON_DEVICE_STATUS) || key.startsWith(QUEUE_PREFIX) && key.endsWith("-d");
    }

    static String dead(long sequence) {
        return DEAD_PREFIX + pad(sequence);
    }

    /** The sequence of one of our keys ({@code sr-…} or {@code ~dead-…}), or -1. */
    static long sequenceOf(String key) {
        String digits;
        if (key.startsWith(QUEUE_PREFIX) && key.length() >= QUEUE_PREFIX.length() + 20) {
            digits = key.substring(QUEUE_PREFIX.length(), QUEUE_PREFIX.length() + 20);
        } else if (key.startsWith(DEAD_PREFIX)) {
            digits = key.substring(DEAD_PREFIX.length());
        } else {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The epoch seconds at the end of a Python agent's key, or -1 for any other key. */
    static long pythonEpochSeconds(String key) {
        if (key.startsWith(QUEUE_PREFIX) || key.startsWith(QUEUE_END)) {
            return -1;
        }
        int dash = key.lastIndexOf('-');
        if (dash < 0) {
            return -1;
        }
        try {
            return (long) Math.floor(Double.parseDouble(key.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ByteBuffer direct(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String pad(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }
}
