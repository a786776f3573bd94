package org.pneumo.eval;

/**
 * A rule that chooses the operating threshold on validation scores: Youden's J, or the highest threshold whose
 * sensitivity reaches a target. Training and {@code pneumo threshold} choose through it, so a model's recorded rule
 * and the threshold it gives always come from the same code.
 *
 * @param targetSensitivity the sensitivity to reach, in (0, 1], or NaN for Youden's J
 */
public record ThresholdRule(double targetSensitivity) {
    /** Where every rule puts the threshold between the scores it separates (see {@link Thresholds}). */
    public static final String PLACEMENT = "midway between the two neighbouring validation scores where the rule cuts";

    /** @throws IllegalArgumentException when the target is neither NaN nor in (0, 1] */
    public ThresholdRule {
        if (!Double.isNaN(targetSensitivity) && !(targetSensitivity > 0 && targetSensitivity <= 1)) {
            throw new IllegalArgumentException("target sensitivity " + targetSensitivity + " is outside (0, 1]");
        }
    }

    /** Youden's J (sensitivity + specificity - 1) at its maximum. */
    public static ThresholdRule youden() {
        return new ThresholdRule(Double.NaN);
    }

    /** The highest threshold whose sensitivity is at least {@code target}. */
    public static ThresholdRule sensitivity(double target) {
        return new ThresholdRule(target);
    }

    /** The threshold this rule chooses on these scores (1 = PNEUMONIA). */
    public double choose(int[] truth, double[] score) {
        return Double.isNaN(targetSensitivity) ? Thresholds.youden(truth, score)
                : Thresholds.forSensitivity(truth, score, targetSensitivity);
    }

    /** The rule in words, as {@code model.json} records it. */
    public String description() {
        return Double.isNaN(targetSensitivity) ? "Youden's J on the validation split"
                : "highest threshold with validation sensitivity >= " + targetSensitivity;
    }
}
