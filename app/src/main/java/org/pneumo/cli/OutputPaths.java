package org.pneumo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks, before any work, that a folder or file the command will write can be made there: not an existing file
 * where a folder is wanted (or the reverse), not under a file, not in a system folder such as /proc, and in a folder
 * that can be written. Each problem is one clear line (an IllegalArgumentException, exit code 2).
 */
final class OutputPaths {
    private static final List<Path> SYSTEM = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private OutputPaths() {}

    /** {@code dir} (given as {@code option}) is or can become a writable folder. */
    static void folder(String option, Path dir) {
        Path abs = common(option, dir);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException(option + " " + dir + " is a file, not a folder");
        }
        writableAncestor(option, dir, Files.isDirectory(abs) ? abs : abs.getParent());
    }

    /** {@code file} (given as {@code option}) is or can become a writable file. */
    static void file(String option, Path file) {
        Path abs = common(option, file);
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder, not a file");
        }
        writableAncestor(option, file, abs.getParent());
    }

    private static Path common(String option, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        for (Path system : SYSTEM) {
            if (abs.startsWith(system)) {
                throw new IllegalArgumentException(option + " " + p + " is in " + system
                        + ", a system folder; choose a folder of your own");
            }
        }
        return abs;
    }

    /** The nearest existing folder at or above {@code start} must be a folder we may write in. */
    private static void writableAncestor(String option, Path given, Path start) {
        for (Path a = start; a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                if (!Files.isDirectory(a)) {
                    throw new IllegalArgumentException(option + " " + given + " lies under " + a
                            + ", which is a file, not a folder");
                }
                if (!Files.isWritable(a)) {
                    throw new IllegalArgumentException(option + " " + given + ": cannot write in " + a
                            + " (permission denied)");
                }
                return;
            }
        }
    }

    /** A file name for one line of text output: control characters (a newline, say) escaped, so lines stay lines. */
    static String printable(Object name) {
        String s = String.valueOf(name);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
