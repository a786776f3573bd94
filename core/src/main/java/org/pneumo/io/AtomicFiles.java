package org.pneumo.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The one way pneumo writes files and folders: under a temporary name beside the target, synced, then renamed into
 * place, so that a crash or a {@code kill -9} at any moment leaves either the old or the new content, never half of
 * one.
 *
 * <p>A folder {@code dir} is replaced in four steps, each one rename or one delete: the new content is written to
 * {@code .dir.tmp-*}; renamed to {@code .dir.new} (from here on it is complete: the commit point); {@code dir} is
 * renamed to {@code .dir.old}; {@code .dir.new} to {@code dir}; {@code .dir.old} is deleted. {@link #recover} finishes
 * or undoes a replacement that a crash interrupted: it always leaves the newest complete content in {@code dir} and
 * deletes the temporary folders.
 */
public final class AtomicFiles {
    /**
     * A system property for crash tests only: {@code NAME} or {@code NAME#N} makes the process print
     * {@code pneumo-paused NAME} on standard error and stop (until killed) the N-th time (default first) it reaches
     * the named point, where NAME is {@code FOLDER:STEP}, FOLDER a folder's file name and STEP one of {@code staged},
     * {@code committed}, {@code old-moved}, {@code new-moved}.
     */
    public static final String PAUSE_PROPERTY = "pneumo.test.pauseAt";

    private static final String TMP = ".tmp-";
    private static final String NEW = ".new";
    private static final String OLD = ".old";
    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    private AtomicFiles() {}

    /** Writes the content of a file or folder to the path it is given. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T target) throws IOException;
    }

    /** Replaces {@code file} with {@code bytes} (creating its folder if needed). */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** Replaces {@code file} with what {@code content} writes to the stream (creating its folder if needed). */
    public static void write(Path file, Writer<OutputStream> content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = tempFile(parent, "." + file.getFileName());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.write(out);
            }
            sync(tmp);
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces the folder {@code dir} with what {@code content} writes into an empty folder, through the four steps
     * above (after {@link #recover recovering} from an earlier interrupted replacement).
     */
    public static void writeFolder(Path dir, Writer<Path> content) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        recover(target);
        Path staged = tempDirectory(target.getParent(), "." + target.getFileName() + TMP);
        try {
            content.write(staged);
            syncTree(staged);
            pauseIfAsked(target, "staged");
            Path fresh = sibling(target, NEW);
            Files.move(staged, fresh, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(target.getParent());
            pauseIfAsked(target, "committed");
            swapIn(target, fresh);
        } finally {
            deleteRecursively(staged);
        }
    }

    /**
     * Brings {@code dir} to the newest complete content after a crash in {@link #writeFolder}: a committed
     * {@code .dir.new} replaces {@code dir}; with neither, {@code .dir.old} comes back; unfinished {@code .dir.tmp-*}
     * folders and a superseded {@code .dir.old} are deleted. Does nothing when nothing was interrupted.
     *
     * @return whether anything was changed
     */
    public static boolean recover(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            return false;
        }
        boolean changed = false;
        Path fresh = sibling(target, NEW);
        Path old = sibling(target, OLD);
        if (Files.isDirectory(fresh)) {
            swapIn(target, fresh);
            changed = true;
        } else if (!Files.exists(target) && Files.isDirectory(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            changed = true;
        }
        List<Path> stale = new ArrayList<>();
        String tmpPrefix = "." + target.getFileName() + TMP;
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> p.getFileName().toString().startsWith(tmpPrefix)).forEach(stale::add);
        }
        if (Files.exists(old)) {
            stale.add(old);
        }
        for (Path p : stale) {
            deleteRecursively(p);
            changed = true;
        }
        return changed;
    }

    /** {@code target} (if any) to {@code .target.old}, {@code fresh} to {@code target}, then the old one deleted. */
    private static void swapIn(Path target, Path fresh) throws IOException {
        Path old = sibling(target, OLD);
        if (Files.exists(target)) {
            deleteRecursively(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            pauseIfAsked(target, "old-moved");
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(target.getParent());
        pauseIfAsked(target, "new-moved");
        deleteRecursively(old);
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + suffix);
    }

    /**
     * Creates a new empty file {@code <prefix><random>.tmp} in {@code parent} with the permissions the user's umask
     * gives, like other tools' outputs ({@code Files.createTempFile} would make it 0600, private to the user).
     */
    public static Path tempFile(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(parent.resolve(prefix + unique() + ".tmp"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** A new folder {@code <prefix><random>} in {@code parent}, with the umask's permissions (not 0700). */
    public static Path tempDirectory(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(parent.resolve(prefix + unique()));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static String unique() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    /** Renames {@code from} to {@code to}, replacing it, atomically where the file system allows it. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or folder tree if it exists. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void syncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    sync(p);
                }
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
                syncFolder(p);
            }
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes a rename in {@code dir} durable (where the platform can sync a folder). */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder for syncing; the rename itself is still atomic.
        }
    }

    private static void pauseIfAsked(Path target, String step) {
        String wanted = System.getProperty(PAUSE_PROPERTY);
        if (wanted == null) {
            return;
        }
        String point = target.getFileName() + ":" + step;
        int hash = wanted.lastIndexOf('#');
        String name = hash < 0 ? wanted : wanted.substring(0, hash);
        int occurrence = hash < 0 ? 1 : Integer.parseInt(wanted.substring(hash + 1));
        if (!name.equals(point) || REACHED.computeIfAbsent(point, k -> new AtomicInteger()).incrementAndGet()
                != occurrence) {
            return;
        }
        PrintStream err = System.err;
        err.println("pneumo-paused " + point);
        err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
