package org.pneumo.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesUmaskTest {
    @TempDir
    Path dir;

    @Test
    void outputsGetTheUmasksPermissionsLikeAnyOtherNewFile() throws Exception {
        // What the user's umask gives a plain new file and folder here (typically rw-r--r-- and rwxr-xr-x).
        Set<PosixFilePermission> plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Set<PosixFilePermission> plainDir = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("d")));
        Path written = dir.resolve("out/metrics.json");
        AtomicFiles.write(written, "{}".getBytes());
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(plainFile);
        Path folder = AtomicFiles.tempDirectory(dir, ".model.tmp");
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(plainDir);
        Path other = AtomicFiles.tempDirectory(dir, ".model.tmp");
        assertThat(other).isNotEqualTo(folder);
        try (var s = Files.list(dir.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("metrics.json");
        }
    }
}
