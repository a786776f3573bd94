package org.pneumo.infer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image's outcome in a batch: a prediction, or the reason the image could not be read (exactly one is set).
 *
 * @param source the name the image was given under (a file path, a URI, any name)
 */
public record PredictionResult(String source, Prediction prediction, String error) {
    public PredictionResult {
        if ((prediction == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of prediction and error must be set");
        }
    }

    /** The names of {@link #fields()}, in order, whether the image failed or not (a CSV header). */
    public static final List<String> FIELD_NAMES = List.of("file", "label", "probability", "threshold", "modelId",
            "inScope", "typicality", "typicalityPercentile", "scopeReason", "error");

    public boolean failed() {
        return error != null;
    }

    /**
     * The outcome as named fields: {@code file} (the source), then {@link Prediction#fields()} or {@code error}.
     */
    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", source);
        if (prediction != null) {
            out.putAll(prediction.fields());
        } else {
            out.put("error", error);
        }
        return out;
    }
}
