package org.pneumo.eval;

import java.util.Arrays;
import java.util.Random;

/** Confidence intervals: Wilson score intervals for proportions and a percentile bootstrap for ROC AUC. */
public final class Intervals {
    /**
     * The two-sided 95% normal quantile (scipy's norm.isf(0.025)); 1.96 would differ from statsmodels in the third
     * decimal of some intervals' ends.
     */
    public static final double Z_95 = 1.959963984540054;

    private Intervals() {}

    /**
     * Wilson score interval {low, high} for {@code successes} out of {@code n}, the same as statsmodels'
     * {@code proportion_confint(method="wilson")}. Chosen over the normal (Wald) interval because it stays inside
     * [0, 1] and keeps its coverage near 0 and 1, where sensitivities of a good detector live.
     *
     * @param z the normal quantile, e.g. {@link #Z_95}
     */
    public static double[] wilson(long successes, long n, double z) {
        if (n <= 0) {
            throw new IllegalArgumentException("wilson needs n > 0, got n " + n + " (successes " + successes + ")");
        }
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("successes must be within 0.." + n + ", got " + successes);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be positive and finite, got " + z);
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // With no successes the low end is 0 in exact arithmetic, and with no failures the high end is 1; set them so
        // that rounding (about 1e-16) cannot report 0.9999999999999999 for a perfect sensitivity.
        double low = successes == 0 ? 0.0 : Math.max(0.0, center - half);
        double high = successes == n ? 1.0 : Math.min(1.0, center + half);
        return new double[] {low, high};
    }

    /**
     * Percentile bootstrap (2.5%, 97.5%) of ROC AUC: `resamples` resamples of the images with replacement, seeded;
     * resamples that lack a class are drawn again; returns {low, high}; requires both classes present.
     *
     * <p>The percentiles interpolate linearly between order statistics, like numpy's default {@code percentile}.
     * The generator is {@link java.util.Random}, whose sequence the JDK specifies, so a seed gives the same interval
     * on every JVM.
     */
    public static double[] bootstrapAuc(int[] truth, double[] score, int resamples, long seed) {
        Checks.truthAndScore(truth, score, false);
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        int n = truth.length;
        long positives = Checks.positives(truth);
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("bootstrapAuc needs both classes, but truth has " + positives
                    + " PNEUMONIA and " + (n - positives) + " NORMAL of " + n + " images");
        }
        Random random = new Random(seed);
        int[] t = new int[n];
        double[] s = new double[n];
        double[] aucs = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            // A draw lacks a class with probability at most 1/2 (one image of each class, n = 2), so this ends.
            long drawnPositives;
            do {
                drawnPositives = 0;
                for (int i = 0; i < n; i++) {
                    int pick = random.nextInt(n);
                    t[i] = truth[pick];
                    s[i] = score[pick];
                    drawnPositives += t[i];
                }
            } while (drawnPositives == 0 || drawnPositives == n);
            aucs[r] = RankMetrics.rocAuc(t, s);
        }
        Arrays.sort(aucs);
        return new double[] {percentile(aucs, 0.025), percentile(aucs, 0.975)};
    }

    /** Linear interpolation between the order statistics around rank q * (n - 1), as numpy does by default. */
    private static double percentile(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
