package org.pneumo.train;

/** Threshold-free figures over binary labels (1 = PNEUMONIA) and scores: ROC AUC and Youden's J threshold. */
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

    /**
     * The threshold maximising sensitivity + specificity - 1 over all distinct scores (an image is positive when its
     * score is at or above the threshold); 0.5 when one class is absent.
     */
    public static double youdenThreshold(int[] truth, double[] score) {
        checkSizes(truth, score);
        long positives = java.util.Arrays.stream(truth).filter(t -> t == 1).count();
        long negatives = truth.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        double[] candidates = java.util.Arrays.stream(score).distinct().sorted().toArray();
        double best = 0.5;
        double bestJ = -2;
        for (double t : candidates) {
            long tp = 0;
            long tn = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean predicted = score[i] >= t;
                if (predicted && truth[i] == 1) {
                    tp++;
                } else if (!predicted && truth[i] == 0) {
                    tn++;
                }
            }
            double j = (double) tp / positives + (double) tn / negatives - 1;
            if (j > bestJ) {
                bestJ = j;
                best = t;
            }
        }
        return best;
    }

    /**
     * The highest threshold whose sensitivity (share of positives scored at or above it) is at least {@code target},
     * among the distinct scores; 0.5 when there are no positives.
     */
    public static double thresholdForSensitivity(int[] truth, double[] score, double target) {
        checkSizes(truth, score);
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target sensitivity " + target + " is outside (0, 1]");
        }
        double[] positives = java.util.stream.IntStream.range(0, truth.length).filter(i -> truth[i] == 1)
                .mapToDouble(i -> score[i]).sorted().toArray();
        if (positives.length == 0) {
            return 0.5;
        }
        // Keeping the k highest-scored positives needs the threshold at the k-th highest positive score.
        int keep = (int) Math.ceil(target * positives.length - 1e-9);
        keep = Math.max(1, Math.min(positives.length, keep));
        return positives[positives.length - keep];
    }

    private static void checkSizes(int[] truth, double[] score) {
        if (truth.length != score.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " values but score has " + score.length);
        }
    }
}
