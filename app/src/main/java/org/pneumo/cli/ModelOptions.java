package org.pneumo.cli;

import java.nio.file.Path;
import org.pneumo.infer.Detector;
import org.pneumo.model.ModelLoadException;
import org.pneumo.model.ShippedModel;
import picocli.CommandLine.Option;

/** The options every command that runs a trained model shares (a picocli mixin). */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder (from pneumo train). Default: the model shipped inside pneumo.")
    Path model;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Operating threshold on the probability of pneumonia. Default: the model's own.")
    Double threshold;

    /** The model folder these options name: --model, or the shipped model. */
    Path folder() throws ModelLoadException {
        return model != null ? model : ShippedModel.folder();
    }

    /** The detector for these options (the caller closes it). */
    Detector load() throws ModelLoadException {
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold " + threshold + " is not a number in [0, 1]");
        }
        return Detector.load(folder(), threshold == null ? Double.NaN : threshold);
    }
}
