package org.pneumo.cli;

import java.nio.file.Path;
import org.pneumo.infer.Detector;
import org.pneumo.model.ModelLoadException;
import picocli.CommandLine.Option;

/** The options every command that runs a trained model shares (a picocli mixin). */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder (from pneumo train).")
    Path model;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Operating threshold on the probability of pneumonia. Default: the model's own.")
    Double threshold;

    /** The detector for these options (the caller closes it). */
    Detector load() throws ModelLoadException {
        return Detector.load(model, threshold == null ? Double.NaN : threshold);
    }
}
