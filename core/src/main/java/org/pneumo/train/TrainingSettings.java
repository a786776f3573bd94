package org.pneumo.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.pneumo.data.Augmentation;
import org.pneumo.data.InputSpec;
import org.pneumo.model.Architecture;

/**
 * How to train: every choice of a run, validated here, and recorded in the model it makes.
 *
 * @param data a Kaggle root (its {@code train/} is used) or one split folder with class folders
 * @param out the model folder to write (its {@code checkpoint/} holds the resumable state)
 * @param cacheDir where decoded images are cached
 * @param architecture the network
 * @param input image size and channels
 * @param epochs number of epochs
 * @param batchSize images per step
 * @param learningRate Adam's peak learning rate (cosine decay to 5% of it over the epochs)
 * @param weightDecay decoupled weight decay on weight matrices and kernels
 * @param valFraction share of each class (by patient) held out for validation
 * @param seed seeds the split, shuffling, augmentation and initialisation
 * @param classWeights whether to weight the loss against the class imbalance
 * @param augment whether to augment training images
 * @param patience stop after this many epochs without a better validation AUC; 0 = never stop early
 * @param maxBatches cap on batches per epoch (and per validation pass), 0 = no cap; for quick runs and tests
 * @param strict whether a bad image file ends the run
 * @param targetSensitivity choose the operating threshold as the highest one whose validation sensitivity is at least
 *     this; NaN = maximise Youden's J instead
 */
public record TrainingSettings(
        Path data,
        Path out,
        Path cacheDir,
        Architecture architecture,
        InputSpec input,
        int epochs,
        int batchSize,
        float learningRate,
        float weightDecay,
        double valFraction,
        long seed,
        boolean classWeights,
        boolean augment,
        int patience,
        int maxBatches,
        boolean strict,
        double targetSensitivity) {

    public TrainingSettings {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(input, "input");
        range("epochs", epochs, 1, 10_000);
        range("batch size", batchSize, 1, 4096);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learning rate " + learningRate + " is outside (0, 1]");
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weight decay " + weightDecay + " is outside [0, 1)");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + valFraction + " is outside (0, 1)");
        }
        range("patience", patience, 0, 10_000);
        range("max batches", maxBatches, 0, Integer.MAX_VALUE);
        if (!Double.isNaN(targetSensitivity) && !(targetSensitivity > 0 && targetSensitivity <= 1)) {
            throw new IllegalArgumentException("target sensitivity " + targetSensitivity + " is outside (0, 1]");
        }
    }

    /** How the operating threshold is chosen on validation, in words. */
    public String thresholdRule() {
        return Double.isNaN(targetSensitivity) ? "Youden's J on the validation split"
                : "highest threshold with validation sensitivity >= " + targetSensitivity;
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside [" + min + ", " + max + "]");
        }
    }

    /** The settings that shape the result, as recorded in {@code model.json} and checked on resume. */
    public Map<String, Object> recipe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture.id());
        m.put("imageSize", input.imageSize());
        m.put("channels", input.channels());
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("optimizer", "adam (beta1 0.9, beta2 0.999, eps 1e-7), decoupled weight decay");
        m.put("learningRate", (double) learningRate);
        m.put("learningRateSchedule", "cosine from learningRate to 5% of it over the epochs, per step");
        m.put("weightDecay", (double) weightDecay);
        m.put("valFraction", valFraction);
        m.put("seed", seed);
        m.put("classWeights", classWeights);
        m.put("augment", augment);
        m.put("augmentation", augment ? Augmentation.DEFAULT.toString() : "none");
        m.put("patience", patience);
        m.put("maxBatches", maxBatches);
        m.put("selection", "best validation ROC AUC (ties: lower validation loss)");
        m.put("threshold", thresholdRule());
        return m;
    }

    /** A copy with another epoch count (a resumed run may be extended). */
    public TrainingSettings withEpochs(int newEpochs) {
        return new TrainingSettings(data, out, cacheDir, architecture, input, newEpochs, batchSize, learningRate,
                weightDecay, valFraction, seed, classWeights, augment, patience, maxBatches, strict, targetSensitivity);
    }
}
