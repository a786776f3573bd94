package org.pneumo.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pneumo.data.Diagnosis;

/**
 * The detector's answer for one image.
 *
 * @param source where the image came from (a file path, or a name the caller gave)
 * @param probability the model's probability of PNEUMONIA
 * @param label PNEUMONIA when {@code probability >= threshold}, else NORMAL ({@link Diagnosis#at})
 * @param threshold the operating threshold used
 * @param modelId the model that answered
 * @param heatmap the Grad-CAM map, or null when not asked for
 * @param scope whether the image is like the training images (the out-of-scope guard); never null
 */
public record Prediction(String source, double probability, Diagnosis label, double threshold, String modelId,
        Heatmap heatmap, ScopeVerdict scope) {

    public Prediction {
        scope = scope == null ? ScopeVerdict.unavailable() : scope;
    }

    /** A prediction of a model without an out-of-scope guard. */
    public Prediction(String source, double probability, Diagnosis label, double threshold, String modelId,
            Heatmap heatmap) {
        this(source, probability, label, threshold, modelId, heatmap, ScopeVerdict.unavailable());
    }

    /**
     * The answer as named fields, in this order, for every JSON or CSV that carries a prediction (the HTTP API,
     * {@code predict --out}): {@code label}, {@code probability}, {@code threshold}, {@code modelId}, then the guard's
     * {@code inScope} (true, false, or null without a guard), {@code typicality}, {@code typicalityPercentile} and
     * {@code scopeReason} (null when in scope), and {@code scopeNote}, a caution for an image inside the cut beyond the
     * validation 95th percentile ({@link ScopeVerdict#note()}; null otherwise).
     */
    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", label.name());
        out.put("probability", probability);
        out.put("threshold", threshold);
        out.put("modelId", modelId);
        out.put("inScope", scope.inScope());
        out.put("typicality", Double.isNaN(scope.typicality()) ? null : scope.typicality());
        out.put("typicalityPercentile", Double.isNaN(scope.percentile()) ? null : scope.percentile());
        out.put("scopeReason", scope.reason());
        out.put("scopeNote", scope.note());
        return out;
    }
}
