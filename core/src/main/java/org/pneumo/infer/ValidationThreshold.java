package org.pneumo.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.pneumo.data.DataException;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.LabeledImage;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.Figure;
import org.pneumo.eval.TemperatureScaling;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;

/**
 * Chooses a model folder's operating threshold again on its own validation split, with the weights it has: the
 * images scored as {@code evaluate --split validation} scores them, the rule applied to the scores, and the threshold
 * (with how and when it was chosen) and the validation figures at it written into {@code model.json}. The weights are
 * not touched. For models whose threshold was chosen by an older rule, such as one that put it on an image's score.
 */
public final class ValidationThreshold {
    /** What {@link ModelInfo.Rechosen#by()} records. */
    public static final String BY = "pneumo threshold (the model's validation split scored again, weights unchanged)";

    private ValidationThreshold() {}

    /**
     * A threshold chosen again, not yet written.
     *
     * @param before the model as it was
     * @param after the model with the new threshold and validation figures
     * @param confusion the validation images' confusion matrix at the new threshold
     */
    public record Choice(ModelInfo before, ModelInfo after, ConfusionMatrix confusion) {
        /** The new threshold. */
        public double threshold() {
            return after.threshold().value();
        }
    }

    /**
     * Scores the validation split of the model in {@code modelDir} (found in the training folder of {@code data}, see
     * {@link ModelEvaluator#validationImages}) and applies {@code rule}.
     *
     * @param now the time recorded as when the threshold was chosen
     * @param progress given the number of validation images once they are found, returns what is told how many are
     *     scored
     * @throws DataException when the data are not the model's, or a validation image cannot be read
     */
    public static Choice choose(Path modelDir, Path data, ThresholdRule rule, int batchSize, Instant now,
            IntFunction<IntConsumer> progress) throws IOException {
        return choose(modelDir, data, rule, false, batchSize, now, progress);
    }

    /**
     * As {@link #choose(Path, Path, ThresholdRule, int, Instant, IntFunction)}; with {@code calibrate}, a temperature
     * is fitted on the validation scores first (replacing any the model had) and the threshold is chosen on the
     * calibrated scores, which the model then reports.
     */
    public static Choice choose(Path modelDir, Path data, ThresholdRule rule, boolean calibrate, int batchSize,
            Instant now, IntFunction<IntConsumer> progress) throws IOException {
        try (Detector detector = Detector.load(modelDir)) {
            ModelInfo info = detector.info();
            List<LabeledImage> images = ModelEvaluator.validationImages(modelDir, info,
                    ImageFolder.resolveSplit(data, "train"));
            Scores scored = scores(detector, images, batchSize, progress.apply(images.size()));
            int[] truth = scored.truth();
            double[] score = scored.score();
            ModelInfo.Calibration calibration = info.calibration();
            if (calibrate) {
                double[] raw = TemperatureScaling.apply(score, 1 / info.temperature()); // the model's own softmax
                TemperatureScaling.Fit fit = TemperatureScaling.fitAndMeasure(truth, raw);
                calibration = new ModelInfo.Calibration(fit.temperature(), TemperatureScaling.METHOD,
                        "validation split, fitted again by pneumo threshold --calibrate", images.size(),
                        fit.eceBefore(), fit.eceAfter());
                score = fit.calibrated();
            }
            double threshold = rule.choose(truth, score);
            ConfusionMatrix at = ConfusionMatrix.atThreshold(truth, score, threshold);
            ModelInfo.Threshold old = info.threshold();
            ModelInfo.Threshold chosen = new ModelInfo.Threshold(threshold, rule.description(), ThresholdRule.PLACEMENT,
                    new ModelInfo.Rechosen(now.toString(), BY, images.size(), old.value(), old.method()));
            Map<String, Object> validation = new LinkedHashMap<>(info.validation());
            validation.put("images", images.size());
            validation.put("accuracy", valueOf(at.accuracy()));
            validation.put("sensitivity", valueOf(at.sensitivity()));
            validation.put("specificity", valueOf(at.specificity()));
            return new Choice(info, info.withThreshold(chosen, validation).withCalibration(calibration), at);
        }
    }

    /** Writes the choice into the model folder's {@code model.json} (atomically; the weights are not touched). */
    public static ModelInfo write(Path modelDir, Choice choice) throws IOException {
        return ModelFiles.writeInfo(modelDir, choice.after());
    }

    private static double valueOf(Figure f) {
        return f.defined() ? f.value() : Double.NaN;
    }

    /** Labels and P(PNEUMONIA) of validation images, in their order. */
    record Scores(int[] truth, double[] score) {}

    /**
     * Scores a model's validation images (shared by {@link #choose} and {@link Ensemble}).
     *
     * @throws DataException when an image cannot be read: training validated on every one of them, so one that fails
     *     now is not the same data
     */
    static Scores scores(Detector detector, List<LabeledImage> images, int batchSize, IntConsumer progress)
            throws IOException {
        List<PredictionResult> results = detector.predictFiles(images.stream().map(LabeledImage::file).toList(),
                batchSize, false, progress);
        int[] truth = new int[images.size()];
        double[] score = new double[images.size()];
        for (int i = 0; i < results.size(); i++) {
            PredictionResult r = results.get(i);
            if (r.failed()) {
                throw new DataException("validation image " + r.source() + " cannot be read: " + r.error());
            }
            truth[i] = images.get(i).label().index();
            score[i] = r.prediction().probability();
        }
        return new Scores(truth, score);
    }
}
