package org.pneumo.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.pneumo.data.DataException;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.LabelAuditFile;
import org.pneumo.data.LabeledImage;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.RankMetrics;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.io.AtomicFiles;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;
import org.pneumo.model.Provenance;
import org.pneumo.model.SplitFile;

/**
 * Makes an ensemble model folder from trained model folders: each member is copied in (without its checkpoint), the
 * ensemble's P(PNEUMONIA) is the mean of the members', and its operating threshold is chosen on the members' shared
 * validation split by a {@link ThresholdRule}. {@link Detector#load} loads and serves the folder like one model:
 * Grad-CAM maps are averaged and an image is out of scope when any member's guard says so.
 */
public final class Ensemble {
    /** Where the members go inside the ensemble folder. */
    public static final String MEMBERS = "members";
    /** How the members are combined, as {@code model.json} records it. */
    public static final String COMBINATION = "mean of the members' P(PNEUMONIA); Grad-CAM maps averaged; the"
            + " out-of-scope verdict of the most atypical member (out of scope when any member's guard says so)";

    private Ensemble() {}

    /**
     * Builds the ensemble folder {@code out} (written atomically) from {@code members}.
     *
     * @param data the data the members were trained on (a Kaggle root or its training folder)
     * @param labelAudit a label audit of that folder whose suspects are left out of the threshold choice, as training
     *     leaves them out (null: every validation image counts)
     * @param progress given the number of validation images, returns what is told how many are scored
     * @return the ensemble's {@code model.json}
     * @throws ModelLoadException when a member cannot be loaded, is itself an ensemble, or the members differ in
     *     input or validation split
     */
    public static ModelInfo create(List<Path> members, Path out, Path data, ThresholdRule rule, Path labelAudit,
            int batchSize, IntFunction<IntConsumer> progress) throws IOException {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 member models, got " + members.size());
        }
        List<ModelInfo> infos = new ArrayList<>();
        for (Path m : members) {
            ModelInfo info = ModelFiles.readInfo(m);
            if (!info.members().isEmpty()) {
                throw new ModelLoadException(m + " is itself an ensemble; name its members instead");
            }
            infos.add(info);
        }
        ModelInfo first = infos.get(0);
        Path trainFolder = ImageFolder.resolveSplit(data, "train");
        LabelAuditFile.Result audit = labelAudit == null ? null : LabelAuditFile.read(labelAudit);
        if (audit != null && !audit.fingerprint().equals(first.dataProvenance().fingerprint())) {
            throw new DataException("the label audit " + labelAudit + " was made on other images (data fingerprint "
                    + audit.fingerprint() + ") than the members (" + first.dataProvenance().fingerprint() + ")");
        }
        // Found once (a member without split.csv rebuilds its split by decoding the whole folder).
        List<LabeledImage> validationImages = ModelEvaluator.validationImages(members.get(0), first, trainFolder);
        Set<Path> validation = files(validationImages);
        for (int i = 1; i < infos.size(); i++) {
            ModelInfo info = infos.get(i);
            if (!info.inputSpec().equals(first.inputSpec())) {
                throw new ModelLoadException("members take different inputs: " + members.get(0) + " "
                        + first.inputSpec() + ", " + members.get(i) + " " + info.inputSpec());
            }
            if (!files(ModelEvaluator.validationImages(members.get(i), info, trainFolder)).equals(validation)) {
                throw new ModelLoadException("members " + members.get(0) + " and " + members.get(i) + " were"
                        + " validated on different images: the ensemble's threshold needs one validation split"
                        + " that no member trained on (train them with the same --seed and --val-fraction)");
            }
        }
        Instant now = Instant.now();
        ModelInfo[] written = new ModelInfo[1];
        AtomicFiles.writeFolder(out, staged -> {
            List<String> names = new ArrayList<>();
            long parameters = 0;
            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < members.size(); i++) {
                String name = MEMBERS + "/" + (i + 1) + "-" + infos.get(i).modelId();
                copyModel(members.get(i), staged.resolve(name));
                names.add(name);
                parameters += infos.get(i).parameterCount();
                ids.append(infos.get(i).modelId()).append('\n');
            }
            // The shared split, written afresh (a member may predate split.csv and rebuild its split from the seed).
            Set<LabeledImage> held = new HashSet<>(validationImages);
            List<LabeledImage> trainImages = ImageFolder.list(trainFolder, true,
                    new org.pneumo.data.BadFilePolicy(false, line -> { })).stream()
                    .filter(image -> !held.contains(image)).toList();
            Files.writeString(staged.resolve(SplitFile.FILE), SplitFile.format(trainFolder, trainImages,
                    validationImages), StandardCharsets.UTF_8);
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("members", names);
            training.put("memberIds", infos.stream().map(ModelInfo::modelId).toList());
            training.put("combination", COMBINATION);
            Map<String, Object> split = first.training();
            training.put("valFraction", split.get("valFraction"));
            training.put("seed", split.get("seed"));
            training.put("threshold", rule.description());
            if (labelAudit != null) {
                training.put("labelAudit", labelAudit.toString());
            }
            String id = ModelInfo.newId(ModelInfo.ENSEMBLE, now, ids.toString().getBytes(StandardCharsets.UTF_8));
            ModelInfo provisional = new ModelInfo(ModelInfo.FORMAT_VERSION, id, ModelInfo.ENSEMBLE, parameters,
                    first.input(), first.preprocessing(), first.classes(),
                    new ModelInfo.Threshold(0.5, "provisional", null, null), training, first.data(), Map.of(),
                    now.toString(), null);
            AtomicFiles.write(staged.resolve(ModelFiles.INFO_FILE),
                    (ModelFiles.gson().toJson(provisional) + "\n").getBytes(StandardCharsets.UTF_8));
            written[0] = ModelFiles.writeInfo(staged, chooseThreshold(staged, provisional, validationImages,
                    trainFolder, rule, audit, batchSize, progress));
        });
        return written[0];
    }

    private static Set<Path> files(List<LabeledImage> images) {
        Set<Path> files = new HashSet<>();
        for (LabeledImage image : images) {
            files.add(image.file().toAbsolutePath().normalize());
        }
        return files;
    }

    /** The ensemble's threshold by {@code rule} on its validation images, with the validation figures at it. */
    private static ModelInfo chooseThreshold(Path dir, ModelInfo info, List<LabeledImage> images, Path trainFolder,
            ThresholdRule rule, LabelAuditFile.Result audit, int batchSize, IntFunction<IntConsumer> progress)
            throws IOException {
        try (Detector detector = Detector.load(dir)) {
            ValidationThreshold.Scores scored = ValidationThreshold.scores(detector, images, batchSize,
                    progress.apply(images.size()));
            int[] truth = scored.truth();
            double[] score = scored.score();
            if (audit != null) {
                List<Integer> kept = LabelAuditFile.notSuspect(audit, trainFolder, images);
                truth = kept.stream().mapToInt(k -> images.get(k).label().index()).toArray();
                double[] all = score;
                score = kept.stream().mapToDouble(k -> all[k]).toArray();
            }
            double threshold = rule.choose(truth, score);
            ConfusionMatrix at = ConfusionMatrix.atThreshold(truth, score, threshold);
            ConfusionMatrix half = ConfusionMatrix.atThreshold(truth, score, 0.5);
            Provenance.Validation v = new Provenance.Validation(truth.length, RankMetrics.rocAuc(truth, score),
                    Double.NaN, at.accuracy().value(), at.sensitivity().value(), at.specificity().value(),
                    half.accuracy().value());
            String method = audit == null ? rule.description()
                    : rule.description() + " (validation images the label audit contradicts left out)";
            return info.withThreshold(new ModelInfo.Threshold(threshold, method, ThresholdRule.PLACEMENT, null),
                    v.toMap());
        }
    }

    /** Copies a model folder without its checkpoint (the member is finished; the ensemble is not resumable). */
    private static void copyModel(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        }
    }
}
