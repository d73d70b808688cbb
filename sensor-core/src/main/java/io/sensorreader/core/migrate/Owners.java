package io.sensorreader.core.migrate;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;

/**
 * Hands files {@code migrate} put into the data folder to the folder's owner (the service's user),
 * so the service can open them; run as root, migrate would otherwise leave them root's or the
 * Python agent's user's.
 */
final class Owners {

    private Owners() {
    }

    /**
     * Gives {@code path} (and what it holds) the owner and group of {@code folder} where they differ.
     *
     * @throws IOException when they differ and cannot be changed (not root)
     */
    static void likeFolder(Path path, Path folder) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributes owner;
        try {
            owner = Files.readAttributes(folder, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return;
        }
        UserPrincipal user = owner.owner();
        GroupPrincipal group = owner.group();
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                give(dir, user, group);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                give(file, user, group);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void give(Path file, UserPrincipal user, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.owner().equals(user)) {
                view.setOwner(user);
            }
            if (!now.group().equals(group)) {
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new IOException(file + " belongs to " + now.owner().getName() + ":" + now.group().getName()
                    + " but the service's data folder to " + user.getName() + ":" + group.getName()
                    + ", and this user may not change that (" + e.getMessage() + "); run migrate with sudo", e);
        }
    }
}
