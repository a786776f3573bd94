package org.pneumo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.ImageFolder;
import org.pneumo.eval.Evaluation;
import org.pneumo.infer.Detector;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.report.ErrorGallery;
import org.pneumo.report.EvaluationReport;
import org.pneumo.train.EpochRecord;
import org.pneumo.train.TrainingHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pneumo evaluate}: runs a model over a labelled folder and writes the figures, pictures and a report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model on a labelled folder (NORMAL/ and PNEUMONIA/, or the test/ split of a Kaggle"
                + " root): metrics.json, predictions.csv, confusion matrix, ROC, PR and calibration plots, training"
                + " curves, and one self-contained report.html.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    BatchOptions batchOptions;

    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "A folder with NORMAL/ and/or PNEUMONIA/, or a Kaggle root (its test/ is used unless"
                    + " --split says otherwise).")
    Path data;

    @Option(names = "--split", paramLabel = "NAME",
            description = "Evaluate on the patient-level validation split the model was trained with: 'validation'"
                    + " takes the images of the model's split.csv from the train/ folder of --data (for a model"
                    + " folder without one, the split is rebuilt from the images that decode, with the model's seed"
                    + " and fraction), after checking that the files are the ones it was trained on (data"
                    + " fingerprint). Or name a split folder of a Kaggle root: test (default), val, train.")
    String split;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the outputs.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the bootstrap for the ROC AUC interval. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--strict", description = "Stop at the first unreadable image instead of skipping it.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        OutputPaths.folder("--out", out);
        BadFilePolicy policy = new BadFilePolicy(strict, System.err::println);
        try (Detector detector = modelOptions.load()) {
            ModelEvaluator.LabelledImages images = withSplitAdvice(() -> ModelEvaluator.images(modelOptions.folder(),
                    detector.info(), data, split == null ? "test" : split, policy));
            ProgressBar progress = new ProgressBar(System.err, "evaluating", images.images().size());
            String method = modelOptions.threshold == null ? detector.info().threshold().method()
                    : "given with --threshold";
            Evaluation evaluation = new ModelEvaluator(detector, batchOptions.batchSize, seed)
                    .evaluate(images.images(), policy, method, progress);
            progress.finish();
            Path history = modelOptions.folder().resolve(TrainingHistory.FILE);
            List<EpochRecord> epochs = Files.isRegularFile(history) ? TrainingHistory.read(history) : List.of();
            List<String> written = EvaluationReport.write(evaluation, detector.info(), epochs, images.description(),
                    out, ErrorGallery.of(detector, evaluation, EvaluationReport.GALLERY));
            System.out.println("model " + detector.info().modelId() + " on " + images.description());
            System.out.print(evaluation.summaryText());
            System.out.println();
            System.out.println("wrote " + String.join(", ", written) + " to " + out);
            return 0;
        }
    }

    /** Something that finds the images to evaluate. */
    interface ImageFinder {
        ModelEvaluator.LabelledImages find() throws IOException;
    }

    /** Runs {@code finder}; when the split folder is missing, the message suggests the {@code --split} values that work. */
    private ModelEvaluator.LabelledImages withSplitAdvice(ImageFinder finder) throws IOException {
        try {
            return finder.find();
        } catch (DataException e) {
            List<String> splits = Files.isDirectory(data) ? ImageFolder.splitFolders(data) : List.of();
            if (splits.isEmpty() || !e.getMessage().contains("split folder")) {
                throw e;
            }
            List<String> options = new ArrayList<>();
            for (String s : splits) {
                options.add("--split " + s);
            }
            if (splits.stream().anyMatch(s -> s.equalsIgnoreCase("train"))) {
                options.add("--split validation (the model's validation split, from train/)");
            }
            throw new DataException(e.getMessage() + ". Try " + String.join(", ", options), e);
        }
    }
}
