package org.pneumo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.DataFingerprint;
import org.pneumo.data.PatientSplit;
import org.pneumo.model.ModelInfo;
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
            description = "A folder with NORMAL/ and/or PNEUMONIA/, or a Kaggle root (its test/ is used unless"
                    + " --split says otherwise).")
    Path data;

    @Option(names = "--split", paramLabel = "NAME",
            description = "Evaluate on the patient-level validation split the model was trained with: 'validation'"
                    + " rebuilds it from the train/ folder of --data with the model's seed and fraction, and checks"
                    + " that the files are the ones it was trained on (data fingerprint). Or name a split folder of a"
                    + " Kaggle root: test (default), val, train.")
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
            boolean validation = "validation".equals(split);
            Path folder = ImageFolder.resolveSplit(data, validation ? "train" : split == null ? "test" : split);
            List<LabeledImage> listed = ImageFolder.list(folder, validation, policy);
            if (validation) {
                listed = validationSplit(detector.info(), listed);
            }
            String described = validation ? "validation split (by patient) of " + folder : folder.toString();
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
                throw new DataException("no image in " + described + " could be read");
            }
            String method = modelOptions.threshold == null ? detector.info().threshold().method()
                    : "given with --threshold";
            Evaluation evaluation = Evaluation.of(scored,
                    probabilities.stream().mapToDouble(Double::doubleValue).toArray(), detector.threshold(), method,
                    policy.skipped(), seed);
            Path history = modelOptions.folder().resolve(TrainingHistory.FILE);
            List<EpochRecord> epochs = Files.isRegularFile(history) ? TrainingHistory.read(history) : List.of();
            List<String> written = EvaluationReport.write(evaluation, detector.info(), epochs, described, out);
            System.out.println("model " + detector.info().modelId() + " on " + described);
            System.out.print(evaluation.summaryText());
            System.out.println();
            System.out.println("wrote " + String.join(", ", written) + " to " + out);
            return 0;
        }
    }

    /** The model's own validation images: the same patient split, from the same files, as in training. */
    static List<LabeledImage> validationSplit(ModelInfo info, List<LabeledImage> listed) throws IOException {
        Object fraction = info.training().get("valFraction");
        Object seed = info.training().get("seed");
        Object fingerprint = info.data().get("fingerprint");
        if (!(fraction instanceof Number f) || !(seed instanceof Number s) || fingerprint == null) {
            throw new DataException("model " + info.modelId() + " does not record its validation split (valFraction,"
                    + " seed, data fingerprint)");
        }
        String found = DataFingerprint.of(listed);
        if (!found.equals(fingerprint)) {
            throw new DataException("these are not the images model " + info.modelId() + " was trained on (data"
                    + " fingerprint " + found + ", the model's " + fingerprint + "): its validation split cannot be"
                    + " rebuilt from them");
        }
        return PatientSplit.of(listed, f.doubleValue(), s.longValue()).validation();
    }
}
