package org.pneumo.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.InputSpec;

/**
 * Everything needed to rebuild a saved network and use it correctly, stored as {@code model.json} beside the weights:
 * architecture, input, classes, operating threshold, how it was trained, on what data, and how it did on validation.
 *
 * @param formatVersion version of this file's layout; loading refuses other versions
 * @param modelId a name for this trained model (architecture, date and a short hash of the weights)
 * @param architecture the {@link Architecture#id()}
 * @param parameterCount number of trainable values, checked on load
 * @param input image size and channels the network was trained on
 * @param preprocessing how a file becomes the input tensor, in words
 * @param classes class names in output order
 * @param threshold the operating threshold on P(PNEUMONIA) and how it was chosen
 * @param training the settings and seed it was trained with
 * @param data what it was trained on
 * @param validation validation figures of the kept epoch
 * @param created ISO-8601 time the file was written
 * @param card the human description (intended use, limits, failure modes), or null when none was written
 * @param scope the out-of-scope guard stored beside the weights and how its cut was chosen, or null when the model
 *     has none (older folders)
 * @param calibration the temperature that calibrates P(PNEUMONIA) and how it was fitted, or null when the network's
 *     own softmax is reported (older folders)
 */
public record ModelInfo(
        int formatVersion,
        String modelId,
        String architecture,
        long parameterCount,
        Input input,
        String preprocessing,
        List<String> classes,
        Threshold threshold,
        Map<String, Object> training,
        Map<String, Object> data,
        Map<String, Object> validation,
        String created,
        ModelCard card,
        Scope scope,
        Calibration calibration) {

    /**
     * The {@code model.json} layout this version writes. Version 2: {@code cnn-lstm} standardises each image inside the
     * network; version-1 files are read for {@code seed} only (unchanged), a version-1 {@code cnn-lstm} is refused.
     */
    public static final int FORMAT_VERSION = 2;

    /** How every model of this version turns a file into a tensor. */
    public static final String PREPROCESSING = "decode (gray from raw samples; RGB to gray by Rec.601 luma when"
            + " channels=1, gray repeated when channels=3; 16-bit scaled to 8-bit); an image larger than 224 px is first"
            + " made like the Kaggle training copies (tent filter to 224x224, JPEG round trip at quality 75); then"
            + " resized to a square without keeping the aspect ratio (tent filter when shrinking, bilinear when"
            + " enlarging), pixels / 255";

    public ModelInfo {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(threshold, "threshold");
        classes = List.copyOf(classes);
        // Unmodifiable copies that keep the order they were given in, so rewriting model.json (a new card, guard or
        // threshold) leaves the other objects as they were.
        training = ordered(training);
        data = ordered(data);
        validation = ordered(validation);
    }

    private static Map<String, Object> ordered(Map<String, Object> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }

    /** A model without calibration. */
    public ModelInfo(int formatVersion, String modelId, String architecture, long parameterCount, Input input,
            String preprocessing, List<String> classes, Threshold threshold, Map<String, Object> training,
            Map<String, Object> data, Map<String, Object> validation, String created, ModelCard card, Scope scope) {
        this(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes, threshold, training,
                data, validation, created, card, scope, null);
    }

    /** A model without an out-of-scope guard. */
    public ModelInfo(int formatVersion, String modelId, String architecture, long parameterCount, Input input,
            String preprocessing, List<String> classes, Threshold threshold, Map<String, Object> training,
            Map<String, Object> data, Map<String, Object> validation, String created, ModelCard card) {
        this(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes, threshold, training,
                data, validation, created, card, null, null);
    }

    /**
     * The settings of the validation split, or null when {@code model.json} does not record them (a model not made by
     * {@code pneumo train}).
     */
    public Provenance.Split split() {
        return training.get("valFraction") instanceof Number && training.get("seed") instanceof Number
                ? Provenance.Split.of(training) : null;
    }

    /** The {@link #architecture()} of an ensemble: a folder of member models whose probabilities are averaged. */
    public static final String ENSEMBLE = "ensemble";

    /**
     * An ensemble's member folders, relative to its own folder, from {@code training.members}; empty for a single
     * network.
     */
    public List<String> members() {
        if (!ENSEMBLE.equals(architecture) || !(training.get("members") instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** What the model was trained on (fields this {@code model.json} lacks are null or 0). */
    public Provenance.Data dataProvenance() {
        return Provenance.Data.of(data);
    }

    /** The validation figures of the kept epoch (figures this {@code model.json} lacks are NaN). */
    public Provenance.Validation validationFigures() {
        return Provenance.Validation.of(validation);
    }

    /** A copy with another card. */
    public ModelInfo withCard(ModelCard newCard) {
        return new ModelInfo(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes,
                threshold, training, data, validation, created, newCard, scope, calibration);
    }

    /**
     * A copy for people to read: the training folder that older versions recorded as an absolute path of the machine
     * that made the model is shortened ({@link Provenance.Data#forPeople}); everything else unchanged.
     */
    public ModelInfo withoutMachinePaths() {
        if (!(data.get("folder") instanceof String folder)) {
            return this;
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>(data);
        shown.put("folder", Provenance.Data.forPeople(folder));
        return new ModelInfo(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes,
                threshold, training, shown, validation, created, card, scope, calibration);
    }

    /** A copy with another out-of-scope guard description. */
    public ModelInfo withScope(Scope newScope) {
        return new ModelInfo(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes,
                threshold, training, data, validation, created, card, newScope, calibration);
    }

    /**
     * The out-of-scope guard: how typical an image's features are of the training images, and the cut above which a
     * prediction is flagged as unreliable.
     *
     * @param file the guard's file in the model folder
     * @param method the typicality score, in words
     * @param features which of the network's values are scored
     * @param featureCount length of the feature vector
     * @param trainImages images the class means and covariance were fitted on
     * @param validationImages images the cut was placed on (never training images)
     * @param cutPercentile the share of validation images inside the cut
     * @param cut the distance above which an image is out of scope
     * @param chosen how the cut was chosen, in words
     * @param stages the backbone stages whose spatial means are the features (empty: the maps' means and the
     *     sequence summary, as in folders fitted before stages could be read)
     */
    public record Scope(String file, String method, String features, int featureCount, int trainImages,
            int validationImages, double cutPercentile, double cut, String chosen, List<Integer> stages) {
        public Scope {
            Objects.requireNonNull(file, "file");
            stages = stages == null ? List.of() : List.copyOf(stages); // folders fitted before stages were read
            if (!(cutPercentile > 0 && cutPercentile <= 1)) {
                throw new IllegalArgumentException("cutPercentile " + cutPercentile + " is outside (0, 1]");
            }
        }
    }

    /**
     * A model id: the architecture, the UTC time to the second and the first 8 hex digits of the SHA-256 of
     * {@code weights.params}, so that two models made in the same second differ and anyone can check which weights an
     * id names ({@code sha256sum weights.params}).
     */
    public static String newId(String architecture, java.time.Instant time, byte[] weights) {
        String hash;
        try {
            hash = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(weights), 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
        return architecture + "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(time) + "-" + hash;
    }

    /** Class names in output order for this version. */
    public static List<String> defaultClasses() {
        return java.util.Arrays.stream(Diagnosis.values()).map(Enum::name).toList();
    }

    /** The input spec as used by the data pipeline. */
    public InputSpec inputSpec() {
        return new InputSpec(input.imageSize(), input.channels());
    }

    /** The input the network expects. */
    public record Input(int imageSize, int channels) {
        public Input {
            new InputSpec(imageSize, channels); // validates
        }

        public static Input of(InputSpec spec) {
            return new Input(spec.imageSize(), spec.channels());
        }
    }

    /**
     * The probability of PNEUMONIA at or above which an image is called PNEUMONIA, and how it was chosen.
     *
     * @param value the threshold
     * @param method the rule that chose it, in words
     * @param placement where the rule puts the threshold between validation scores, or null when the model does not
     *     say (models made before thresholds were placed between scores)
     * @param rechosen when and how the threshold was chosen again on the model's validation split after training, or
     *     null when it is the one training chose
     */
    public record Threshold(double value, String method, String placement, Rechosen rechosen) {
        public Threshold {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("threshold " + value + " is outside [0, 1]");
            }
            Objects.requireNonNull(method, "method");
        }

        /** A threshold as training chose it, without a recorded placement. */
        public Threshold(double value, String method) {
            this(value, method, null, null);
        }
    }

    /**
     * A threshold chosen again after training, with the same weights.
     *
     * @param time ISO-8601 time it was chosen
     * @param by what chose it (the command)
     * @param validationImages validation images it was chosen on
     * @param previousValue the threshold it replaced
     * @param previousMethod how that one had been chosen
     */
    public record Rechosen(String time, String by, int validationImages, double previousValue,
            String previousMethod) {
        public Rechosen {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(by, "by");
        }
    }

    /** A copy with another calibration (null: none). */
    public ModelInfo withCalibration(Calibration newCalibration) {
        return new ModelInfo(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes,
                threshold, training, data, validation, created, card, scope, newCalibration);
    }

    /** The temperature that divides the logit of P(PNEUMONIA): 1 without calibration. */
    public double temperature() {
        return calibration == null ? 1.0 : calibration.temperature();
    }

    /**
     * Temperature scaling of P(PNEUMONIA): the logit divided by {@code temperature} (rankings unchanged; the
     * threshold is chosen on the calibrated probabilities).
     *
     * @param temperature in (0, 50]
     * @param fittedOn the images it was fitted on, in words
     * @param images how many
     * @param eceBefore expected calibration error on them before (10 equal-width bins)
     * @param eceAfter the same after
     */
    public record Calibration(double temperature, String method, String fittedOn, int images, double eceBefore,
            double eceAfter) {
        public Calibration {
            if (!(temperature > 0 && temperature <= 50)) {
                throw new IllegalArgumentException("temperature " + temperature + " is outside (0, 50]");
            }
        }
    }

    /** A copy with another operating threshold and validation figures (the weights and everything else unchanged). */
    public ModelInfo withThreshold(Threshold newThreshold, Map<String, Object> newValidation) {
        return new ModelInfo(formatVersion, modelId, architecture, parameterCount, input, preprocessing, classes,
                newThreshold, training, data, newValidation, created, card, scope, calibration);
    }
}
