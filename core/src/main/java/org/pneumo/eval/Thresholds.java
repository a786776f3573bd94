package org.pneumo.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The rules that choose an operating threshold on validation scores (1 = PNEUMONIA; an image is called PNEUMONIA when
 * its score is at or above the threshold).
 *
 * <p>Every rule decides which images to call PNEUMONIA (those scored at or above some score {@code s}) and returns
 * the midpoint between {@code s} and the next lower distinct score, never a score itself: an image scored exactly on
 * the threshold would flip with the last bit of a recomputed probability, and the figures that defined the threshold
 * would not reproduce. Below the lowest score the threshold is half of it.
 */
public final class Thresholds {
    private Thresholds() {}

    /**
     * The threshold that maximises Youden's J (sensitivity + specificity - 1); the first (lowest) of equal ones. 0.5
     * when one class is absent.
     */
    public static double youden(int[] truth, double[] score) {
        Checks.truthAndScore(truth, score, false);
        long positives = Checks.positives(truth);
        long negatives = truth.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        double[] distinct = Arrays.stream(score).distinct().sorted().toArray();
        int best = 0;
        double bestJ = -2;
        for (int k = 0; k < distinct.length; k++) {
            ConfusionMatrix c = ConfusionMatrix.atThreshold(truth, score, distinct[k]);
            double j = (double) c.tp() / positives + (double) c.tn() / negatives - 1;
            if (j > bestJ) {
                bestJ = j;
                best = k;
            }
        }
        return below(distinct, best);
    }

    /**
     * The highest threshold whose sensitivity (share of positives scored at or above it) is at least {@code target}.
     * 0.5 when there are no positives.
     *
     * @throws IllegalArgumentException when the target is outside (0, 1]
     */
    public static double forSensitivity(int[] truth, double[] score, double target) {
        Checks.truthAndScore(truth, score, false);
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target sensitivity " + target + " is outside (0, 1]");
        }
        double[] positives = IntStream.range(0, truth.length).filter(i -> truth[i] == 1).mapToDouble(i -> score[i])
                .sorted().toArray();
        if (positives.length == 0) {
            return 0.5;
        }
        // Keeping the k highest-scored positives puts the cut just below the k-th highest positive score.
        int keep = (int) Math.ceil(target * positives.length - 1e-9);
        keep = Math.max(1, Math.min(positives.length, keep));
        double cut = positives[positives.length - keep];
        double[] distinct = Arrays.stream(score).distinct().sorted().toArray();
        return below(distinct, Arrays.binarySearch(distinct, cut));
    }

    /** The midpoint between {@code sorted[k]} and the next lower value (0 below a positive lowest one). */
    private static double below(double[] sorted, int k) {
        double high = sorted[k];
        double low = k > 0 ? sorted[k - 1] : high > 0 ? 0 : high - 1;
        double mid = low + (high - low) / 2;
        // Two adjacent doubles have no midpoint strictly between them: stay at or below the higher one.
        return mid > low ? mid : high;
    }
}
