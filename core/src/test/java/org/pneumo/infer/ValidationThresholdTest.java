package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.SyntheticImages;
import org.pneumo.eval.Evaluation;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.report.ModelCardReport;
import org.pneumo.train.TinyModel;

class ValidationThresholdTest {
    @TempDir
    static Path shared;

    static Path data;
    static Path trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws Exception {
        data = SyntheticImages.blobDataset(shared.resolve("data"), 30, 40, 5);
        trained = TinyModel.trainOn(data, shared.resolve("model"), shared.resolve("cache"), 1);
    }

    /** A copy of the trained model folder. */
    private Path copy() throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        try (var files = Files.list(trained)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        return model;
    }

    /** The validation images' scores, as evaluate --split validation computes them. */
    private static Evaluation validation(Path model) throws Exception {
        try (Detector detector = Detector.load(model)) {
            List<LabeledImage> images = ModelEvaluator.validationImages(model, detector.info(), data);
            return new ModelEvaluator(detector, 8, 42).evaluate(images, BadFilePolicy.lenient(), "m", n -> { });
        }
    }

    @Test
    void aThresholdOnAnImagesScoreIsChosenAgainBetweenScoresWithTheWeightsUntouched() throws Exception {
        Path model = copy();
        // As an older version did: the threshold exactly on one validation image's score.
        double[] scores = validation(model).probabilities();
        double onAScore = Arrays.stream(scores).sorted().toArray()[scores.length / 2];
        ModelInfo old = ModelFiles.readInfo(model);
        ModelFiles.writeInfo(model, old.withThreshold(new ModelInfo.Threshold(onAScore, "an older rule"),
                old.validation()));
        byte[] weights = Files.readAllBytes(model.resolve(ModelFiles.WEIGHTS_FILE));

        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        int[] found = new int[1];
        ValidationThreshold.Choice choice = ValidationThreshold.choose(model, data, ThresholdRule.sensitivity(0.9), 8,
                now, total -> {
                    found[0] = total;
                    return n -> { };
                });
        ValidationThreshold.write(model, choice);

        ModelInfo info = ModelFiles.readInfo(model);
        assertThat(Files.readAllBytes(model.resolve(ModelFiles.WEIGHTS_FILE))).isEqualTo(weights);
        assertThat(info.modelId()).isEqualTo(old.modelId());
        Evaluation e = validation(model);
        assertThat(found[0]).isEqualTo(e.images().size());
        double t = info.threshold().value();
        assertThat(t).isEqualTo(ThresholdRule.sensitivity(0.9).choose(e.truth(), e.probabilities()));
        assertThat(e.probabilities()).doesNotContain(t);
        assertThat(info.threshold().method()).isEqualTo("highest threshold with validation sensitivity >= 0.9");
        assertThat(info.threshold().placement()).isEqualTo(ThresholdRule.PLACEMENT);
        assertThat(info.threshold().rechosen()).isEqualTo(new ModelInfo.Rechosen("2026-11-26T10:00:00Z",
                ValidationThreshold.BY, e.images().size(), onAScore, "an older rule"));

        // The recorded figures are what evaluate computes at the new threshold.
        try (Detector detector = Detector.load(model)) {
            Evaluation at = new ModelEvaluator(detector, 8, 42).evaluate(e.images(), BadFilePolicy.lenient(), "m",
                    n -> { });
            assertThat(at.confusion()).isEqualTo(choice.confusion());
            assertThat(at.confusion().sensitivity().value()).isGreaterThanOrEqualTo(0.9)
                    .isEqualTo(info.validationFigures().sensitivity());
            assertThat(at.confusion().specificity().value()).isEqualTo(info.validationFigures().specificity());
            assertThat(at.confusion().accuracy().value()).isEqualTo(info.validationFigures().accuracy());
        }
        assertThat(ModelCardReport.markdown(info)).contains("| Threshold re-chosen | 26 Nov 2026, 10:00 UTC on ")
                .contains(String.format(java.util.Locale.ROOT, "replacing %.4f (an older rule)", onAScore));
    }

    @Test
    void calibrateFitsATemperatureThatTheModelThenApplies() throws Exception {
        Path model = copy();
        assertThat(ModelFiles.readInfo(model).calibration()).isNull(); // the network's own softmax below
        Evaluation raw = validation(model);
        ValidationThreshold.Choice choice = ValidationThreshold.choose(model, data, ThresholdRule.youden(), true, 8,
                Instant.now(), total -> n -> { });
        ValidationThreshold.write(model, choice);
        ModelInfo info = ModelFiles.readInfo(model);
        ModelInfo.Calibration c = info.calibration();
        assertThat(c.temperature()).isEqualTo(org.pneumo.eval.TemperatureScaling.fit(raw.truth(),
                raw.probabilities()));
        assertThat(c.images()).isEqualTo(raw.images().size());
        assertThat(c.eceBefore()).isEqualTo(org.pneumo.eval.TemperatureScaling.expectedCalibrationError(raw.truth(),
                raw.probabilities(), 10));
        Evaluation calibrated = validation(model);
        for (int i = 0; i < raw.probabilities().length; i++) {
            assertThat(calibrated.probabilities()[i]).isCloseTo(org.pneumo.eval.TemperatureScaling.apply(
                    raw.probabilities()[i], c.temperature()), org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(calibrated.confusion()).isEqualTo(choice.confusion());
        assertThat(ModelCardReport.markdown(info)).contains(String.format(java.util.Locale.ROOT,
                "| Calibration | temperature %.3f fitted on", c.temperature()));
    }

    @Test
    void otherDataAreRefusedAndNothingIsWritten() throws Exception {
        Path model = copy();
        byte[] before = Files.readAllBytes(model.resolve(ModelFiles.INFO_FILE));
        Path other = SyntheticImages.blobDataset(dir.resolve("other"), 5, 40, 9);
        assertThatThrownBy(() -> ValidationThreshold.choose(model, other, ThresholdRule.youden(), 8, Instant.now(),
                total -> n -> { })).isInstanceOf(DataException.class).hasMessageContaining("fingerprint");
        assertThat(Files.readAllBytes(model.resolve(ModelFiles.INFO_FILE))).isEqualTo(before);
    }
}
