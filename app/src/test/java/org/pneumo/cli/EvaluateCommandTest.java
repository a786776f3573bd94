package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingProgress;
import org.pneumo.train.TrainingSettings;

class EvaluateCommandTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path testData;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        Path data = SyntheticImages.blobDataset(shared.resolve("train"), 30, 40, 5);
        model = shared.resolve("model");
        new TrainingLoop(new TrainingSettings(data, model, shared.resolve("cache"), Architecture.SEED,
                new InputSpec(32, 1), 2, 16, 3e-3f, 0, 0.25, 42, true, false, 0, 0, false, Double.NaN),
                TrainingProgress.SILENT).run(false, false);
        testData = SyntheticImages.blobDataset(shared.resolve("test"), 10, 40, 77);
        Files.writeString(testData.resolve("NORMAL/IM-9999-0001.jpeg"), "broken");
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(String... args) {
        return PneumoCommand.commandLine()
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    @Test
    void writesTheReportAndCountsTheSkippedFile() throws Exception {
        Path report = dir.resolve("report");
        int code = run("evaluate", "--model", model.toString(), "--data", testData.toString(), "--out",
                report.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: skipped").contains("IM-9999-0001.jpeg");
        JsonObject metrics = JsonParser.parseString(Files.readString(report.resolve("metrics.json")))
                .getAsJsonObject();
        assertThat(metrics.get("n_images").getAsInt()).isEqualTo(20);
        assertThat(metrics.get("n_skipped_files").getAsInt()).isEqualTo(1);
        for (String f : new String[] {"predictions.csv", "report.html", "roc.png", "pr.png", "calibration.png",
            "confusion_matrix.png", "training_curves.png"}) {
            assertThat(report.resolve(f)).as(f).exists();
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout).contains("ROC AUC").contains("precision").contains("recall").contains("macro avg");
    }

    @Test
    void strictMakesTheBadFileFatal() {
        int code = run("evaluate", "--model", model.toString(), "--data", testData.toString(), "--out",
                dir.resolve("r").toString(), "--strict");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("IM-9999-0001.jpeg").contains("--strict");
    }

    @Test
    void missingDataFolderIsExitCode2() {
        int code = run("evaluate", "--model", model.toString(), "--data", dir.resolve("none").toString(), "--out",
                dir.resolve("r").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
    }
}
