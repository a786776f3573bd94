package org.pneumo.eval;

import org.pneumo.data.Diagnosis;

/**
 * Counts of a binary confusion matrix (rows actual NORMAL/PNEUMONIA, columns predicted).
 *
 * <p>The proportions come with 95% Wilson intervals ({@link Intervals#wilson} with {@link Intervals#Z_95}) and are
 * undefined, with a reason, when their denominator is zero.
 *
 * @param tn NORMAL images predicted NORMAL
 * @param fp NORMAL images predicted PNEUMONIA
 * @param fn PNEUMONIA images predicted NORMAL
 * @param tp PNEUMONIA images predicted PNEUMONIA
 */
public record ConfusionMatrix(long tn, long fp, long fn, long tp) {

    /** Rejects negative counts. */
    public ConfusionMatrix {
        if (tn < 0 || fp < 0 || fn < 0 || tp < 0) {
            throw new IllegalArgumentException(
                    "counts must not be negative, got tn " + tn + ", fp " + fp + ", fn " + fn + ", tp " + tp);
        }
    }

    /** Counts labels against predictions (both 0 = NORMAL or 1 = PNEUMONIA); empty arrays give all zeros. */
    public static ConfusionMatrix of(int[] truth, int[] predicted) {
        Checks.sameSize(truth, "predicted", predicted.length);
        Checks.labels("truth", truth);
        Checks.labels("predicted", predicted);
        long[] counts = new long[4];
        for (int i = 0; i < truth.length; i++) {
            counts[2 * truth[i] + predicted[i]]++;
        }
        return new ConfusionMatrix(counts[0], counts[1], counts[2], counts[3]);
    }

    /** Counts labels against "PNEUMONIA when score >= threshold" (the threshold itself counts as PNEUMONIA). */
    public static ConfusionMatrix atThreshold(int[] truth, double[] score, double threshold) {
        Checks.truthAndScore(truth, score, true);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        int[] predicted = new int[score.length];
        for (int i = 0; i < score.length; i++) {
            predicted[i] = Diagnosis.at(score[i], threshold).index();
        }
        return of(truth, predicted);
    }

    /** The number of images counted. */
    public long total() {
        return tn + fp + fn + tp;
    }

    /** The counts as {{tn, fp}, {fn, tp}}, the layout of scikit-learn's confusion_matrix; a fresh array each call. */
    public long[][] asArray() {
        return new long[][] {{tn, fp}, {fn, tp}};
    }

    /** Share of images predicted correctly; undefined when no images were counted. */
    public Figure accuracy() {
        return proportion(tn + tp, total(), "no images");
    }

    /** Recall of PNEUMONIA (true positive rate); undefined with no PNEUMONIA images. */
    public Figure sensitivity() {
        return proportion(tp, tp + fn, "no PNEUMONIA images");
    }

    /** Recall of NORMAL (true negative rate); undefined with no NORMAL images. */
    public Figure specificity() {
        return proportion(tn, tn + fp, "no NORMAL images");
    }

    /** Precision of PNEUMONIA (positive predictive value); undefined when nothing was predicted PNEUMONIA. */
    public Figure ppv() {
        return proportion(tp, tp + fp, "nothing predicted PNEUMONIA");
    }

    /** Precision of NORMAL (negative predictive value); undefined when nothing was predicted NORMAL. */
    public Figure npv() {
        return proportion(tn, tn + fn, "nothing predicted NORMAL");
    }

    private static Figure proportion(long successes, long n, String reasonWhenEmpty) {
        if (n == 0) {
            return Figure.undefined(reasonWhenEmpty);
        }
        double[] interval = Intervals.wilson(successes, n, Intervals.Z_95);
        return Figure.of((double) successes / n).withInterval(interval[0], interval[1]);
    }
}
