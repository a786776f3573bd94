package org.pneumo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.Csv;
import org.pneumo.data.DataException;
import org.pneumo.data.ImageFolder;
import org.pneumo.eval.Evaluation;
import org.pneumo.infer.Detector;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.report.ErrorGallery;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.ScopeVerdict;
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
            ModelEvaluator.ScopedEvaluation scoped = new ModelEvaluator(detector, batchOptions.batchSize, seed)
                    .evaluateWithScope(images.images(), policy, method, progress);
            Evaluation evaluation = scoped.all();
            progress.finish();
            Path history = modelOptions.folder().resolve(TrainingHistory.FILE);
            List<EpochRecord> epochs = Files.isRegularFile(history) ? TrainingHistory.read(history) : List.of();
            List<String> written = EvaluationReport.write(evaluation, detector.info(), epochs, images.description(),
                    out, ErrorGallery.of(detector, evaluation, EvaluationReport.GALLERY), scoped);
            System.out.println("model " + detector.info().modelId() + " on " + images.description());
            System.out.print(evaluation.summaryText());
            System.out.println();
            written = new ArrayList<>(written);
            if (scoped.guard()) {
                System.out.printf(Locale.ROOT, "out of scope (unlike the training images): %d of %d images (%.1f%%)%n",
                        scoped.outOfScope().size(), evaluation.images().size(), 100 * scoped.flaggedShare());
                Files.writeString(out.resolve(OUT_OF_SCOPE_FILE), outOfScopeCsv(scoped), StandardCharsets.UTF_8);
                written.add(OUT_OF_SCOPE_FILE);
                if (scoped.inScope() != null && !scoped.outOfScope().isEmpty()) {
                    String text = scoped.inScope().summaryText();
                    System.out.println();
                    System.out.println("on the " + scoped.inScope().images().size() + " in-scope images only:");
                    System.out.print(text);
                    System.out.println();
                    Files.writeString(out.resolve(IN_SCOPE_FILE), text, StandardCharsets.UTF_8);
                    written.add(IN_SCOPE_FILE);
                }
            } else {
                System.out.println("out of scope: not checked (" + ScopeVerdict.UNAVAILABLE + ")");
            }
            System.out.println("wrote " + String.join(", ", written) + " to " + out);
            return 0;
        }
    }

    static final String OUT_OF_SCOPE_FILE = "out_of_scope.csv";
    static final String IN_SCOPE_FILE = "summary_in_scope.txt";

    /** The flagged images with the model's (unreliable) answers, as CSV. */
    static String outOfScopeCsv(ModelEvaluator.ScopedEvaluation scoped) {
        StringBuilder sb = new StringBuilder("file,truth,label,probability,typicality,typicalityPercentile,reason\n");
        for (ModelEvaluator.OutOfScopeImage o : scoped.outOfScope()) {
            Prediction p = o.prediction();
            sb.append(Csv.field(o.image().file().toString())).append(',').append(o.image().label()).append(',')
                    .append(p.label()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f,%.3f,%.4f,", p.probability(), p.scope().typicality(),
                            p.scope().percentile()))
                    .append(Csv.field(String.valueOf(p.scope().reason()))).append('\n');
        }
        return sb.toString();
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
