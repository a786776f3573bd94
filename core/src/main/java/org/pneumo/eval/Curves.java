package org.pneumo.eval;

import java.util.Arrays;

/**
 * Threshold-free curves and areas, matching scikit-learn.
 *
 * <p>All functions take labels (1 = PNEUMONIA, 0 = NORMAL) and finite scores of the same length, at least one
 * image, and treat an image as PNEUMONIA at a threshold when its score is at or above it.
 */
public final class Curves {
    private Curves() {}

    /**
     * Points of the ROC curve, from the (0, 0) start at threshold +infinity down to the lowest score.
     *
     * @param fpr false positive rate at each threshold (NaN throughout when there are no NORMAL images)
     * @param tpr true positive rate at each threshold (NaN throughout when there are no PNEUMONIA images)
     * @param thresholds decreasing thresholds; the first is {@link Double#POSITIVE_INFINITY}
     */
    public record Roc(double[] fpr, double[] tpr, double[] thresholds) {
        /** Copies the arrays so that the curve cannot change after it is made. */
        public Roc {
            sameLengths("Roc: fpr, tpr and thresholds", fpr.length, tpr.length, thresholds.length);
            fpr = fpr.clone();
            tpr = tpr.clone();
            thresholds = thresholds.clone();
        }

        /** A copy of the false positive rates. */
        @Override
        public double[] fpr() {
            return fpr.clone();
        }

        /** A copy of the true positive rates. */
        @Override
        public double[] tpr() {
            return tpr.clone();
        }

        /** A copy of the thresholds. */
        @Override
        public double[] thresholds() {
            return thresholds.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Roc r && Arrays.equals(fpr, r.fpr) && Arrays.equals(tpr, r.tpr)
                    && Arrays.equals(thresholds, r.thresholds);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(fpr) + Arrays.hashCode(tpr)) + Arrays.hashCode(thresholds);
        }

        @Override
        public String toString() {
            return "Roc[fpr=" + Arrays.toString(fpr) + ", tpr=" + Arrays.toString(tpr) + ", thresholds="
                    + Arrays.toString(thresholds) + "]";
        }
    }

    /**
     * Points of the precision-recall curve in scikit-learn's order: increasing thresholds, then a final point
     * (precision 1, recall 0) that has no threshold, so {@code thresholds} is one shorter than the other two.
     *
     * @param precision precision at each threshold, then 1
     * @param recall recall at each threshold (1 throughout when there are no PNEUMONIA images), then 0
     * @param thresholds increasing distinct scores
     */
    public record PrecisionRecall(double[] precision, double[] recall, double[] thresholds) {
        /** Copies the arrays so that the curve cannot change after it is made. */
        public PrecisionRecall {
            sameLengths("PrecisionRecall: precision, recall and thresholds + 1", precision.length, recall.length,
                    thresholds.length + 1);
            precision = precision.clone();
            recall = recall.clone();
            thresholds = thresholds.clone();
        }

        /** A copy of the precisions. */
        @Override
        public double[] precision() {
            return precision.clone();
        }

        /** A copy of the recalls. */
        @Override
        public double[] recall() {
            return recall.clone();
        }

        /** A copy of the thresholds. */
        @Override
        public double[] thresholds() {
            return thresholds.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PrecisionRecall p && Arrays.equals(precision, p.precision)
                    && Arrays.equals(recall, p.recall) && Arrays.equals(thresholds, p.thresholds);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(precision) + Arrays.hashCode(recall)) + Arrays.hashCode(thresholds);
        }

        @Override
        public String toString() {
            return "PrecisionRecall[precision=" + Arrays.toString(precision) + ", recall=" + Arrays.toString(recall)
                    + ", thresholds=" + Arrays.toString(thresholds) + "]";
        }
    }

    /**
     * A reliability diagram: one entry per non-empty bin, in increasing order of score.
     *
     * @param meanPredicted mean score of the images in the bin
     * @param fractionPositive share of PNEUMONIA among the images in the bin
     * @param counts number of images in the bin (never 0)
     */
    public record Calibration(double[] meanPredicted, double[] fractionPositive, int[] counts) {
        /** Copies the arrays so that the diagram cannot change after it is made. */
        public Calibration {
            sameLengths("Calibration: meanPredicted, fractionPositive and counts", meanPredicted.length,
                    fractionPositive.length, counts.length);
            meanPredicted = meanPredicted.clone();
            fractionPositive = fractionPositive.clone();
            counts = counts.clone();
        }

        /** A copy of the mean scores. */
        @Override
        public double[] meanPredicted() {
            return meanPredicted.clone();
        }

        /** A copy of the shares of PNEUMONIA. */
        @Override
        public double[] fractionPositive() {
            return fractionPositive.clone();
        }

        /** A copy of the bin sizes. */
        @Override
        public int[] counts() {
            return counts.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Calibration c && Arrays.equals(meanPredicted, c.meanPredicted)
                    && Arrays.equals(fractionPositive, c.fractionPositive) && Arrays.equals(counts, c.counts);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(meanPredicted) + Arrays.hashCode(fractionPositive))
                    + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "Calibration[meanPredicted=" + Arrays.toString(meanPredicted) + ", fractionPositive="
                    + Arrays.toString(fractionPositive) + ", counts=" + Arrays.toString(counts) + "]";
        }
    }

    /**
     * Like sklearn.metrics.roc_curve(drop_intermediate=False): one point per distinct score, plus the (0,0) start.
     *
     * <p>The start's threshold is +infinity, as in scikit-learn 1.3 and later (earlier versions use the highest
     * score + 1). With one class absent the rates of the missing class are NaN, as scikit-learn returns them (it
     * also warns); check {@link #rocAuc} first when that can happen.
     */
    public static Roc roc(int[] truth, double[] score) {
        Checks.truthAndScore(truth, score, false);
        Steps steps = Steps.of(truth, score);
        int k = steps.thresholds.length;
        double[] fpr = new double[k + 1];
        double[] tpr = new double[k + 1];
        double[] thresholds = new double[k + 1];
        thresholds[0] = Double.POSITIVE_INFINITY;
        long negatives = steps.fps[k - 1];
        long positives = steps.tps[k - 1];
        // A missing class makes its rate NaN at every point, the (0, 0) start included, as scikit-learn reports it.
        fpr[0] = negatives == 0 ? Double.NaN : 0.0;
        tpr[0] = positives == 0 ? Double.NaN : 0.0;
        for (int i = 0; i < k; i++) {
            fpr[i + 1] = negatives == 0 ? Double.NaN : (double) steps.fps[i] / negatives;
            tpr[i + 1] = positives == 0 ? Double.NaN : (double) steps.tps[i] / positives;
            thresholds[i + 1] = steps.thresholds[i];
        }
        return new Roc(fpr, tpr, thresholds);
    }

    /**
     * Like sklearn.metrics.precision_recall_curve (same point order and the final (precision 1, recall 0) point).
     *
     * <p>With no PNEUMONIA images recall is 1 at every threshold, as scikit-learn sets it (it also warns).
     */
    public static PrecisionRecall precisionRecall(int[] truth, double[] score) {
        Checks.truthAndScore(truth, score, false);
        Steps steps = Steps.of(truth, score);
        int k = steps.thresholds.length;
        long positives = steps.tps[k - 1];
        double[] precision = new double[k + 1];
        double[] recall = new double[k + 1];
        double[] thresholds = new double[k];
        for (int i = 0; i < k; i++) {
            // Steps run from the highest threshold down; this curve runs from the lowest up.
            int from = k - 1 - i;
            precision[i] = (double) steps.tps[from] / (steps.tps[from] + steps.fps[from]);
            recall[i] = positives == 0 ? 1.0 : (double) steps.tps[from] / positives;
            thresholds[i] = steps.thresholds[from];
        }
        precision[k] = 1.0;
        recall[k] = 0.0;
        return new PrecisionRecall(precision, recall, thresholds);
    }

    /**
     * Like sklearn.metrics.average_precision_score: sum over thresholds of (R_n - R_{n-1}) * P_n.
     *
     * <p>Undefined when there are no PNEUMONIA images (recall has no denominator).
     */
    public static Figure averagePrecision(int[] truth, double[] score) {
        Checks.truthAndScore(truth, score, false);
        if (Checks.positives(truth) == 0) {
            return Figure.undefined("no PNEUMONIA images");
        }
        PrecisionRecall curve = precisionRecall(truth, score);
        double[] p = curve.precision;
        double[] r = curve.recall;
        double sum = 0;
        for (int i = 0; i < r.length - 1; i++) {
            sum += (r[i] - r[i + 1]) * p[i];
        }
        return Figure.of(sum);
    }

    /** ROC AUC by {@link RankMetrics#rocAuc} (ties count one half); undefined when one class is absent. */
    public static Figure rocAuc(int[] truth, double[] score) {
        Checks.truthAndScore(truth, score, false);
        long positives = Checks.positives(truth);
        if (positives == 0) {
            return Figure.undefined("no PNEUMONIA images");
        }
        if (positives == truth.length) {
            return Figure.undefined("no NORMAL images");
        }
        return Figure.of(RankMetrics.rocAuc(truth, score));
    }

    /**
     * Like sklearn.calibration.calibration_curve(strategy="uniform", n_bins=bins): empty bins are left out.
     *
     * <p>Bins split [0, 1] into equal widths; bin i holds scores in (i/bins, (i+1)/bins], except that the first bin
     * also holds 0, so a score on an inner edge belongs to the lower bin, as in scikit-learn. Scores must lie in
     * [0, 1].
     */
    public static Calibration calibration(int[] truth, double[] score, int bins) {
        Checks.truthAndScore(truth, score, false);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        double width = 1.0 / bins;
        double[] sums = new double[bins];
        long[] positives = new long[bins];
        int[] counts = new int[bins];
        for (int i = 0; i < score.length; i++) {
            double s = score[i];
            if (s < 0 || s > 1) {
                throw new IllegalArgumentException("score[" + i + "] is " + s
                        + " but calibration needs scores within [0, 1]; score has " + score.length + " values");
            }
            // The edges are computed as j * width, as numpy's linspace does, so that scores on an edge land in the
            // same bin as in scikit-learn; the bin is the number of inner edges strictly below the score.
            int bin = 0;
            while (bin < bins - 1 && (bin + 1) * width < s) {
                bin++;
            }
            sums[bin] += s;
            positives[bin] += truth[i];
            counts[bin]++;
        }
        int nonEmpty = (int) Arrays.stream(counts).filter(c -> c > 0).count();
        double[] meanPredicted = new double[nonEmpty];
        double[] fractionPositive = new double[nonEmpty];
        int[] keptCounts = new int[nonEmpty];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                meanPredicted[k] = sums[b] / counts[b];
                fractionPositive[k] = (double) positives[b] / counts[b];
                keptCounts[k] = counts[b];
                k++;
            }
        }
        return new Calibration(meanPredicted, fractionPositive, keptCounts);
    }

    private static void sameLengths(String what, int a, int b, int c) {
        if (a != b || b != c) {
            throw new IllegalArgumentException(what + " must have equal lengths, got " + a + ", " + b + " and " + c);
        }
    }

    /**
     * Cumulative counts at each distinct score, from the highest score down: the images scored at or above
     * {@code thresholds[i]} hold {@code tps[i]} PNEUMONIA and {@code fps[i]} NORMAL. Tied scores form one step, so a
     * tie across the classes is one diagonal segment of the ROC curve (as in scikit-learn) rather than a staircase
     * that would depend on the order of the images.
     */
    private record Steps(double[] thresholds, long[] tps, long[] fps) {
        static Steps of(int[] truth, double[] score) {
            int n = truth.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            double[] thresholds = new double[n];
            long[] tps = new long[n];
            long[] fps = new long[n];
            int k = 0;
            long tp = 0;
            long fp = 0;
            for (int i = 0; i < n; i++) {
                int image = order[i];
                tp += truth[image];
                fp += 1 - truth[image];
                // Close a step after the last image of a run of equal scores (== also joins 0.0 and -0.0).
                if (i == n - 1 || score[order[i + 1]] != score[image]) {
                    thresholds[k] = score[image];
                    tps[k] = tp;
                    fps[k] = fp;
                    k++;
                }
            }
            return new Steps(Arrays.copyOf(thresholds, k), Arrays.copyOf(tps, k), Arrays.copyOf(fps, k));
        }
    }
}
