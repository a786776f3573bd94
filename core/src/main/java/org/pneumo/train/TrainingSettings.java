package org.pneumo.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pneumo.data.Augmentation;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SettingException;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.model.Architecture;
import org.pneumo.model.MobileNetV2;

/**
 * How to train: every choice of a run, validated when built, and recorded in the model it makes. Made through
 * {@link #builder()}: {@code setX} for the required settings (data, out, cacheDir), {@code optX} for the optional ones
 * (their defaults are the command line's). Messages name the setting (as in {@link #recipe()}) and its accepted
 * range.
 */
public final class TrainingSettings {
    private final Path data;
    private final Path out;
    private final Path cacheDir;
    private final Architecture architecture;
    private final InputSpec input;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float weightDecay;
    private final double valFraction;
    private final long seed;
    private final boolean classWeights;
    private final boolean augment;
    private final int patience;
    private final int maxBatches;
    private final boolean strict;
    private final double targetSensitivity;
    private final FineTuning fineTuning;
    private final float labelSmoothing;
    private final Path labelAudit;
    private final float suspectWeight;
    private final boolean validationSuspects;
    private final boolean calibrate;

    private TrainingSettings(Builder b) {
        this.data = b.data;
        this.out = b.out;
        this.cacheDir = b.cacheDir;
        this.architecture = b.architecture;
        this.input = b.input;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.weightDecay = b.weightDecay;
        this.valFraction = b.valFraction;
        this.seed = b.seed;
        this.classWeights = b.classWeights;
        this.augment = b.augment;
        this.patience = b.patience;
        this.maxBatches = b.maxBatches;
        this.strict = b.strict;
        this.targetSensitivity = b.targetSensitivity;
        this.fineTuning = b.fineTuning;
        this.labelSmoothing = b.labelSmoothing;
        this.labelAudit = b.labelAudit;
        this.suspectWeight = b.suspectWeight;
        this.validationSuspects = b.validationSuspects;
        this.calibrate = b.calibrate;
    }

    /** A builder with every optional setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.data = data;
        b.out = out;
        b.cacheDir = cacheDir;
        b.architecture = architecture;
        b.input = input;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.valFraction = valFraction;
        b.seed = seed;
        b.classWeights = classWeights;
        b.augment = augment;
        b.patience = patience;
        b.maxBatches = maxBatches;
        b.strict = strict;
        b.targetSensitivity = targetSensitivity;
        b.fineTuning = fineTuning;
        b.labelSmoothing = labelSmoothing;
        b.labelAudit = labelAudit;
        b.suspectWeight = suspectWeight;
        b.validationSuspects = validationSuspects;
        b.calibrate = calibrate;
        return b;
    }

    /** A Kaggle root (its {@code train/} is used) or one split folder with class folders. */
    public Path data() {
        return data;
    }

    /** The model folder to write (its {@code checkpoint/} holds the resumable state). */
    public Path out() {
        return out;
    }

    /** Where decoded images are cached. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The network. */
    public Architecture architecture() {
        return architecture;
    }

    /** Image size and channels. */
    public InputSpec input() {
        return input;
    }

    /** Number of epochs. */
    public int epochs() {
        return epochs;
    }

    /** Images per step. */
    public int batchSize() {
        return batchSize;
    }

    /** Adam's peak learning rate (cosine decay to 5% of it over the epochs). */
    public float learningRate() {
        return learningRate;
    }

    /** Decoupled weight decay on weight matrices and kernels. */
    public float weightDecay() {
        return weightDecay;
    }

    /** Share of each class (by patient) held out for validation. */
    public double valFraction() {
        return valFraction;
    }

    /** Seeds the split, shuffling, augmentation and initialisation. */
    public long seed() {
        return seed;
    }

    /** Whether to weight the loss against the class imbalance. */
    public boolean classWeights() {
        return classWeights;
    }

    /** Whether to augment training images. */
    public boolean augment() {
        return augment;
    }

    /** Stop after this many epochs without a better validation AUC; 0 = never stop early. */
    public int patience() {
        return patience;
    }

    /** Cap on batches per epoch (and per validation pass), 0 = no cap; for quick runs and tests. */
    public int maxBatches() {
        return maxBatches;
    }

    /** Whether a bad image file ends the run. */
    public boolean strict() {
        return strict;
    }

    /**
     * Choose the operating threshold so that validation sensitivity is at least this (highest such threshold); NaN =
     * maximise Youden's J instead.
     */
    public double targetSensitivity() {
        return targetSensitivity;
    }

    /** How a pretrained backbone is fine-tuned ({@link FineTuning#NONE} for networks without one). */
    public FineTuning fineTuning() {
        return fineTuning;
    }

    /** Label smoothing of the training targets, in [0, 0.5); 0 = none. */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /** A label audit ({@link LabelAudit}) of the training folder, or null for none. */
    public Path labelAudit() {
        return labelAudit;
    }

    /** The loss weight of a training image the audit calls a suspect, in [0, 1] (0 = left out). */
    public float suspectWeight() {
        return suspectWeight;
    }

    /**
     * Whether the audit's suspects on the validation side still count when choosing the epoch and the threshold
     * (false: they are left out of those choices; split.csv still lists them).
     */
    public boolean validationSuspects() {
        return validationSuspects;
    }

    /**
     * Whether to fit a temperature on the kept epoch's validation scores (temperature scaling) before the threshold is
     * chosen on the calibrated scores.
     */
    public boolean calibrate() {
        return calibrate;
    }

    /** The rule that chooses the operating threshold on validation. */
    public ThresholdRule thresholdChoice() {
        return new ThresholdRule(targetSensitivity);
    }

    /** How the operating threshold is chosen on validation, in words. */
    public String thresholdRule() {
        return thresholdChoice().description();
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
        if (architecture.hasPretrainedBackbone()) {
            m.put("pretrained", "MobileNetV2 1.0 ImageNet (TensorFlow Lite int8, dequantised)");
            m.put("freezeBackboneEpochs", fineTuning.freezeBackboneEpochs());
            m.put("backboneLearningRateScale", (double) fineTuning.backboneLearningRateScale());
            m.put("trainFromBlock", fineTuning.trainFromBlock());
        }
        // Recorded only when used, so that older checkpoints (without these keys) still resume.
        if (labelSmoothing > 0) {
            m.put("labelSmoothing", (double) labelSmoothing);
        }
        if (calibrate) {
            m.put("calibration", "temperature scaling fitted on the validation split (kept epoch)");
        }
        if (labelAudit != null) {
            m.put("labelAudit", labelAudit.toString());
            m.put("suspectWeight", (double) suspectWeight);
            m.put("validationSuspects", validationSuspects ? "kept" : "left out of epoch and threshold choice");
        }
        return m;
    }

    /** A copy with another epoch count (a resumed run may be extended). */
    public TrainingSettings withEpochs(int newEpochs) {
        return toBuilder().optEpochs(newEpochs).build();
    }

    @Override
    public String toString() {
        return "TrainingSettings[data=" + data + ", out=" + out + ", cacheDir=" + cacheDir + ", " + recipe()
                + ", strict=" + strict + "]";
    }

    /**
     * Collects settings; {@link #build()} checks them. Required: {@link #setData}, {@link #setOut},
     * {@link #setCacheDir}. Every {@code optX} has the default of the command line's option.
     */
    public static final class Builder {
        private Path data;
        private Path out;
        private Path cacheDir;
        private Architecture architecture = Architecture.CNN_LSTM;
        private InputSpec input = new InputSpec(224, 1);
        private int epochs = 20;
        private int batchSize = 32;
        private float learningRate = 1e-3f;
        private float weightDecay = 1e-4f;
        private double valFraction = 0.2;
        private long seed = 42;
        private boolean classWeights = true;
        private boolean augment = true;
        private int patience;
        private int maxBatches;
        private boolean strict;
        private double targetSensitivity = Double.NaN;
        private FineTuning fineTuning = FineTuning.NONE;
        private float labelSmoothing;
        private Path labelAudit;
        private float suspectWeight;
        private boolean validationSuspects;
        private boolean calibrate;

        private Builder() {}

        /** Required: a Kaggle root (its {@code train/} is used) or one split folder with class folders. */
        public Builder setData(Path data) {
            this.data = data;
            return this;
        }

        /** Required: the model folder to write. */
        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        /** Required: where decoded images are cached. */
        public Builder setCacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** The network; default {@code cnn-lstm}. */
        public Builder optArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** Image size and channels; default 224 x 224, 1 channel. */
        public Builder optInput(InputSpec input) {
            this.input = input;
            return this;
        }

        /** Epochs, 1-10,000; default 20. */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Images per step, 1-4,096; default 32. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Adam's peak learning rate, in (0, 1]; default 0.001. */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Decoupled weight decay, in [0, 1); default 0.0001. */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Share of each class held out for validation, in (0, 1); default 0.2. */
        public Builder optValFraction(double valFraction) {
            this.valFraction = valFraction;
            return this;
        }

        /** Seed of the split, shuffling, augmentation and initialisation; default 42. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to weight the loss against the class imbalance; default true. */
        public Builder optClassWeights(boolean classWeights) {
            this.classWeights = classWeights;
            return this;
        }

        /** Whether to augment training images; default true. */
        public Builder optAugment(boolean augment) {
            this.augment = augment;
            return this;
        }

        /** Epochs without a better validation AUC before stopping, 0-10,000 (0 = never); default 0. */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Cap on batches per epoch and validation pass, 0 or more (0 = no cap); default 0. */
        public Builder optMaxBatches(int maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        /** Whether a bad image file ends the run; default false (skipped and counted). */
        public Builder optStrict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** Threshold rule: the highest threshold reaching this validation sensitivity, in (0, 1]; NaN (the
         * default) = Youden's J. */
        public Builder optTargetSensitivity(double targetSensitivity) {
            this.targetSensitivity = targetSensitivity;
            return this;
        }

        /** How a pretrained backbone is fine-tuned (pretrained architectures only); default {@link FineTuning#NONE}. */
        public Builder optFineTuning(FineTuning fineTuning) {
            this.fineTuning = fineTuning;
            return this;
        }

        /** Label smoothing of the training targets, in [0, 0.5); default 0 (none). */
        public Builder optLabelSmoothing(float labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** A label audit of the training folder (from {@link LabelAudit#write}); default none. */
        public Builder optLabelAudit(Path labelAudit) {
            this.labelAudit = labelAudit;
            return this;
        }

        /** Loss weight of the audit's training suspects, in [0, 1]; default 0 (left out). */
        public Builder optSuspectWeight(float suspectWeight) {
            this.suspectWeight = suspectWeight;
            return this;
        }

        /** Whether to calibrate P(PNEUMONIA) by temperature scaling on validation; default false. */
        public Builder optCalibrate(boolean calibrate) {
            this.calibrate = calibrate;
            return this;
        }

        /** Whether validation suspects count in the epoch and threshold choice; default false (left out). */
        public Builder optValidationSuspects(boolean validationSuspects) {
            this.validationSuspects = validationSuspects;
            return this;
        }

        /**
         * Checks every setting and makes the settings.
         *
         * @throws SettingException naming the first missing or out-of-range setting and its accepted range
         */
        public TrainingSettings build() {
            required("data", data);
            required("out", out);
            required("cacheDir", cacheDir);
            required("architecture", architecture);
            required("input", input);
            range("epochs", epochs, 1, 10_000);
            range("batchSize", batchSize, 1, 4096);
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new SettingException("{learningRate} %s is outside (0, 1]", learningRate);
            }
            if (!(weightDecay >= 0 && weightDecay < 1)) {
                throw new SettingException("{weightDecay} %s is outside [0, 1)", weightDecay);
            }
            if (!(valFraction > 0 && valFraction < 1)) {
                throw new SettingException("{valFraction} %s is outside (0, 1)", valFraction);
            }
            range("patience", patience, 0, 10_000);
            range("maxBatches", maxBatches, 0, Integer.MAX_VALUE);
            if (!Double.isNaN(targetSensitivity) && !(targetSensitivity > 0 && targetSensitivity <= 1)) {
                throw new SettingException("{targetSensitivity} %s is outside (0, 1]", targetSensitivity);
            }
            required("fineTuning", fineTuning);
            if (!architecture.hasPretrainedBackbone() && !fineTuning.equals(FineTuning.NONE)) {
                throw new IllegalArgumentException("fine-tuning settings need a pretrained architecture; "
                        + architecture + " is trained from scratch");
            }
            if (architecture.hasPretrainedBackbone()) {
                range("trainFromBlock", fineTuning.trainFromBlock(), 0, MobileNetV2.STAGES);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 0.5f)) {
                throw new SettingException("{labelSmoothing} %s is outside [0, 0.5)", labelSmoothing);
            }
            if (!(suspectWeight >= 0 && suspectWeight <= 1)) {
                throw new SettingException("{suspectWeight} %s is outside [0, 1]", suspectWeight);
            }
            return new TrainingSettings(this);
        }

        private static void required(String name, Object value) {
            if (value == null) {
                throw new SettingException("{" + name + "} is required");
            }
        }

        private static void range(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new SettingException("{" + name + "} %s is outside [%s, %s]", value, min, max);
            }
        }
    }
}
