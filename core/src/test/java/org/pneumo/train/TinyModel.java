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
        return trainOn(data, dir.resolve("model"), dir.resolve("cache"), epochs);
    }

    /** Trains the tiny seed model on {@code data} for {@code epochs} into {@code model} and returns it. */
    public static Path trainOn(Path data, Path model, Path cache, int epochs) throws Exception {
        new TrainingLoop(TrainingSettings.builder()
                .setData(data)
                .setOut(model)
                .setCacheDir(cache)
                .optArchitecture(Architecture.SEED)
                .optInput(new InputSpec(32, 1))
                .optEpochs(epochs)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optWeightDecay(0)
                .optValFraction(0.25)
                .optSeed(42)
                .optAugment(false)
                .build(),
                TrainingProgress.SILENT).run(false, false);
        return model;
    }
}
