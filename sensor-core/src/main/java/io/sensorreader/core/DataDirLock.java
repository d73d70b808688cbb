package io.sensorreader.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per data folder: {@code run} holds an exclusive {@link FileLock} on
 * {@code <data dir>/agent.lock} for its whole life, with its PID written in the file. A second
 * {@code run} on the same folder finds it held and stops at once, naming that PID; the OS releases
 * the lock when the process ends, however it ends. Commands that only read ({@code status},
 * {@code spool stats}) do not take it.
 */
public final class DataDirLock implements AutoCloseable {

    public static final String FILE = "agent.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The folder is held by another process (or another lock in this JVM). */
    public static final class HeldException extends Exception {
        private final String pid;

        HeldException(Path file, String pid) {
            super("another agent (PID " + pid + ") is running on the data folder " + file.getParent()
                    + " (it holds " + file + "); only one agent may use a data folder. Stop it first, or give "
                    + "this one its own SENSOR_READER_DATA_DIR");
            this.pid = pid;
        }

        /** The PID written by the holder, or {@code unknown}. */
        public String pid() {
            return pid;
        }
    }

    /**
     * Takes the lock, or says who holds it.
     *
     * @throws HeldException when another process holds it
     * @throws IOException when the folder or the file cannot be made
     */
    public static DataDirLock acquire(Path dataDir) throws HeldException, IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String pid = readPid(channel);
            channel.close();
            throw new HeldException(file, pid);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    private static String readPid(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            channel.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,10}") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Lets the folder go (also done by the OS when the process ends). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
