package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;
import org.pneumo.train.TinyModel;

class EvaluateCommandTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path trainData;
    static Path testData;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = TinyModel.train(shared, 30, 2);
        trainData = shared.resolve("data");
        testData = SyntheticImages.blobDataset(shared.resolve("test"), 10, 40, 77);
        Files.writeString(testData.resolve("NORMAL/IM-9999-0001.jpeg"), "broken");
    }

    @Test
    void writesTheReportAndCountsTheSkippedFile() throws Exception {
        Path report = dir.resolve("report");
        int code = cli.run("evaluate", "--model", model.toString(), "--data", testData.toString(), "--out",
                report.toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.err()).contains("warning: skipped").contains("IM-9999-0001.jpeg");
        JsonObject metrics = JsonParser.parseString(Files.readString(report.resolve("metrics.json")))
                .getAsJsonObject();
        assertThat(metrics.get("n_images").getAsInt()).isEqualTo(20);
        assertThat(metrics.get("n_skipped_files").getAsInt()).isEqualTo(1);
        for (String f : new String[] {"predictions.csv", "report.html", "roc.png", "pr.png", "calibration.png",
            "confusion_matrix.png", "training_curves.png"}) {
            assertThat(report.resolve(f)).as(f).exists();
        }
        String stdout = cli.out();
        assertThat(stdout).contains("ROC AUC").contains("precision").contains("recall").contains("macro avg");
    }

    @Test
    void strictMakesTheBadFileFatal() {
        int code = cli.run("evaluate", "--model", model.toString(), "--data", testData.toString(), "--out",
                dir.resolve("r").toString(), "--strict");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("IM-9999-0001.jpeg").contains("--strict");
    }

    @Test
    void missingDataFolderIsExitCode2() {
        int code = cli.run("evaluate", "--model", model.toString(), "--data", dir.resolve("none").toString(), "--out",
                dir.resolve("r").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
    }

    @Test
    void aRootWithoutTestSuggestsTheSplitsThatExist() throws Exception {
        Path root = dir.resolve("chest_xray");
        Files.createDirectories(root.resolve("train/NORMAL"));
        Files.createDirectories(root.resolve("val/PNEUMONIA"));
        int code = cli.run("evaluate", "--model", model.toString(), "--data", root.toString(), "--out",
                dir.resolve("r").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("neither a 'test' split folder").contains("--split train, --split val,"
                + " --split validation");
    }

    @Test
    void rebuildsTheModelsOwnValidationSplit() throws Exception {
        Path report = dir.resolve("val");
        int code = cli.run("evaluate", "--model", model.toString(), "--data", trainData.toString(), "--split",
                "validation", "--out", report.toString());
        assertThat(code).as(cli.err()).isZero();
        JsonObject metrics = JsonParser.parseString(Files.readString(report.resolve("metrics.json")))
                .getAsJsonObject();
        JsonObject info = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        int validationImages = info.getAsJsonObject("validation").get("images").getAsInt();
        assertThat(metrics.get("n_images").getAsInt()).isEqualTo(validationImages).isLessThan(60);
        // The same images through the same network: the training pass's AUC comes back.
        assertThat(metrics.get("roc_auc").getAsDouble()).isCloseTo(
                info.getAsJsonObject("validation").get("rocAuc").getAsDouble(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(cli.out()).contains("validation split (by patient)");
    }

    /**
     * Training splits only the images that decode; a file that does not decode must not shift the evaluated
     * validation split: it is the one in the model's split.csv, image for image.
     */
    @Test
    void validationIsTheSplitTheModelWasTrainedOnEvenWithUndecodableFiles() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("data"), 30, 40, 5);
        for (int i = 0; i < 4; i++) {
            Files.write(data.resolve("NORMAL/IM-05" + i + "0-0001.png"), new byte[] {1, 2, 3});
            Files.write(data.resolve("PNEUMONIA/person05" + i + "0_virus_1.png"), new byte[] {1, 2, 3});
        }
        Path trained = TinyModel.trainOn(data, dir.resolve("m"), dir.resolve("cache"), 1);
        Path report = dir.resolve("val");
        int code = cli.run("evaluate", "--model", trained.toString(), "--data", data.toString(), "--split",
                "validation", "--out", report.toString());
        assertThat(code).as(cli.err()).isZero();
        java.util.Set<Path> recorded = new java.util.HashSet<>();
        for (String line : Files.readAllLines(trained.resolve("split.csv")).stream().skip(1).toList()) {
            if (line.endsWith(",validation")) {
                // split.csv names each image relative to the training folder.
                recorded.add(data.resolve(line.substring(0, line.indexOf(','))).toAbsolutePath().normalize());
            }
        }
        java.util.Set<Path> evaluated = new java.util.HashSet<>();
        for (String line : Files.readAllLines(report.resolve("predictions.csv")).stream().skip(1).toList()) {
            evaluated.add(Path.of(line.substring(0, line.indexOf(','))).toAbsolutePath().normalize());
        }
        assertThat(recorded).isNotEmpty();
        assertThat(evaluated).isEqualTo(recorded);
    }

    @Test
    void refusesToRebuildTheSplitFromOtherImages() {
        int code = cli.run("evaluate", "--model", model.toString(), "--data", testData.getParent().resolve("test")
                .toString(), "--split", "validation", "--out", dir.resolve("r").toString());
        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("not the images model").contains("fingerprint");
    }

    @Test
    void reportsTheOutOfScopeShareAndTheFiguresOnInScopeImagesOnly() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("mixed"), 8, 40, 78);
        java.awt.image.BufferedImage checker = new java.awt.image.BufferedImage(160, 160,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 160; y++) {
            for (int x = 0; x < 160; x++) {
                checker.getRaster().setSample(x, y, 0, ((x / 20 + y / 20) % 2) * 235 + 10);
            }
        }
        SyntheticImages.write(checker, data.resolve("NORMAL/IM-8888-0001.png"), "png");
        Path report = dir.resolve("scoped");
        int code = cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                report.toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("out of scope (unlike the training images): ");
        assertThat(cli.out()).containsPattern("out of scope \\(unlike the training images\\): [1-9][0-9]* of 17 images");
        assertThat(cli.out()).contains("in-scope images only:");
        List<String> flagged = Files.readAllLines(report.resolve(EvaluateCommand.OUT_OF_SCOPE_FILE));
        assertThat(flagged.get(0)).isEqualTo("file,truth,label,probability,typicality,typicalityPercentile,reason");
        assertThat(String.join("\n", flagged)).contains("IM-8888-0001.png");
        assertThat(report.resolve(EvaluateCommand.IN_SCOPE_FILE)).exists();
    }

    @Test
    void guardRefitsAModelFolderWithoutOneToTheSameCut() throws Exception {
        Path copy = dir.resolve("old-model");
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        JsonObject json = JsonParser.parseString(
                Files.readString(copy.resolve("model.json"))).getAsJsonObject();
        double trainedCut = json.getAsJsonObject("scope").get("cut").getAsDouble();
        json.remove("scope");
        Files.delete(copy.resolve("typicality.bin"));
        Files.writeString(copy.resolve("model.json"), json.toString());
        assertThat(cli.run("predict", "--model", copy.toString(), trainData.toString())).isZero();
        assertThat(cli.err()).contains("no out-of-scope guard in this model");

        int code = cli.run("guard", "--model", copy.toString(), "--data", trainData.toString(), "--cache-dir",
                dir.resolve("cache").toString());
        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("99th percentile of the validation images");
        JsonObject refit = JsonParser.parseString(
                Files.readString(copy.resolve("model.json"))).getAsJsonObject().getAsJsonObject("scope");
        // Same network, same training and validation images (the model's split.csv): the same cut.
        assertThat(refit.get("cut").getAsDouble()).isCloseTo(trainedCut, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(copy.resolve("typicality.bin")).exists();
        assertThat(cli.run("guard", "--model", copy.toString(), "--data", trainData.toString(), "--percentile",
                "1.5")).isEqualTo(2);
        assertThat(cli.err()).contains("--percentile 1.5 is outside (0, 1]");
    }
}
