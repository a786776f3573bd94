package org.pneumo.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files under a temporary name beside them and renames them into place, so a crash never leaves half a file. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Replaces {@code file} with {@code bytes} (creating its folder if needed). */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames {@code from} to {@code to}, atomically where the file system allows it. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
