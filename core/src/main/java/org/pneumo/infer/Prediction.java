package org.pneumo.infer;

import org.pneumo.data.Diagnosis;

/**
 * The detector's answer for one image.
 *
 * @param source where the image came from (a file path, or a name the caller gave)
 * @param probability the model's probability of PNEUMONIA
 * @param label PNEUMONIA when {@code probability >= threshold}, else NORMAL
 * @param threshold the operating threshold used
 * @param modelId the model that answered
 * @param heatmap the Grad-CAM map, or null when not asked for
 */
public record Prediction(
        String source, double probability, Diagnosis label, double threshold, String modelId, Heatmap heatmap) {}
