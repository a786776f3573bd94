package org.pneumo.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * Confidence intervals: Wilson score intervals for proportions; for ROC AUC a percentile bootstrap, or on small samples
 * a score interval that does not collapse to a point.
 */
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

    /**
     * Score-type interval {low, high} for ROC AUC, in the manner of Wilson's interval for a proportion (Newcombe 2006,
     * "Confidence intervals for an effect size measure based on the Mann-Whitney statistic, part 2"): the AUC values
     * theta for which the observed {@code auc} lies within z standard errors, the standard error being Hanley and
     * McNeil's (1982) evaluated at theta, not at the observed value. Unlike the bootstrap it stays wide when a small
     * sample happens to be separated perfectly (AUC 1 on 8 + 8 images gives about 0.756-1).
     */
    public static double[] aucScore(double auc, long positives, long negatives, double z) {
        if (positives < 1 || negatives < 1) {
            throw new IllegalArgumentException("aucScore needs both classes, got " + positives + " PNEUMONIA and "
                    + negatives + " NORMAL");
        }
        if (!(auc >= 0 && auc <= 1)) {
            throw new IllegalArgumentException("auc must be within [0, 1], got " + auc);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be positive and finite, got " + z);
        }
        return new double[] {scoreEnd(auc, positives, negatives, z, 0.0), scoreEnd(auc, positives, negatives, z, 1.0)};
    }

    /** Bisection for the root of (auc - theta)^2 = z^2 var(theta) between auc and {@code bound} (0 or 1). */
    private static double scoreEnd(double auc, long positives, long negatives, double z, double bound) {
        if (outside(auc, bound, positives, negatives, z) <= 0) {
            return bound;
        }
        double inside = auc;
        double out = bound;
        for (int i = 0; i < 100; i++) {
            double mid = (inside + out) / 2;
            if (outside(auc, mid, positives, negatives, z) > 0) {
                out = mid;
            } else {
                inside = mid;
            }
        }
        return (inside + out) / 2;
    }

    private static double outside(double auc, double theta, long positives, long negatives, double z) {
        double d = auc - theta;
        return d * d - z * z * hanleyMcNeilVariance(theta, positives, negatives);
    }

    /**
     * Hanley and McNeil's variance of the AUC estimate when the true AUC is {@code theta}: theta (1 - theta) / (m n)
     * times [1 + (m - 1)(1 - theta) / (2 - theta) + (n - 1) theta / (1 + theta)], m positives and n negatives.
     */
    static double hanleyMcNeilVariance(double theta, long positives, long negatives) {
        return theta * (1 - theta) / ((double) positives * negatives)
                * (1 + (positives - 1) * (1 - theta) / (2 - theta) + (negatives - 1) * theta / (1 + theta));
    }
}
