package org.pneumo.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pneumo.data.Csv;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.SkippedFile;

/**
 * The immutable result of running a model over labelled images: every image's probability of PNEUMONIA and the
 * figures a clinician-researcher expects, at the operating threshold and at 0.5, with 95% intervals. It can write
 * itself as {@code metrics.json} fields, {@code predictions.csv} rows and console text.
 */
public final class Evaluation {
    /** Bootstrap resamples for the ROC AUC interval. */
    public static final int BOOTSTRAP_RESAMPLES = 2000;
    /** Below this many images, or {@link #SMALL_CLASS} images of a class, the figures are called unreliable. */
    public static final int SMALL_SAMPLE = 50;
    public static final int SMALL_CLASS = 10;
    /** Equal-width probability bins of the calibration diagram and the expected calibration error. */
    public static final int CALIBRATION_BINS = 10;

    private final List<LabeledImage> images;
    private final double[] probabilities;
    private final int[] truth;
    private final double threshold;
    private final String thresholdMethod;
    private final List<SkippedFile> skipped;
    private final ConfusionMatrix atThreshold;
    private final ConfusionMatrix atHalf;
    private final Figure rocAuc;
    private final Figure averagePrecision;

    private Evaluation(List<LabeledImage> images, double[] probabilities, double threshold, String thresholdMethod,
            List<SkippedFile> skipped, long seed) {
        if (images.size() != probabilities.length) {
            throw new IllegalArgumentException(
                    "images has " + images.size() + " entries but probabilities has " + probabilities.length);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        this.images = List.copyOf(images);
        this.probabilities = probabilities.clone();
        this.truth = images.stream().mapToInt(i -> i.label().index()).toArray();
        this.threshold = threshold;
        this.thresholdMethod = thresholdMethod;
        this.skipped = List.copyOf(skipped);
        this.atThreshold = ConfusionMatrix.atThreshold(truth, this.probabilities, threshold);
        this.atHalf = ConfusionMatrix.atThreshold(truth, this.probabilities, 0.5);
        Figure auc = Curves.rocAuc(truth, this.probabilities);
        if (auc.defined()) {
            // The bootstrap collapses on small samples (AUC 1 on 16 images gives 1-1): use the score interval there.
            double[] ci = smallSample() ? Intervals.aucScore(auc.value(), count(1), count(0), Intervals.Z_95)
                    : Intervals.bootstrapAuc(truth, this.probabilities, BOOTSTRAP_RESAMPLES, seed);
            auc = auc.withInterval(ci[0], ci[1]);
        }
        this.rocAuc = auc;
        this.averagePrecision = Curves.averagePrecision(truth, this.probabilities);
    }

    /**
     * Evaluates probabilities already computed for {@code images}.
     *
     * @param threshold the operating threshold (an image is PNEUMONIA when its probability is at or above it)
     * @param thresholdMethod how that threshold was chosen, in words
     * @param skipped files that could not be read (reported, not scored)
     * @param seed seeds the bootstrap of the AUC interval
     */
    public static Evaluation of(List<LabeledImage> images, double[] probabilities, double threshold,
            String thresholdMethod, List<SkippedFile> skipped, long seed) {
        return new Evaluation(images, probabilities, threshold, thresholdMethod, skipped, seed);
    }

    /** Whether there are too few images (or too few of a class) for the figures to mean much. */
    public boolean smallSample() {
        return truth.length < SMALL_SAMPLE || Math.min(count(0), count(1)) < SMALL_CLASS;
    }

    /** One sentence for the reader when {@link #smallSample()}, else null. */
    public String smallSampleWarning() {
        if (!smallSample()) {
            return null;
        }
        return String.format(Locale.ROOT, "Only %d images (%d NORMAL, %d PNEUMONIA): below %d images or %d of a class"
                + " these figures are unreliable (one image moves accuracy by %.1f points); read the intervals, not"
                + " the values.", truth.length, count(0), count(1), SMALL_SAMPLE, SMALL_CLASS, 100.0 / truth.length);
    }

    private String aucIntervalMethod() {
        return smallSample() ? "score interval with the Hanley-McNeil standard error (small sample)"
                : "percentile bootstrap (" + BOOTSTRAP_RESAMPLES + " resamples, seeded)";
    }

    public List<LabeledImage> images() {
        return images;
    }

    public double[] probabilities() {
        return probabilities.clone();
    }

    public int[] truth() {
        return truth.clone();
    }

    public double threshold() {
        return threshold;
    }

    public String thresholdMethod() {
        return thresholdMethod;
    }

    public List<SkippedFile> skipped() {
        return skipped;
    }

    /** The confusion matrix at the operating threshold. */
    public ConfusionMatrix confusion() {
        return atThreshold;
    }

    /** The confusion matrix at 0.5. */
    public ConfusionMatrix confusionAtHalf() {
        return atHalf;
    }

    public Figure rocAuc() {
        return rocAuc;
    }

    public Figure averagePrecision() {
        return averagePrecision;
    }

    public Curves.Roc roc() {
        return Curves.roc(truth, probabilities);
    }

    public Curves.PrecisionRecall precisionRecall() {
        return Curves.precisionRecall(truth, probabilities);
    }

    public Curves.Calibration calibration() {
        return Curves.calibration(truth, probabilities, CALIBRATION_BINS);
    }

    /** The expected calibration error of the probabilities ({@link #CALIBRATION_BINS} equal-width bins). */
    public double expectedCalibrationError() {
        return TemperatureScaling.expectedCalibrationError(truth, probabilities, CALIBRATION_BINS);
    }

    /** The predicted class of image {@code i} at the operating threshold. */
    public Diagnosis predicted(int i) {
        return Diagnosis.at(probabilities[i], threshold);
    }

    /** The fields of {@code metrics.json}: headline figures at the operating threshold, and the same at 0.5. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_images", images.size());
        m.put("n_normal", count(0));
        m.put("n_pneumonia", count(1));
        m.put("n_skipped_files", skipped.size());
        m.put("threshold", threshold);
        m.put("threshold_method", thresholdMethod);
        put(m, "accuracy", atThreshold.accuracy());
        put(m, "sensitivity", atThreshold.sensitivity());
        put(m, "specificity", atThreshold.specificity());
        put(m, "ppv", atThreshold.ppv());
        put(m, "npv", atThreshold.npv());
        put(m, "roc_auc", rocAuc);
        put(m, "average_precision", averagePrecision);
        m.put("confusion_matrix", atThreshold.asArray());
        m.put("confusion_matrix_layout", "[[TN, FP], [FN, TP]]; rows actual NORMAL, PNEUMONIA; columns predicted");
        Map<String, Object> half = new LinkedHashMap<>();
        half.put("threshold", 0.5);
        put(half, "accuracy", atHalf.accuracy());
        put(half, "sensitivity", atHalf.sensitivity());
        put(half, "specificity", atHalf.specificity());
        put(half, "ppv", atHalf.ppv());
        put(half, "npv", atHalf.npv());
        half.put("confusion_matrix", atHalf.asArray());
        m.put("at_0.5", half);
        m.put("expected_calibration_error", expectedCalibrationError());
        m.put("expected_calibration_error_bins", CALIBRATION_BINS);
        m.put("intervals", "95%: Wilson for proportions; " + aucIntervalMethod() + " for ROC AUC");
        m.put("small_sample", smallSample());
        if (smallSample()) {
            m.put("small_sample_warning", smallSampleWarning());
        }
        return m;
    }

    private long count(int cls) {
        long n = 0;
        for (int t : truth) {
            if (t == cls) {
                n++;
            }
        }
        return n;
    }

    /** A defined figure becomes a number with {@code <key>_ci}; an undefined one becomes null with a reason. */
    private static void put(Map<String, Object> m, String key, Figure f) {
        if (f.defined()) {
            m.put(key, f.value());
            if (f.hasInterval()) {
                m.put(key + "_ci", new double[] {f.low(), f.high()});
            }
        } else {
            m.put(key, null);
            m.put(key + "_undefined", f.undefinedReason());
        }
    }

    /** {@code predictions.csv}: file, true label, probability of pneumonia, predicted label. */
    public String predictionsCsv() {
        StringBuilder sb = new StringBuilder("file,true_label,probability_pneumonia,predicted_label\n");
        for (int i = 0; i < images.size(); i++) {
            sb.append(Csv.field(images.get(i).file().toString())).append(',').append(images.get(i).label()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", probabilities[i])).append(',').append(predicted(i))
                    .append('\n');
        }
        return sb.toString();
    }

    /** The headline figures and the classification report as console text. */
    public String summaryText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d images (%d NORMAL, %d PNEUMONIA), %d files skipped%n",
                images.size(), count(0), count(1), skipped.size()));
        if (smallSample()) {
            sb.append("WARNING: ").append(smallSampleWarning()).append(String.format(Locale.ROOT, "%n"));
        }
        sb.append(String.format(Locale.ROOT, "ROC AUC            %s%n", rocAuc.format(4)));
        sb.append(String.format(Locale.ROOT, "average precision  %s%n", averagePrecision.format(4)));
        sb.append(String.format(Locale.ROOT, "calibration error  %.4f (expected calibration error, %d bins)%n",
                expectedCalibrationError(), CALIBRATION_BINS));
        for (Object[] row : new Object[][] {
            {String.format(Locale.ROOT, "at the operating threshold %.4f (%s)", threshold, thresholdMethod),
                atThreshold},
            {"at threshold 0.5", atHalf}}) {
            ConfusionMatrix c = (ConfusionMatrix) row[1];
            sb.append(String.format(Locale.ROOT, "%n%s:%n", row[0]));
            sb.append(String.format(Locale.ROOT, "  accuracy     %s%n", c.accuracy().format(4)));
            sb.append(String.format(Locale.ROOT, "  sensitivity  %s%n", c.sensitivity().format(4)));
            sb.append(String.format(Locale.ROOT, "  specificity  %s%n", c.specificity().format(4)));
            sb.append(String.format(Locale.ROOT, "  PPV          %s%n", c.ppv().format(4)));
            sb.append(String.format(Locale.ROOT, "  NPV          %s%n", c.npv().format(4)));
            sb.append(String.format(Locale.ROOT, "  confusion matrix (rows actual, columns predicted NORMAL,"
                    + " PNEUMONIA): [[%d, %d], [%d, %d]]%n", c.tn(), c.fp(), c.fn(), c.tp()));
        }
        sb.append(String.format(Locale.ROOT, "%nclassification report at the operating threshold:%n%n"));
        sb.append(ClassificationReport.of(atThreshold).toText());
        return sb.toString();
    }
}
