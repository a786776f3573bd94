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
 */
public record Prediction(
        String source, double probability, Diagnosis label, double threshold, String modelId, Heatmap heatmap) {

    /**
     * The answer as named fields, in this order, for every JSON or CSV that carries a prediction (the HTTP API,
     * {@code predict --out}): {@code label}, {@code probability}, {@code threshold}, {@code modelId}.
     */
    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", label.name());
        out.put("probability", probability);
        out.put("threshold", threshold);
        out.put("modelId", modelId);
        return out;
    }
}
