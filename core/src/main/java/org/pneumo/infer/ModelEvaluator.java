package org.pneumo.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.DataFingerprint;
import org.pneumo.data.ImageCache;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.PatientSplit;
import org.pneumo.data.SettingException;
import org.pneumo.data.SkippedFile;
import org.pneumo.eval.Evaluation;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.Provenance;
import org.pneumo.model.SplitFile;

/**
 * Turns a model and labelled images into an {@link Evaluation}: every image through the detector in batches, files
 * that cannot be read reported (or fatal, by the policy), the figures at the detector's threshold. It also finds the
 * labelled images to evaluate: a split folder of a data root, or the model's own validation split.
 */
public final class ModelEvaluator {
    /** The name of the model's own patient-level validation split in {@link #images}. */
    public static final String VALIDATION = "validation";

    private final Detector detector;
    private final int batchSize;
    private final long seed;

    /**
     * @param detector the model and its operating threshold
     * @param batchSize images per batch
     * @param seed seeds the bootstrap of the ROC AUC interval
     */
    public ModelEvaluator(Detector detector, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new SettingException("{batchSize} %s is outside [1, %s]", batchSize, Integer.MAX_VALUE);
        }
        this.detector = detector;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Labelled images to evaluate and what they are, in words. */
    public record LabelledImages(List<LabeledImage> images, String description) {
        public LabelledImages {
            images = List.copyOf(images);
        }
    }

    /**
     * The images of {@code split} under {@code data}: a split folder of a Kaggle root ({@code test}, {@code val},
     * {@code train}; {@code data} itself when it holds the class folders), or {@link #VALIDATION}, the model's own
     * patient-level validation split (see {@link #validationImages}).
     */
    public static LabelledImages images(Path modelDir, ModelInfo info, Path data, String split, BadFilePolicy policy)
            throws IOException {
        if (VALIDATION.equals(split)) {
            Path folder = ImageFolder.resolveSplit(data, "train");
            return new LabelledImages(validationImages(modelDir, info, folder),
                    "validation split (by patient) of " + folder);
        }
        Path folder = ImageFolder.resolveSplit(data, split);
        return new LabelledImages(ImageFolder.list(folder, false, policy), folder.toString());
    }

    /**
     * The images the model was validated on, found in {@code trainFolder} (the folder it was trained from, here or
     * elsewhere): the validation side of the model's {@code split.csv}, or for a model folder without one, the same
     * patient split rebuilt from the images that decode (training splits only those). Refused unless the folder's
     * files are the ones the model was trained on (data fingerprint).
     */
    public static List<LabeledImage> validationImages(Path modelDir, ModelInfo info, Path trainFolder)
            throws IOException {
        Provenance.Split split = info.split();
        String fingerprint = info.dataProvenance().fingerprint();
        if (split == null || fingerprint == null) {
            throw new DataException("model " + info.modelId() + " does not record its validation split (valFraction,"
                    + " seed, data fingerprint)");
        }
        BadFilePolicy quiet = new BadFilePolicy(false, line -> { });
        List<LabeledImage> listed = ImageFolder.list(trainFolder, true, quiet);
        String found = DataFingerprint.of(listed);
        if (!found.equals(fingerprint)) {
            throw new DataException("these are not the images model " + info.modelId() + " was trained on (data"
                    + " fingerprint " + found + ", the model's " + fingerprint + "): its validation split cannot be"
                    + " found in them");
        }
        Path splitFile = modelDir.resolve(SplitFile.FILE);
        String recordedFolder = info.dataProvenance().folder();
        if (Files.isRegularFile(splitFile)) {
            return SplitFile.read(splitFile, SplitFile.Side.VALIDATION,
                    recordedFolder == null ? null : Path.of(recordedFolder), trainFolder);
        }
        return PatientSplit.of(decodable(listed, info), split.valFraction(), split.seed()).validation();
    }

    /** The images that decode at the model's input, as training kept them (in chunks, to bound memory). */
    private static List<LabeledImage> decodable(List<LabeledImage> listed, ModelInfo info) throws IOException {
        ImageDecoder decoder = new ImageDecoder(info.inputSpec());
        List<LabeledImage> kept = new ArrayList<>(listed.size());
        int chunk = 256;
        for (int from = 0; from < listed.size(); from += chunk) {
            List<LabeledImage> part = listed.subList(from, Math.min(listed.size(), from + chunk));
            kept.addAll(ImageCache.decodeAll(part, decoder, new BadFilePolicy(false, line -> { }), done -> { })
                    .images());
        }
        return kept;
    }

    /**
     * Scores {@code images} and evaluates them at the detector's threshold.
     *
     * @param policy where files that cannot be read go (skipped and counted, or fatal)
     * @param thresholdMethod how the threshold was chosen, in words
     * @param progress told how many files are done
     * @throws DataException when no image could be read
     * @throws java.io.InterruptedIOException when interrupted while images are decoded
     */
    public Evaluation evaluate(List<LabeledImage> images, BadFilePolicy policy, String thresholdMethod,
            IntConsumer progress) throws IOException {
        return evaluateWithScope(images, policy, thresholdMethod, progress).all();
    }

    /** One image the out-of-scope guard flagged, with the model's (unreliable) answer. */
    public record OutOfScopeImage(LabeledImage image, Prediction prediction) {}

    /**
     * An evaluation on every image that could be read, and the same on the images the out-of-scope guard kept.
     *
     * @param all every image that could be read
     * @param inScope the images within the guard's cut, or null when the model has no guard or none was in scope
     * @param outOfScope the images the guard flagged, in input order
     * @param guard whether the model has an out-of-scope guard
     */
    public record ScopedEvaluation(Evaluation all, Evaluation inScope, List<OutOfScopeImage> outOfScope,
            boolean guard) {
        /** The share of evaluated images the guard flagged (0 without a guard). */
        public double flaggedShare() {
            return (double) outOfScope.size() / all.images().size();
        }
    }

    /** As {@link #evaluate}, with every figure also on the in-scope images only and the out-of-scope images listed. */
    public ScopedEvaluation evaluateWithScope(List<LabeledImage> images, BadFilePolicy policy, String thresholdMethod,
            IntConsumer progress) throws IOException {
        List<PredictionResult> results = detector.predictFiles(images.stream().map(LabeledImage::file).toList(),
                batchSize, false, progress);
        List<LabeledImage> scored = new ArrayList<>();
        List<Double> probabilities = new ArrayList<>();
        List<LabeledImage> kept = new ArrayList<>();
        List<Double> keptProbabilities = new ArrayList<>();
        List<OutOfScopeImage> flagged = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            PredictionResult r = results.get(i);
            if (r.failed()) {
                policy.reject(new SkippedFile(images.get(i).file(), r.error()));
                continue;
            }
            Prediction p = r.prediction();
            scored.add(images.get(i));
            probabilities.add(p.probability());
            if (p.scope().outOfScope()) {
                flagged.add(new OutOfScopeImage(images.get(i), p));
            } else {
                kept.add(images.get(i));
                keptProbabilities.add(p.probability());
            }
        }
        if (scored.isEmpty()) {
            throw new DataException("no image could be read");
        }
        Evaluation all = Evaluation.of(scored, unbox(probabilities), detector.threshold(), thresholdMethod,
                policy.skipped(), seed);
        Evaluation inScope = !detector.hasScopeGuard() || kept.isEmpty() ? null
                : Evaluation.of(kept, unbox(keptProbabilities), detector.threshold(), thresholdMethod,
                        policy.skipped(), seed);
        return new ScopedEvaluation(all, inScope, List.copyOf(flagged), detector.hasScopeGuard());
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
