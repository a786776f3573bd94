package org.pneumo.cli;

import ai.djl.Device;
import ai.djl.Model;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.ImageCache;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSet;
import org.pneumo.data.LabeledImage;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.train.ScopeGuardFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pneumo guard}: fits the out-of-scope guard of a model folder that has none (trained before it existed) or
 * refits it with another cut, on the model's own training and validation images; {@code pneumo train} does the same
 * at the end of every run.
 */
@Command(name = "guard", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit a model's out-of-scope guard on its own training images (features of the network itself),"
                + " with the cut placed on its validation split, and store it in the model folder.")
final class GuardCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder (from pneumo train) to add the guard to; it is written.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The data the model was trained on: a Kaggle root (its train/) or the training folder.")
    Path data;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "0.99",
            description = "Share of validation images inside the cut, in (0, 1]. Default: ${DEFAULT-VALUE}.")
    double percentile;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where decoded images are cached. Default: ~/.cache/pneumo.")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        if (!(percentile > 0 && percentile <= 1)) {
            throw new IllegalArgumentException("--percentile " + percentile + " is outside (0, 1]");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be at least 1");
        }
        if (cacheDir != null) {
            OutputPaths.folder("--cache-dir", cacheDir);
        }
        ModelInfo info = ModelFiles.readInfo(model);
        Path trainFolder = ImageFolder.resolveSplit(data, "train");
        List<LabeledImage> validationImages = ModelEvaluator.validationImages(model, info, trainFolder);
        BadFilePolicy policy = new BadFilePolicy(false, line -> { });
        List<LabeledImage> all = ImageFolder.list(trainFolder, true, policy);
        Set<Path> validationFiles = new HashSet<>();
        validationImages.forEach(i -> validationFiles.add(i.file()));
        ImageDecoder decoder = new ImageDecoder(info.inputSpec());
        ImageCache cache = new ImageCache(cacheDir == null ? ImageCache.defaultDirectory() : cacheDir);
        ImageSet decoded = cache.load("train", all, decoder, policy, done -> { });
        ImageSet train = decoded.select(decoded.images().stream()
                .filter(i -> !validationFiles.contains(i.file())).toList());
        ImageSet validation = decoded.select(decoded.images().stream()
                .filter(i -> validationFiles.contains(i.file())).toList());
        ProgressBar progress = new ProgressBar(System.err, "features", train.size() + validation.size());
        try (Model m = Model.newInstance("pneumo", Device.cpu())) {
            ModelFiles.load(model, m);
            ModelInfo updated = ScopeGuardFit.fitAndStore(model, m, Architecture.of(info.architecture()), train,
                    validation, percentile, batchSize, progress);
            progress.finish();
            ModelInfo.Scope s = updated.scope();
            System.out.printf(Locale.ROOT, "guard of %s: %d features, fitted on %d training images; cut %.2f = %s%n",
                    updated.modelId(), s.featureCount(), s.trainImages(), s.cut(), s.chosen());
            System.out.println("wrote " + model.resolve(s.file()) + " and the guard's description in "
                    + model.resolve(ModelFiles.INFO_FILE));
        }
        return 0;
    }
}
