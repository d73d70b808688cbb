package io.sensorreader.core.migrate;

import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpooledBatch;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Moves the Python agent's {@code data.lmdb} into the data folder, where the spool looks for it:
 * afterwards the leftovers exist in one place only, so they are delivered once, even if the Python
 * agent is started again by mistake (it then starts an empty spool).
 */
final class SpoolAdoption {

    /** The spool's name in a data folder (exporter-lmdb, spool.md). */
    static final String SPOOL = "data.lmdb";
    /** The lock file beside a spool that is a plain file (Python's {@code subdir=False}). */
    static final String PLAIN_LOCK = "data.lmdb-lock";

    private SpoolAdoption() {
    }

    /**
     * The process that has a file of the spool open, if any: {@code pid (command)}. Reads
     * {@code /proc/<pid>/fd}; processes of other users are seen only by root.
     */
    static Optional<String> holder(Path spool) {
        Path proc = Path.of("/proc");
        String prefix = spool.toAbsolutePath().normalize().toString();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException | UnsupportedOperationException e) {
                            continue;
                        }
                        if (target.equals(prefix) || target.startsWith(prefix + "/") || target.equals(prefix + "-lock")) {
                            String command = "";
                            try {
                                command = Files.readString(pid.resolve("comm")).strip();
                            } catch (IOException e) {
                                // the pid alone says enough
                            }
                            return Optional.of(pid.getFileName() + (command.isEmpty() ? "" : " (" + command + ")"));
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // gone, or not ours to look at
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Moves {@code source} (a folder, or a plain file with its {@code -lock}) to {@code target}, across file systems too. */
    static void move(Path source, Path target) throws IOException {
        boolean plain = Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS);
        Files.createDirectories(target.getParent());
        moveOne(source, target);
        Path lock = source.resolveSibling(PLAIN_LOCK);
        if (plain && Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
            moveOne(lock, target.resolveSibling(PLAIN_LOCK));
        }
    }

    private static void moveOne(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) { // another file system
            copyTree(source, target);
            deleteTree(source);
        }
    }

    /**
     * Appends every batch of {@code from} to {@code to}, oldest first, and acknowledges each in
     * {@code from} once it is in {@code to}: a crash in between can at worst leave one batch in both.
     *
     * @return how many batches moved
     */
    static long merge(Spool from, Spool to) throws SpoolException {
        long moved = 0;
        while (true) {
            List<SpooledBatch> page = from.oldest(200);
            if (page.isEmpty()) {
                return moved;
            }
            for (SpooledBatch batch : page) {
                to.append(batch.batch(), batch.lastStatus());
                from.acknowledge(List.of(batch));
                moved++;
            }
        }
    }

    /** The bytes the spool's files hold. */
    static long size(Path spool) throws IOException {
        if (Files.isRegularFile(spool)) {
            return Files.size(spool);
        }
        long[] total = {0};
        Files.walkFileTree(spool, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static void copyTree(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path to = target.resolve(source.relativize(dir).toString());
                    Files.createDirectories(to);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path to = target.resolve(source.relativize(file).toString());
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    try (var channel = java.nio.channels.FileChannel.open(to, java.nio.file.StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (FileSystemException e) {
            deleteTree(target);
            throw e;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
