package org.pneumo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.SkippedFile;
import org.pneumo.eval.Evaluation;
import org.pneumo.infer.Detector;
import org.pneumo.infer.PredictionResult;
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
            description = "A folder with NORMAL/ and/or PNEUMONIA/, or a Kaggle root (its test/ is used).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the outputs.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the bootstrap for the ROC AUC interval. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--strict", description = "Stop at the first unreadable image instead of skipping it.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        BadFilePolicy policy = new BadFilePolicy(strict, System.err::println);
        Path folder = ImageFolder.resolveSplit(data, "test");
        List<LabeledImage> listed = ImageFolder.list(folder, false, policy);
        try (Detector detector = modelOptions.load()) {
            ProgressLine progress = new ProgressLine(System.err, "evaluating", listed.size());
            List<PredictionResult> results = detector.predictFiles(
                    listed.stream().map(LabeledImage::file).toList(), batchOptions.batchSize, false, progress);
            progress.finish();
            List<LabeledImage> scored = new ArrayList<>();
            List<Double> probabilities = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                PredictionResult r = results.get(i);
                if (r.failed()) {
                    policy.reject(new SkippedFile(r.file(), r.error()));
                } else {
                    scored.add(listed.get(i));
                    probabilities.add(r.prediction().probability());
                }
            }
            if (scored.isEmpty()) {
                throw new DataException("no image in " + folder + " could be read");
            }
            String method = modelOptions.threshold == null ? detector.info().threshold().method()
                    : "given with --threshold";
            Evaluation evaluation = Evaluation.of(scored,
                    probabilities.stream().mapToDouble(Double::doubleValue).toArray(), detector.threshold(), method,
                    policy.skipped(), seed);
            Path history = modelOptions.model.resolve(TrainingHistory.FILE);
            List<EpochRecord> epochs = Files.isRegularFile(history) ? TrainingHistory.read(history) : List.of();
            List<String> written = EvaluationReport.write(evaluation, detector.info(), epochs, folder.toString(), out);
            System.out.println("model " + detector.info().modelId() + " on " + folder);
            System.out.print(evaluation.summaryText());
            System.out.println();
            System.out.println("wrote " + String.join(", ", written) + " to " + out);
            return 0;
        }
    }
}
