package org.pneumo.eval;

/** Argument checks shared by the metric functions, so that every bad input is reported the same way. */
final class Checks {
    private Checks() {}

    static void sameSize(int[] truth, String otherName, int otherLength) {
        if (truth.length != otherLength) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " values but " + otherName + " has " + otherLength);
        }
    }

    static void notEmpty(int[] truth) {
        if (truth.length == 0) {
            throw new IllegalArgumentException("truth and score are empty (0 values)");
        }
    }

    /** Labels must be 0 or 1: anything else is almost always a class-index mix-up that would silently skew counts. */
    static void labels(String name, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + labels[i]
                        + " but labels must be 0 (NORMAL) or 1 (PNEUMONIA); " + name + " has " + labels.length
                        + " values");
            }
        }
    }

    /** Scores must be finite, as scikit-learn requires: a NaN would otherwise sort or compare arbitrarily. */
    static void scores(double[] score) {
        for (int i = 0; i < score.length; i++) {
            if (!Double.isFinite(score[i])) {
                throw new IllegalArgumentException(
                        "score[" + i + "] is " + score[i] + " but scores must be finite; score has "
                                + score.length + " values");
            }
        }
    }

    /** The common checks for a truth/score pair; {@code allowEmpty} is false for threshold-free figures. */
    static void truthAndScore(int[] truth, double[] score, boolean allowEmpty) {
        sameSize(truth, "score", score.length);
        if (!allowEmpty) {
            notEmpty(truth);
        }
        labels("truth", truth);
        scores(score);
    }

    static long positives(int[] truth) {
        long positives = 0;
        for (int t : truth) {
            positives += t;
        }
        return positives;
    }
}
