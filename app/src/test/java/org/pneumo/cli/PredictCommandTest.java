package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DicomFiles;
import org.pneumo.data.SyntheticImages;
import org.pneumo.train.TinyModel;

class PredictCommandTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path images;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void trainTinyModelAndMakeImages() throws Exception {
        model = TinyModel.train(shared, 30, 2);
        images = shared.resolve("images");
        Random r = new Random(8);
        SyntheticImages.write(SyntheticImages.noisy(40, true, r, null), images.resolve("a.png"), "png");
        SyntheticImages.write(SyntheticImages.noisy(40, false, r, null), images.resolve("sub/b.jpeg"), "jpeg");
        int[] samples = new int[40 * 40];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = r.nextInt(4096);
        }
        Files.write(images.resolve("sub/c.dcm"),
                DicomFiles.gray(40, 40, 16, samples, "MONOCHROME1", 2048, 4096, DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        Files.writeString(images.resolve("notes.txt"), "ignored: not an image name");
    }

    @Test
    void predictsAFolderRecursivelyWithCsvAndHeatmaps() throws Exception {
        Path csv = dir.resolve("p.csv");
        int code = cli.run("predict", "--model", model.toString(), "--out", csv.toString(), "--heatmaps",
                dir.resolve("h").toString(), images.toString());
        assertThat(code).as(cli.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("file,label,probability,threshold,modelId,inScope,typicality,"
                + "typicalityPercentile,scopeReason,error,heatmap");
        assertThat(lines).hasSize(4);
        assertThat(String.join("\n", lines)).contains("a.png").contains("b.jpeg").contains("c.dcm");
        for (String line : lines.subList(1, 4)) {
            String[] f = line.split(",", -1);
            double p = Double.parseDouble(f[2]);
            double t = Double.parseDouble(f[3]);
            assertThat(f[1]).isEqualTo(p >= t ? "PNEUMONIA" : "NORMAL");
            assertThat(f[5]).isIn("true", "false"); // inScope: the tiny model carries a guard
            assertThat(f[9]).isEmpty(); // error
            assertThat(Path.of(f[10])).exists().hasFileName(
                    Path.of(f[0]).getFileName().toString().replaceFirst("\\.[a-z]+$", "") + "_heatmap.png");
        }
        try (var s = Files.list(dir.resolve("h"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("a_heatmap.png", "b_heatmap.png", "c_heatmap.png");
        }
        assertThat(cli.out().lines().filter(l -> l.contains("a.png"))).hasSize(1);
    }

    @Test
    void unreadableFilesAreReportedCountedAndSetTheExitCode() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jpeg"), "nope");
        Path json = dir.resolve("p.json");
        int code = cli.run("predict", "--model", model.toString(), "--out", json.toString(),
                images.resolve("a.png").toString(), broken.toString());
        assertThat(code).isEqualTo(PredictCommand.EXIT_SOME_FAILED);
        String stderr = cli.err();
        assertThat(stderr).contains("broken.jpeg").contains("2 images: ").contains("1 could not be read");
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getAsJsonObject().get("label").getAsString()).isIn("NORMAL", "PNEUMONIA");
        // The same field names as the HTTP API's answer.
        assertThat(rows.get(0).getAsJsonObject().keySet())
                .containsSubsequence("file", "label", "probability", "threshold", "modelId", "inScope", "typicality",
                        "typicalityPercentile");
        assertThat(rows.get(1).getAsJsonObject().get("error").getAsString()).contains("not a JPEG, PNG or DICOM");
    }

    @Test
    void sameNamedInputsGetHeatmapsNamedByTheirFolderAndLinkedInTheJson() throws Exception {
        Path a = SyntheticImages.write(SyntheticImages.noisy(40, true, new Random(1), null),
                dir.resolve("left/x.png"), "png");
        Path b = SyntheticImages.write(SyntheticImages.noisy(40, false, new Random(2), null),
                dir.resolve("right/x.png"), "png");
        Path json = dir.resolve("p.json");
        int code = cli.run("predict", "--model", model.toString(), "--out", json.toString(), "--heatmaps",
                dir.resolve("h").toString(), a.toString(), b.toString());
        assertThat(code).as(cli.err()).isZero();
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertThat(rows.get(0).getAsJsonObject().get("heatmap").getAsString())
                .isEqualTo(dir.resolve("h/x_heatmap.png").toString());
        assertThat(rows.get(1).getAsJsonObject().get("heatmap").getAsString())
                .isEqualTo(dir.resolve("h/right_x_heatmap.png").toString());
        assertThat(dir.resolve("h/right_x_heatmap.png")).exists();
    }

    @Test
    void aPathThatDoesNotExistIsAUsageError() {
        int code = cli.run("predict", "--model", model.toString(), images.resolve("a.png").toString(),
                dir.resolve("missing.png").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("no such file or folder: " + dir.resolve("missing.png"));
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void oneImageIsCountedInTheSingular() {
        int code = cli.run("predict", "--model", model.toString(), images.resolve("a.png").toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.err()).contains("1 image: ").doesNotContain("1 images");
    }

    @Test
    void missingModelIsExitCode2() {
        int code = cli.run("predict", "--model", dir.resolve("none").toString(), images.toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
    }

    @Test
    void badOutputExtensionIsExitCode2() {
        int code = cli.run("predict", "--model", model.toString(), "--out", dir.resolve("p.xml").toString(),
                images.toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains(".csv or .json");
    }

    @Test
    void marksPicturesThatAreNotXraysOutOfScopeAndCountsThem() throws Exception {
        java.awt.image.BufferedImage checker = new java.awt.image.BufferedImage(160, 160,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 160; y++) {
            for (int x = 0; x < 160; x++) {
                checker.getRaster().setSample(x, y, 0, ((x / 20 + y / 20) % 2) * 235 + 10);
            }
        }
        Path file = SyntheticImages.write(checker, dir.resolve("checkerboard.png"), "png");
        Path json = dir.resolve("p.json");
        int code = cli.run("predict", "--model", model.toString(), "--out", json.toString(), file.toString(),
                images.resolve("a.png").toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("(NORMAL|PNEUMONIA) +[<>0-9.]+ +.*checkerboard.png  OUT-OF-SCOPE: unlike the"
                + " training images");
        assertThat(cli.out().lines().filter(l -> l.contains("a.png")).findFirst().orElseThrow())
                .doesNotContain("OUT-OF-SCOPE");
        assertThat(cli.err()).contains("1 out of scope");
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertThat(rows.get(0).getAsJsonObject().get("inScope").getAsBoolean()).isFalse();
        assertThat(rows.get(0).getAsJsonObject().get("scopeReason").getAsString()).contains("unlike the training");
        assertThat(rows.get(1).getAsJsonObject().get("inScope").getAsBoolean()).isTrue();
    }

    @Test
    void theConsoleLineMarksOutOfScopeAndUnusualImages() {
        org.pneumo.data.Diagnosis n = org.pneumo.data.Diagnosis.NORMAL;
        var ordinary = new org.pneumo.infer.Prediction("a", 0.1, n, 0.5, "m", null,
                new org.pneumo.infer.ScopeVerdict(true, 5.0, 0.40, null));
        var unusual = new org.pneumo.infer.Prediction("b", 0.1, n, 0.5, "m", null,
                new org.pneumo.infer.ScopeVerdict(true, 18.0, 0.973, null));
        var outside = new org.pneumo.infer.Prediction("c", 0.1, n, 0.5, "m", null,
                new org.pneumo.infer.ScopeVerdict(false, 30.0, 1.0, "unlike the training images: ..."));
        assertThat(PredictCommand.line(ordinary, "a.png")).doesNotContain("UNUSUAL").doesNotContain("OUT-OF-SCOPE")
                .endsWith("a.png");
        assertThat(PredictCommand.line(unusual, "b.png")).endsWith("b.png  UNUSUAL: more atypical than 97.3% of the"
                + " validation images; check that this is a frontal chest X-ray of a child");
        assertThat(PredictCommand.line(outside, "c.png"))
                .endsWith("c.png  OUT-OF-SCOPE: unlike the training images: ...");
    }
}
