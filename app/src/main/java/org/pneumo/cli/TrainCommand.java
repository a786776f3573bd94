package org.pneumo.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pneumo.data.ImageCache;
import org.pneumo.data.InputSpec;
import org.pneumo.model.Architecture;
import org.pneumo.train.FineTuning;
import org.pneumo.model.Provenance;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingOutcome;
import org.pneumo.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pneumo train}: trains a network from a Kaggle-layout folder into a model folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the CNN+LSTM classifier on a Kaggle-layout folder (its train/ split, or one split folder"
                + " with NORMAL/ and PNEUMONIA/). Validation is carved from it by patient.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Kaggle root (train/ is used) or a folder with NORMAL/ and PNEUMONIA/.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Model folder to write (model.json, weights.params, history.csv, checkpoint/).")
    Path out;

    @Option(names = "--arch", paramLabel = "NAME", defaultValue = "cnn-lstm",
            description = "Network: cnn-lstm (trained from scratch), mobilenet-lstm (ImageNet-pretrained MobileNetV2"
                    + " features into the same LSTM head; the shipped model's, see the README for its recipe) or seed"
                    + " (the original Keras network)."
                    + " Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "224",
            description = "Side of the square input in pixels. Default: ${DEFAULT-VALUE}.")
    int imageSize;

    @Option(names = "--channels", paramLabel = "1|3", defaultValue = "1",
            description = "1 (gray) or 3 (gray repeated as RGB, like the original). Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each class held out for validation, split by patient. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split, shuffling, augmentation and initialisation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.001",
            description = "Adam's peak learning rate (cosine decay to 5%% of it). Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0.0001",
            description = "Decoupled weight decay on kernels and weight matrices. Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(names = "--no-class-weights", negatable = false,
            description = "Do not weight the loss against the class imbalance (weighting is on by default).")
    boolean noClassWeights;

    @Option(names = "--no-augment", negatable = false,
            description = "Do not augment training images (rotation, shift, zoom, brightness, contrast; on by default).")
    boolean noAugment;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after this many epochs without a better validation AUC; 0 = never. Default:"
                    + " ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--max-batches", paramLabel = "N", defaultValue = "0",
            description = "Cap every epoch (and validation pass) at N batches, for quick runs; 0 = no cap. Default:"
                    + " ${DEFAULT-VALUE}.")
    int maxBatches;

    @Option(names = "--target-sensitivity", paramLabel = "S",
            description = "Choose the operating threshold as the highest one whose validation sensitivity is at least"
                    + " S (0-1]. Default: maximise Youden's J (sensitivity + specificity - 1).")
    Double targetSensitivity;

    @Option(names = "--freeze-backbone-epochs", paramLabel = "N", defaultValue = "0",
            description = "Pretrained networks: train only the new head for the first N epochs. Default:"
                    + " ${DEFAULT-VALUE}.")
    int freezeBackboneEpochs;

    @Option(names = "--backbone-lr-scale", paramLabel = "F", defaultValue = "1.0",
            description = "Pretrained networks: the backbone's learning rate is the head's times F (0, 10]. Default:"
                    + " ${DEFAULT-VALUE}.")
    float backboneLrScale;

    @Option(names = "--train-from-block", paramLabel = "K", defaultValue = "0",
            description = "Pretrained networks: keep backbone stages below K frozen throughout (mobilenet-lstm: 0 ="
                    + " stem, 1-17 = inverted residual blocks, 18 = last 1x1 convolution, 19 = all frozen)."
                    + " Default: ${DEFAULT-VALUE}.")
    int trainFromBlock;

    @Option(names = "--calibrate",
            description = "Fit a temperature on the kept epoch's validation scores (temperature scaling) and report"
                    + " calibrated probabilities; the threshold is then chosen on them. Default: the network's own"
                    + " softmax.")
    boolean calibrate;

    @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "0",
            description = "Label smoothing of the training targets, in [0, 0.5): the label gets 1 - E/2, the other"
                    + " class E/2. Default: ${DEFAULT-VALUE} (none).")
    float labelSmoothing;

    @Option(names = "--label-audit", paramLabel = "FILE",
            description = "A label audit of the training folder (from pneumo audit-labels): its suspects get"
                    + " --suspect-weight in the loss and leave the validation side's epoch and threshold choice."
                    + " Default: none.")
    Path labelAudit;

    @Option(names = "--suspect-weight", paramLabel = "W", defaultValue = "0",
            description = "With --label-audit: loss weight of a training image whose label the audit contradicts,"
                    + " in [0, 1] (0 = left out). Default: ${DEFAULT-VALUE}.")
    float suspectWeight;

    @Option(names = "--keep-validation-suspects",
            description = "With --label-audit: let validation images whose label the audit contradicts count in"
                    + " the epoch and threshold choice (by default they do not; split.csv lists them either way).")
    boolean keepValidationSuspects;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where decoded images are cached. Default: $XDG_CACHE_HOME/pneumo or ~/.cache/pneumo.")
    Path cacheDir;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out (same settings; a"
            + " larger --epochs extends it).")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace a model or unfinished run already in --out.")
    boolean overwrite;

    @Option(names = "--strict", description = "Stop at the first unreadable image instead of skipping it.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        OutputPaths.folder("--out", out);
        if (cacheDir != null) {
            OutputPaths.folder("--cache-dir", cacheDir);
        }
        if (labelAudit != null && !java.nio.file.Files.isRegularFile(labelAudit)) {
            throw new IllegalArgumentException("--label-audit " + labelAudit + " is not a file; make one with"
                    + " pneumo audit-labels --data DIR --out FILE");
        }
        Architecture architecture = Architecture.of(arch);
        if (imageSize < architecture.minImageSize()) {
            throw new IllegalArgumentException("--image-size " + imageSize + " is too small for " + architecture
                    + ": it needs at least " + architecture.minImageSize() + " pixels");
        }
        TrainingSettings settings = TrainingSettings.builder()
                .setData(data)
                .setOut(out)
                .setCacheDir(cacheDir == null ? ImageCache.defaultDirectory() : cacheDir)
                .optArchitecture(architecture)
                .optInput(new InputSpec(imageSize, channels))
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optLearningRate(learningRate)
                .optWeightDecay(weightDecay)
                .optValFraction(valFraction)
                .optSeed(seed)
                .optClassWeights(!noClassWeights)
                .optAugment(!noAugment)
                .optPatience(patience)
                .optMaxBatches(maxBatches)
                .optStrict(strict)
                .optTargetSensitivity(targetSensitivity == null ? Double.NaN : targetSensitivity)
                .optFineTuning(new FineTuning(freezeBackboneEpochs, backboneLrScale, trainFromBlock))
                .optCalibrate(calibrate)
                .optLabelSmoothing(labelSmoothing)
                .optLabelAudit(labelAudit)
                .optSuspectWeight(suspectWeight)
                .optValidationSuspects(keepValidationSuspects)
                .build();
        ConsoleProgress progress = new ConsoleProgress(System.out, System.err,
                TrainingSpeed.ofThisMachine(arch, imageSize, batchSize));
        TrainingOutcome o = new TrainingLoop(settings, progress).run(resume, overwrite);
        Provenance.Validation v = o.info().validationFigures();
        System.out.printf(Locale.ROOT, "%nmodel written to %s (%s)%n", o.modelDir(), o.info().modelId());
        System.out.printf(Locale.ROOT, "kept epoch %d of %d%s; %d training + %d validation images, %d files skipped;"
                        + " %s in this run%n", o.bestEpoch(), o.history().size(),
                o.stoppedEarly() ? " (stopped early)" : "", o.trainImages(), o.validationImages(), o.skippedFiles(),
                ProgressBar.duration(o.seconds()));
        System.out.printf(Locale.ROOT, "validation (%s images): ROC AUC %.4f, accuracy %.4f at threshold %.4f"
                        + " (%s; %.4f at 0.5), sensitivity %.4f, specificity %.4f%n", v.images(), v.rocAuc(),
                v.accuracy(), o.info().threshold().value(), o.info().threshold().method(), v.accuracyAtHalf(),
                v.sensitivity(), v.specificity());
        return 0;
    }
}
