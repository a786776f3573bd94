package org.pneumo.eval;

/**
 * ROC AUC as a plain number over binary labels (1 = PNEUMONIA) and scores, for training's per-epoch validation and the
 * bootstrap; reports use {@link Curves#rocAuc}, which says why the figure is undefined.
 */
public final class RankMetrics {
    private RankMetrics() {}

    /**
     * Area under the ROC curve by the Mann-Whitney statistic (ties count one half), or NaN when one class is absent.
     */
    public static double rocAuc(int[] truth, double[] score) {
        checkSizes(truth, score);
        int n = truth.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (truth[order[k]] == 1) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }

    private static void checkSizes(int[] truth, double[] score) {
        if (truth.length != score.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " values but score has " + score.length);
        }
    }
}
