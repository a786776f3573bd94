package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;
import org.pneumo.train.TinyModel;

class EnsembleCommandTest {
    @TempDir
    static Path shared;

    static Path a;
    static Path b;
    static Path data;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void trainMembers() throws Exception {
        a = TinyModel.train(shared.resolve("a"), 16, 1);
        data = shared.resolve("a/data");
        b = TinyModel.trainOn(data, shared.resolve("b"), shared.resolve("cache"), 2);
    }

    @Test
    void makesAnEnsembleThatPredictLoadsLikeOneModel() throws Exception {
        Path out = dir.resolve("e");
        assertThat(cli.run("ensemble", "--member", a.toString(), "--member", b.toString(), "--out", out.toString(),
                "--data", data.toString(), "--youden")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("of 2 members written to " + out).contains("Youden");
        Path x = SyntheticImages.write(SyntheticImages.noisy(40, true, new java.util.Random(1), null),
                dir.resolve("x.png"), "png");
        assertThat(cli.run("predict", "--model", out.toString(), x.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("(NORMAL|PNEUMONIA) +[<>0-9.]+ +.*x\\.png");

        assertThat(cli.run("ensemble", "--member", a.toString(), "--member", b.toString(), "--out", out.toString(),
                "--data", data.toString(), "--youden")).isEqualTo(2);
        assertThat(cli.err()).contains("is not empty; use --overwrite");
    }

    @Test
    void badOptionsAreOneLineWithExitCode2() {
        assertThat(cli.run("ensemble", "--member", a.toString(), "--out", dir.resolve("e").toString(), "--data",
                data.toString(), "--youden")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("pneumo: --member is given 1 time(s); an ensemble needs at least 2"
                + " members");
        assertThat(cli.run("ensemble", "--member", a.toString(), "--member", b.toString(), "--out",
                dir.resolve("e").toString(), "--data", data.toString(), "--target-sensitivity", "1.5")).isEqualTo(2);
        assertThat(cli.err()).contains("--target-sensitivity 1.5 is outside (0, 1]");
        assertThat(cli.run("ensemble", "--member", a.toString(), "--member", dir.resolve("none").toString(), "--out",
                dir.resolve("e").toString(), "--data", data.toString(), "--youden")).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
    }
}
