package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;
import org.pneumo.data.LabelAuditFile;

class AuditLabelsCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void writesAnAuditThatTrainingAccepts() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("d"), 12, 160, 3);
        Path audit = dir.resolve("out/audit.csv");
        int code = cli.run("audit-labels", "--data", data.toString(), "--out", audit.toString(), "--folds", "3",
                "--cache-dir", dir.resolve("cache").toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("label audit of", "24 images, 3 patient-level folds", "wrote " + audit);
        LabelAuditFile.Result r = LabelAuditFile.read(audit);
        assertThat(r.entries()).hasSize(24);
        assertThat(r.entries()).allSatisfy(e -> assertThat(e.fold()).isBetween(1, 3));

        code = cli.run("train", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--image-size",
                "32", "--epochs", "1", "--batch-size", "8", "--arch", "seed", "--cache-dir",
                dir.resolve("cache").toString(), "--label-audit", audit.toString(), "--label-smoothing", "0.1");
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("label audit " + audit);
        assertThat(Files.readString(dir.resolve("m/model.json"))).contains("\"labelAudit\"", "labelAuditApplied",
                "\"labelSmoothing\"");
    }

    @Test
    void badOptionsAndMissingAuditsAreOneLine() {
        Path data = SyntheticImages.blobDataset(dir.resolve("d"), 2, 160, 1);
        int code = cli.run("audit-labels", "--data", data.toString(), "--out", dir.resolve("a.csv").toString(),
                "--folds", "1");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("pneumo: --folds 1 is outside [2, 20]");
        code = cli.run("audit-labels", "--data", data.toString(), "--out", dir.resolve("a.csv").toString(),
                "--cache-dir", dir.resolve("cache").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("too few images or patients for 5 folds");
        code = cli.run("train", "--data", data.toString(), "--out", dir.resolve("m").toString(), "--label-audit",
                dir.resolve("none.csv").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("--label-audit", "is not a file", "pneumo audit-labels");
        code = cli.run("train", "--data", data.toString(), "--out", dir.resolve("m").toString(),
                "--label-smoothing", "0.7");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("--label-smoothing 0.7 is outside [0, 0.5)");
    }
}
