package org.pneumo.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private Path folder(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f);
        Files.writeString(f.resolve("content"), content);
        return f;
    }

    private String content(Path f) throws IOException {
        return Files.readString(f.resolve("content"));
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeFolderReplacesTheWholeFolderAndLeavesNothingElse() throws Exception {
        Path target = folder("m", "old");
        Files.writeString(target.resolve("extra"), "only in the old one");
        AtomicFiles.writeFolder(target, staged -> Files.writeString(staged.resolve("content"), "new"));
        assertThat(content(target)).isEqualTo("new");
        assertThat(target.resolve("extra")).doesNotExist();
        assertThat(names()).containsExactly("m");
    }

    @Test
    void aCommittedNewFolderWinsOverTheCurrentOne() throws Exception {
        folder("m", "old");
        folder(".m.new", "new");
        assertThat(AtomicFiles.recover(dir.resolve("m"))).isTrue();
        assertThat(content(dir.resolve("m"))).isEqualTo("new");
        assertThat(names()).containsExactly("m");
    }

    @Test
    void aCommittedNewFolderComesInWhenTheOldOneWasMovedAway() throws Exception {
        folder(".m.old", "old");
        folder(".m.new", "new");
        AtomicFiles.recover(dir.resolve("m"));
        assertThat(content(dir.resolve("m"))).isEqualTo("new");
        assertThat(names()).containsExactly("m");
    }

    @Test
    void withoutANewFolderTheOldOneComesBackAndUnfinishedOnesGo() throws Exception {
        folder(".m.old", "old");
        folder(".m.tmp-123", "half");
        AtomicFiles.recover(dir.resolve("m"));
        assertThat(content(dir.resolve("m"))).isEqualTo("old");
        assertThat(names()).containsExactly("m");
    }

    @Test
    void aSupersededOldFolderIsDeletedAndOtherFoldersAreLeftAlone() throws Exception {
        folder("m", "current");
        folder(".m.old", "old");
        folder(".mine.tmp-1", "another folder's");
        folder("m2", "another model");
        AtomicFiles.recover(dir.resolve("m"));
        assertThat(content(dir.resolve("m"))).isEqualTo("current");
        assertThat(names()).containsExactly(".mine.tmp-1", "m", "m2");
        assertThat(AtomicFiles.recover(dir.resolve("m"))).isFalse();
    }

    @Test
    void writeReplacesAFileWithoutLeavingItsTemporaryFile() throws Exception {
        Path file = dir.resolve("a.json");
        AtomicFiles.write(file, "one".getBytes());
        AtomicFiles.write(file, out -> out.write("two".getBytes()));
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(names()).containsExactly("a.json");
    }
}
