package org.pneumo.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.pneumo.data.DataException;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageSet;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.PatientSplit;
import org.pneumo.eval.RankMetrics;
import org.pneumo.io.AtomicFiles;
import org.pneumo.model.InputTensors;
import org.pneumo.model.MobileNetV2;
import org.pneumo.model.MobileNetWeights;
import org.pneumo.model.TypicalityModel;

/**
 * Finds training images whose label the rest of the data contradicts (confident learning, Northcutt et al. 2021):
 * out-of-fold probabilities from a classifier that never saw the image nor its patient, then per class the mean
 * probability its own images get (the class's self-confidence); an image is a <em>suspect</em> when the other class's
 * probability reaches that class's self-confidence.
 *
 * <p>The classifier is deliberately independent of the labels being audited and of the network being trained: a
 * linear discriminant (class means, one Ledoit-Wolf-shrunk covariance, {@link TypicalityModel}) on frozen ImageNet
 * MobileNetV2 features (global average of the 7x7x1280 map), fitted k times on patient-level folds.
 */
public final class LabelAudit {
    /** A sensible file name for an audit. */
    public static final String FILE = "label-audit.csv";

    private static final String[] HEADER = {"file", "label", "patient", "fold", "probability_pneumonia", "suspect"};
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
            .setCommentMarker('#').get();

    private LabelAudit() {}

    /**
     * One audited image.
     *
     * @param file the image's path relative to the audited split folder, with {@code /} separators
     * @param probabilityPneumonia the out-of-fold P(PNEUMONIA)
     * @param suspect whether the other class's probability reaches that class's self-confidence
     */
    public record Entry(String file, Diagnosis label, String patient, int fold, double probabilityPneumonia,
            boolean suspect) {
        /** The out-of-fold probability of the image's own label. */
        public double probabilityOfLabel() {
            return label == Diagnosis.PNEUMONIA ? probabilityPneumonia : 1 - probabilityPneumonia;
        }
    }

    /**
     * An audit: every image's entry, and how it was made.
     *
     * @param fingerprint the data fingerprint of the audited images (training checks it against its own)
     * @param auc the out-of-fold ROC AUC of the classifier (how well the features separate the labels)
     * @param selfConfidence per class, the mean out-of-fold probability of that class over its own images
     */
    public record Result(List<Entry> entries, int folds, long seed, String fingerprint, double auc,
            double[] selfConfidence) {
        public Result {
            entries = List.copyOf(entries);
            selfConfidence = selfConfidence.clone();
        }

        /** Suspects among the images labelled {@code label}. */
        public int suspects(Diagnosis label) {
            return (int) entries.stream().filter(e -> e.label() == label && e.suspect()).count();
        }

        /** The entries by file (relative to the audited folder, as {@link #relative} makes it). */
        public java.util.Map<String, Entry> byFile() {
            java.util.Map<String, Entry> map = new java.util.HashMap<>();
            entries.forEach(e -> map.put(e.file(), e));
            return map;
        }

        /** One line for people: images, folds, AUC, suspects per class. */
        public String summary() {
            return String.format(Locale.ROOT, "%d images, %d patient-level folds (seed %d), out-of-fold ROC AUC %.4f;"
                    + " suspects: %d of %d NORMAL, %d of %d PNEUMONIA (self-confidence NORMAL %.3f, PNEUMONIA %.3f)",
                    entries.size(), folds, seed, auc, suspects(Diagnosis.NORMAL), count(Diagnosis.NORMAL),
                    suspects(Diagnosis.PNEUMONIA), count(Diagnosis.PNEUMONIA), selfConfidence[0], selfConfidence[1]);
        }

        private int count(Diagnosis label) {
            return (int) entries.stream().filter(e -> e.label() == label).count();
        }
    }

    /**
     * Audits the labels of {@code set}: frozen ImageNet features of every image, then the out-of-fold discriminant.
     *
     * @param folder the split folder the images were listed from (entries name files relative to it)
     * @param fingerprint the data fingerprint of the listed images
     * @param progress told how many images have had their features computed so far
     */
    public static Result run(ImageSet set, Path folder, String fingerprint, int folds, long seed, int batchSize,
            IntConsumer progress) {
        return fromFeatures(set.images(), folder, backboneFeatures(set, batchSize, progress), folds, seed,
                fingerprint);
    }

    /**
     * The out-of-fold audit on given features (one row per image).
     *
     * @throws IllegalArgumentException when rows and images differ in count, or a fold would lack a class
     */
    static Result fromFeatures(List<LabeledImage> images, Path folder, float[][] features, int folds, long seed,
            String fingerprint) {
        if (features.length != images.size()) {
            throw new IllegalArgumentException("features has " + features.length + " rows but there are "
                    + images.size() + " images");
        }
        int n = images.size();
        int[] fold = PatientSplit.folds(images, folds, seed);
        double[] pneumonia = new double[n];
        for (int f = 0; f < folds; f++) {
            List<float[]> fitRows = new ArrayList<>();
            List<Integer> fitLabels = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            int[] counts = new int[2];
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    held.add(i);
                } else {
                    fitRows.add(features[i]);
                    int label = images.get(i).label().index();
                    fitLabels.add(label);
                    counts[label]++;
                }
            }
            if (held.isEmpty() || counts[0] == 0 || counts[1] == 0 || counts[0] + counts[1] < 3) {
                throw new IllegalArgumentException("fold " + (f + 1) + " of " + folds + " leaves "
                        + held.size() + " images out and " + counts[0] + " NORMAL + " + counts[1]
                        + " PNEUMONIA to fit on: too few images or patients for " + folds + " folds");
            }
            float[][] heldRows = new float[held.size()][];
            for (int j = 0; j < heldRows.length; j++) {
                heldRows[j] = features[held.get(j)];
            }
            TypicalityModel discriminant = TypicalityModel.fit(fitRows.toArray(new float[0][]),
                    fitLabels.stream().mapToInt(Integer::intValue).toArray(), 2, heldRows, 1.0);
            double logPrior = Math.log((double) counts[1] / counts[0]);
            for (int j = 0; j < heldRows.length; j++) {
                double[] d = discriminant.classDistances(heldRows[j]);
                // log odds of PNEUMONIA: the shared covariance's normalising constants cancel.
                double logOdds = 0.5 * (d[0] * d[0] - d[1] * d[1]) + logPrior;
                pneumonia[held.get(j)] = 1 / (1 + Math.exp(-logOdds));
            }
        }
        int[] truth = new int[n];
        double[] selfSum = new double[2];
        int[] classCount = new int[2];
        for (int i = 0; i < n; i++) {
            truth[i] = images.get(i).label().index();
            selfSum[truth[i]] += truth[i] == 1 ? pneumonia[i] : 1 - pneumonia[i];
            classCount[truth[i]]++;
        }
        double[] self = {selfSum[0] / classCount[0], selfSum[1] / classCount[1]};
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LabeledImage image = images.get(i);
            int other = 1 - truth[i];
            double pOther = other == 1 ? pneumonia[i] : 1 - pneumonia[i];
            entries.add(new Entry(relative(folder, image.file()), image.label(), image.patientId(), fold[i] + 1,
                    pneumonia[i], pOther >= self[other]));
        }
        return new Result(entries, folds, seed, fingerprint, RankMetrics.rocAuc(truth, pneumonia), self);
    }

    /**
     * Global-average-pooled ImageNet MobileNetV2 features (1280 per image) of every image, in set order, from the
     * weights bundled with the library, frozen.
     */
    static float[][] backboneFeatures(ImageSet set, int batchSize, IntConsumer progress) {
        float[][] rows = new float[set.size()][];
        try (Model model = Model.newInstance("label-audit")) {
            SequentialBlock net = MobileNetV2.features();
            int channels = set.spec().channels();
            int size = set.spec().imageSize();
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, channels, size, size));
            MobileNetV2.load(net, MobileNetWeights.bundled());
            model.setBlock(net);
            int done = 0;
            for (int start = 0; start < set.size(); start += batchSize) {
                int end = Math.min(set.size(), start + batchSize);
                List<byte[]> pixels = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    pixels.add(set.pixels(i));
                }
                try (NDManager manager = model.getNDManager().newSubManager()) {
                    NDArray x = InputTensors.batch(manager, pixels, set.spec()).mul(2f).sub(1f);
                    NDArray maps = net.forward(new ParameterStore(manager, false), new NDList(x), false).head();
                    float[] pooled = maps.mean(new int[] {3}).mean(new int[] {2}).toFloatArray();
                    int d = MobileNetV2.FEATURES;
                    for (int i = start; i < end; i++) {
                        float[] row = new float[d];
                        System.arraycopy(pooled, (i - start) * d, row, 0, d);
                        rows[i] = row;
                    }
                }
                done += end - start;
                progress.accept(done);
            }
        }
        return rows;
    }

    /** {@code file} relative to {@code folder}, with {@code /} separators, as entries name it. */
    public static String relative(Path folder, Path file) {
        Path from = folder.toAbsolutePath().normalize();
        Path to = file.toAbsolutePath().normalize();
        Path rel = to.startsWith(from) ? from.relativize(to) : to;
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }

    /** Writes the audit as CSV (how it was made in {@code #} comment lines first), atomically. */
    public static void write(Path file, Result r) throws IOException {
        AtomicFiles.write(file, stream -> {
            try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), FORMAT)) {
                printer.printComment("pneumo label audit: " + r.summary());
                printer.printComment(String.format(Locale.ROOT, "folds=%d seed=%d fingerprint=%s auc=%.6f"
                        + " self_confidence_normal=%.6f self_confidence_pneumonia=%.6f", r.folds(), r.seed(),
                        r.fingerprint(), r.auc(), r.selfConfidence()[0], r.selfConfidence()[1]));
                printer.printComment("suspect: the other class's out-of-fold probability reaches that class's"
                        + " self-confidence (confident learning)");
                printer.printRecord((Object[]) HEADER);
                for (Entry e : r.entries()) {
                    printer.printRecord(e.file(), e.label(), e.patient(), e.fold(),
                            String.format(Locale.ROOT, "%.6f", e.probabilityPneumonia()), e.suspect());
                }
            }
        });
    }

    /**
     * Reads an audit written by {@link #write}.
     *
     * @throws DataException when the file is not such an audit (names the file and what is wrong)
     */
    public static Result read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int folds = -1;
        long seed = 0;
        String fingerprint = null;
        double auc = Double.NaN;
        double[] self = new double[2];
        for (String line : text.split("\n")) {
            if (line.startsWith("# folds=")) {
                for (String pair : line.substring(2).trim().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    switch (kv[0]) {
                        case "folds" -> folds = Integer.parseInt(kv[1]);
                        case "seed" -> seed = Long.parseLong(kv[1]);
                        case "fingerprint" -> fingerprint = kv[1];
                        case "auc" -> auc = Double.parseDouble(kv[1]);
                        case "self_confidence_normal" -> self[0] = Double.parseDouble(kv[1]);
                        case "self_confidence_pneumonia" -> self[1] = Double.parseDouble(kv[1]);
                        default -> { }
                    }
                }
            }
        }
        if (folds < 0 || fingerprint == null) {
            throw new DataException(file + " is not a label audit of pneumo (no '# folds=... fingerprint=...'"
                    + " line); make one with pneumo audit-labels");
        }
        List<Entry> entries = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(text)) {
            for (CSVRecord row : FORMAT.builder().setHeader(HEADER).setSkipHeaderRecord(true).get().parse(reader)) {
                if (row.size() != HEADER.length) {
                    throw new DataException(file + " line " + row.getRecordNumber() + " has " + row.size()
                            + " fields; expected " + HEADER.length);
                }
                try {
                    entries.add(new Entry(row.get("file"), Diagnosis.valueOf(row.get("label")), row.get("patient"),
                            Integer.parseInt(row.get("fold")), Double.parseDouble(row.get("probability_pneumonia")),
                            Boolean.parseBoolean(row.get("suspect"))));
                } catch (IllegalArgumentException e) {
                    throw new DataException(file + " line " + row.getRecordNumber() + ": " + e.getMessage());
                }
            }
        }
        return new Result(entries, folds, seed, fingerprint, auc, self);
    }
}
