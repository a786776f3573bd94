package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;

class TrainCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void missingDataFolderIsOneLineAndExitCode2() {
        int code = cli.run("train", "--data", dir.resolve("nope").toString(), "--out", dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("pneumo: data folder").endsWith("does not exist");
        assertThat(cli.err().strip().lines()).hasSize(1);
    }

    @Test
    void unknownClassFolderIsNamed() {
        SyntheticImages.blobDataset(dir.resolve("d"), 2, 16, 1);
        SyntheticImages.write(SyntheticImages.gray(8, 8, 1), dir.resolve("d/COVID/a.png"), "png");
        int code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("unknown class folder(s) [COVID]");
    }

    @Test
    void emptyDataSetIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("d/NORMAL"));
        Files.createDirectories(dir.resolve("d/PNEUMONIA"));
        int code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("has no images");
    }

    @Test
    void badOptionValuesSayTheAcceptedRange() {
        SyntheticImages.blobDataset(dir.resolve("d"), 2, 16, 1);
        int code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--channels", "2");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("channels 2 is not 1 or 3");
        code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--arch", "vgg");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("unknown architecture 'vgg'");
    }

    @Test
    void trainsAndSkipsABadFileWithAWarningThenStrictFails() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("d"), 12, 32, 3);
        Files.writeString(data.resolve("NORMAL/IM-9999-0001.png"), "broken");
        String[] common = {"train", "--data", data.toString(), "--image-size", "32", "--epochs", "1", "--batch-size",
            "8", "--cache-dir", dir.resolve("cache").toString(), "--arch", "seed"};
        int code = cli.run(concat(common, "--out", dir.resolve("m").toString()));
        assertThat(code).as(cli.err()).isZero();
        String stdout = cli.out();
        assertThat(cli.err()).contains("warning: skipped").contains("IM-9999-0001.png");
        assertThat(stdout).contains("1 files skipped").contains("model written to");
        assertThat(dir.resolve("m/model.json")).exists();

        code = cli.run(concat(common, "--out", dir.resolve("m2").toString(), "--strict"));
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("IM-9999-0001.png").contains("--strict");
        assertThat(dir.resolve("m2/model.json")).doesNotExist();

        code = cli.run(concat(common, "--out", dir.resolve("m").toString()));
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("is not empty; use --resume to continue its run, --overwrite to replace it,"
                + " or another --out");
        code = cli.run(concat(common, "--out", dir.resolve("m").toString(), "--resume", "--seed", "7"));
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("settings differ from the checkpoint's: --seed 42 -> 7");
    }

    /** The library names its settings (valFraction); the command line says which flag that is. */
    @Test
    void settingErrorsNameTheFlags() {
        SyntheticImages.blobDataset(dir.resolve("d"), 2, 16, 1);
        int code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--val-fraction", "1.5");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("pneumo: --val-fraction 1.5 is outside (0, 1)");
        code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--max-batches", "-1");
        assertThat(cli.err()).contains("pneumo: --max-batches -1 is outside [0, 2147483647]");
        code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--image-size", "32", "--cache-dir", dir.resolve("cache").toString(), "--val-fraction", "0.01");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("too small for --val-fraction 0.01");
    }

    @Test
    void fineTuningOptionsNeedAPretrainedNetworkAndAValidBlock() {
        SyntheticImages.blobDataset(dir.resolve("d"), 2, 16, 1);
        int code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--freeze-backbone-epochs", "1");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("need a pretrained architecture; cnn-lstm is trained from scratch");
        code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--arch", "mobilenet-lstm", "--train-from-block", "25");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("--train-from-block 25 is outside [0, 19]");
        code = cli.run("train", "--data", dir.resolve("d").toString(), "--out", dir.resolve("m").toString(),
                "--arch", "mobilenet-lstm", "--backbone-lr-scale", "0");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("backboneLearningRateScale 0.0 is outside (0, 10]");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
