package org.pneumo.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.pneumo.data.ImageSet;
import org.pneumo.model.Architecture;
import org.pneumo.model.InputTensors;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;
import org.pneumo.model.NetworkPass;
import org.pneumo.model.TypicalityModel;

/**
 * Fits a trained network's out-of-scope guard: the {@link TypicalityModel} of the network's own features on the
 * training images (no augmentation), with its cut placed on the validation images only, and stores it in the model
 * folder.
 */
public final class ScopeGuardFit {
    /** The guard's file in a model folder. */
    public static final String FILE = "typicality.bin";
    /** The default share of validation images inside the cut. */
    public static final double DEFAULT_PERCENTILE = 0.99;

    private ScopeGuardFit() {}

    /** The fitted guard and its description for {@code model.json}. */
    public record Result(TypicalityModel typicality, ModelInfo.Scope scope) {}

    /**
     * Fits the guard.
     *
     * @param model a loaded network
     * @param architecture the architecture that built it
     * @param train training images (their labels give the class means)
     * @param validation validation images (never training images): the cut is their {@code percentile} quantile
     * @param progress told how many images of both sets have been run so far
     */
    public static Result fit(Model model, Architecture architecture, ImageSet train, ImageSet validation,
            double percentile, int batchSize, IntConsumer progress) {
        if (train.size() == 0 || validation.size() == 0) {
            throw new IllegalArgumentException("the guard needs training and validation images, got " + train.size()
                    + " and " + validation.size());
        }
        Architecture.Split split = architecture.split(model.getBlock());
        List<Integer> stages = architecture.scopeStages();
        int[] done = {0};
        float[][] trainFeatures = features(model, split, stages, train, batchSize,
                n -> progress.accept(done[0] += n));
        float[][] validationFeatures = features(model, split, stages, validation, batchSize,
                n -> progress.accept(done[0] += n));
        int[] labels = new int[train.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = train.label(i);
        }
        TypicalityModel typicality = TypicalityModel.fit(trainFeatures, labels, 2, validationFeatures, percentile);
        ModelInfo.Scope scope = new ModelInfo.Scope(FILE,
                String.format(Locale.ROOT, "Mahalanobis distance to the nearest class mean; class means and one"
                        + " shared covariance from the training images, shrunk towards a scaled identity (Ledoit-Wolf"
                        + " weight %.4f)", typicality.shrinkage()),
                stages.isEmpty() ? "spatial mean of each map at the end of the feature extractor, then the head's"
                        + " first per-image vector (the sequence summary)"
                        : "spatial mean of each channel of the pretrained backbone's output at stage"
                        + (stages.size() > 1 ? "s " : " ") + stages.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")),
                typicality.featureCount(), train.size(), validation.size(), percentile, typicality.cut(),
                String.format(Locale.ROOT, "the %s percentile of the validation images' distances (midway to the"
                        + " next one), so about %.1f%% of images like the validation split are flagged",
                        ordinal(percentile), 100 * (1 - percentile)), stages);
        return new Result(typicality, scope);
    }

    /** Fits the guard and stores it in the model folder {@code dir}; returns the updated info. */
    public static ModelInfo fitAndStore(Path dir, Model model, Architecture architecture, ImageSet train,
            ImageSet validation, double percentile, int batchSize, IntConsumer progress)
            throws IOException, ModelLoadException {
        Result r = fit(model, architecture, train, validation, percentile, batchSize, progress);
        return ModelFiles.writeScope(dir, r.scope(), r.typicality());
    }

    static float[][] features(Model model, Architecture.Split split, List<Integer> stages, ImageSet set,
            int batchSize, IntConsumer progress) {
        List<float[]> rows = new ArrayList<>(set.size());
        for (int start = 0; start < set.size(); start += batchSize) {
            int end = Math.min(set.size(), start + batchSize);
            List<byte[]> pixels = set.pixels(start, end);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NetworkPass.HeadOutput out = NetworkPass.run(split, new ParameterStore(manager, false),
                        InputTensors.batch(manager, pixels, set.spec()), stages);
                for (float[] row : NetworkPass.rows(out.scopeFeatures())) {
                    rows.add(row);
                }
            }
            progress.accept(end - start);
        }
        return rows.toArray(new float[0][]);
    }

    private static String ordinal(double percentile) {
        double p = 100 * percentile;
        return p == Math.rint(p) ? String.format(Locale.ROOT, "%.0fth", p) : String.format(Locale.ROOT, "%.1fth", p);
    }
}
