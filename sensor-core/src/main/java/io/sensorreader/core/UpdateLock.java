package io.sensorreader.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One update at a time on a device: {@code run}'s rounds and {@code update-check --apply} both take
 * this lock ({@code update.lock} in the data folder, an OS file lock, so it is released when the
 * process dies) and skip when another holds it.
 */
public final class UpdateLock implements AutoCloseable {

    static final String FILE = "update.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private UpdateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @return the lock, or empty when another process (or thread) holds it
     * @throws IOException when the lock file cannot be opened
     */
    public static Optional<UpdateLock> tryAcquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new UpdateLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held in this JVM
        }
        channel.close();
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        }
    }
}
