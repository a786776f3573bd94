package org.pneumo.infer;

import java.nio.file.Path;

/**
 * One file's outcome in a batch: a prediction, or the reason the file could not be read (exactly one is set).
 */
public record PredictionResult(Path file, Prediction prediction, String error) {
    public PredictionResult {
        if ((prediction == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of prediction and error must be set");
        }
    }

    public boolean failed() {
        return error != null;
    }
}
