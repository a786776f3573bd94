package org.pneumo.infer;

import java.util.Locale;

/**
 * Whether an image is like the images the model was trained on: when it is not, the verdict is still given but must
 * be read as unreliable (another population, another kind of picture).
 *
 * @param inScope true when the image's typicality distance is within the model's cut, false when beyond it, null when
 *     the model has no guard
 * @param typicality the Mahalanobis distance of the image's features to the nearest training class (NaN without a
 *     guard)
 * @param percentile the share of validation images with a smaller or equal distance, in [0, 1] (NaN without a guard)
 * @param reason why the image is out of scope, or why the guard is unavailable; null when in scope
 */
public record ScopeVerdict(Boolean inScope, double typicality, double percentile, String reason) {
    /**
     * The percentile from which an image inside the cut is called unusual: with the shipped model 91.7% of the NIH
     * adult films lie beyond it and, by construction, about 5% of pediatric validation images (README, out of scope).
     */
    public static final double UNUSUAL_PERCENTILE = 0.95;

    /** The reason given by models without a guard. */
    public static final String UNAVAILABLE = "this model has no out-of-scope guard (trained before it existed)";

    /** The verdict of a model without a guard. */
    public static ScopeVerdict unavailable() {
        return new ScopeVerdict(null, Double.NaN, Double.NaN, UNAVAILABLE);
    }

    /** True only when the guard flagged the image. */
    public boolean outOfScope() {
        return Boolean.FALSE.equals(inScope);
    }

    /**
     * A caution for an image inside the cut that is still more atypical than {@link #UNUSUAL_PERCENTILE} of the
     * validation images: the answer stands, but the image deserves a second look. Null otherwise (out of scope, no
     * guard, or an ordinary image).
     */
    public String note() {
        if (!Boolean.TRUE.equals(inScope) || !(percentile >= UNUSUAL_PERCENTILE)) {
            return null;
        }
        return String.format(Locale.ROOT, "more atypical than %s of the validation images; check that this is a frontal"
                + " chest X-ray of a child", share(percentile));
    }

    /** The verdict for a distance against a cut; {@code percentile} places it among the validation distances. */
    static ScopeVerdict of(double distance, double cut, double percentile) {
        if (distance <= cut) {
            return new ScopeVerdict(true, distance, percentile, null);
        }
        String reason = Double.isNaN(distance) ? "the network's features are not finite"
                : String.format(Locale.ROOT, "unlike the training images: typicality distance %.1f is beyond the cut"
                        + " %.1f (%s of validation images are closer)", distance, cut, share(percentile));
        return new ScopeVerdict(false, distance, percentile, reason);
    }

    private static String share(double p) {
        return p >= 1 ? "all" : String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }
}
