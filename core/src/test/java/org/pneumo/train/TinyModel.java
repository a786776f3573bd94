package org.pneumo.train;

import java.nio.file.Path;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;

/** A small seed model (32x32 gray) trained on synthetic blob images, for tests that need any trained model. */
public final class TinyModel {
    private TinyModel() {}

    /**
     * Writes {@code perClass} blob images per class to {@code dir/data} (40 px, seed 5), trains for {@code epochs} and
     * returns the model folder {@code dir/model}.
     */
    public static Path train(Path dir, int perClass, int epochs) throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("data"), perClass, 40, 5);
        Path model = dir.resolve("model");
        new TrainingLoop(new TrainingSettings(data, model, dir.resolve("cache"), Architecture.SEED,
                new InputSpec(32, 1), epochs, 16, 3e-3f, 0, 0.25, 42, true, false, 0, 0, false, Double.NaN),
                TrainingProgress.SILENT).run(false, false);
        return model;
    }
}
