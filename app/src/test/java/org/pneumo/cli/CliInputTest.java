package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;
import org.pneumo.train.TinyModel;

/** Options that name impossible places or values: one clear line and exit code 2, before any work. */
class CliInputTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path images;
    static Path data;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyModel.train(shared, 20, 1);
        images = shared.resolve("images");
        SyntheticImages.write(SyntheticImages.noisy(40, true, new Random(1), null), images.resolve("a\nb.png"), "png");
        SyntheticImages.write(SyntheticImages.noisy(40, false, new Random(2), null), images.resolve("c.png"), "png");
        data = SyntheticImages.blobDataset(shared.resolve("blobs"), 4, 40, 3);
    }

    private void assertRefused(int code, String... parts) {
        assertThat(code).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).contains(parts).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void anImageSizeTooSmallForTheArchitectureIsRefusedUpFront() {
        assertRefused(cli.run("train", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--arch",
                "cnn-lstm", "--image-size", "24", "--epochs", "1", "--cache-dir", dir.resolve("c").toString()),
                "--image-size 24 is too small for cnn-lstm", "at least 32");
    }

    @Test
    void outputFoldersThatAreFilesOrUnderFilesOrInProcAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        assertRefused(cli.run("train", "--data", data.toString(), "--out", file.toString(), "--epochs", "1"),
                "--out " + file + " is a file, not a folder");
        assertRefused(cli.run("train", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--cache-dir",
                file.resolve("cache").toString(), "--epochs", "1"), "lies under " + file);
        assertRefused(cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                file.toString()), "is a file, not a folder");
        assertRefused(cli.run("predict", "--model", model.toString(), "--heatmaps", "/proc/pneumo-heatmaps",
                images.toString()), "is in /proc");
        assertRefused(cli.run("predict", "--model", model.toString(), "--out", file.resolve("p.csv").toString(),
                images.toString()), "lies under " + file);
    }

    @Test
    void aThresholdThatIsNotANumberIsRefused() {
        assertRefused(cli.run("predict", "--model", model.toString(), "--threshold", "NaN", images.toString()),
                "--threshold NaN");
    }

    @Test
    void aNewlineInAFileNameStaysOnItsLine() {
        int code = cli.run("predict", "--model", model.toString(), images.toString());
        assertThat(code).as(cli.err()).isZero();
        String[] lines = cli.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(cli.out()).contains("a\\nb.png");
    }
}
