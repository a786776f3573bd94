package org.pneumo.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.pneumo.data.ImageSet;
import org.pneumo.data.LabelAuditFile;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.PatientSplit;
import org.pneumo.eval.RankMetrics;
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

    private LabelAudit() {}

    /**
     * Audits the labels of {@code set}: frozen ImageNet features of every image, then the out-of-fold discriminant.
     *
     * @param folder the split folder the images were listed from (entries name files relative to it)
     * @param fingerprint the data fingerprint of the listed images
     * @param progress told how many images have had their features computed so far
     */
    public static LabelAuditFile.Result run(ImageSet set, Path folder, String fingerprint, int folds, long seed,
            int batchSize, IntConsumer progress) {
        return fromFeatures(set.images(), folder, backboneFeatures(set, batchSize, progress), folds, seed,
                fingerprint);
    }

    /**
     * The out-of-fold audit on given features (one row per image).
     *
     * @throws IllegalArgumentException when rows and images differ in count, or a fold would lack a class
     */
    static LabelAuditFile.Result fromFeatures(List<LabeledImage> images, Path folder, float[][] features, int folds,
            long seed, String fingerprint) {
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
        List<LabelAuditFile.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LabeledImage image = images.get(i);
            int other = 1 - truth[i];
            double pOther = other == 1 ? pneumonia[i] : 1 - pneumonia[i];
            entries.add(new LabelAuditFile.Entry(LabelAuditFile.relative(folder, image.file()), image.label(),
                    image.patientId(), fold[i] + 1, pneumonia[i], pOther >= self[other]));
        }
        return new LabelAuditFile.Result(entries, folds, seed, fingerprint, RankMetrics.rocAuc(truth, pneumonia), self);
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
                List<byte[]> pixels = set.pixels(start, end);
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

}
