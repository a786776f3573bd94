import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.ImageCache;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSet;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.PatientSplit;
import org.pneumo.model.InputTensors;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.TypicalityModel;

/**
 * Which layer of a trained cnn-lstm, and which typicality score, separates the pediatric validation images from other
 * images: fits on the model's training split, cuts at the validation 99th percentile, and prints the share flagged on
 * each folder and the AUROC validation-vs-NIH. Usage: java -cp pneumo.jar bench/TypicalityFeasibility.java MODEL_DIR
 * DATA_ROOT (the shared data folder).
 */
public class TypicalityFeasibility {
    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        try (Model model = Model.newInstance("pneumo", Device.cpu())) {
            ModelInfo info = ModelFiles.load(modelDir, model);
            Map<String, ImageSet> sets = sets(info, data);
            int[] taps = {4, 8, 12, 16, 20, 23};
            Map<String, List<float[][]>> features = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            for (Map.Entry<String, ImageSet> e : sets.entrySet()) {
                features.put(e.getKey(), extract((SequentialBlock) model.getBlock(), e.getValue(), taps));
            }
            System.out.printf(Locale.ROOT, "# features of %d images in %.1f s%n",
                    sets.values().stream().mapToInt(ImageSet::size).sum(), (System.nanoTime() - t0) / 1e9);
            int[] trainLabels = new int[sets.get("train").size()];
            for (int i = 0; i < trainLabels.length; i++) {
                trainLabels[i] = sets.get("train").label(i);
            }
            String[] tapNames = {"stage5 mean+sd(256)", "lstm-mean(128)", "stages1-5 mean(368)",
                "stages1-5 mean+sd(736)", "stages1-5 mean+sd + lstm(864)", "stages3-5 mean+sd + lstm"};
            for (int t = 0; t < tapNames.length; t++) {
                final int tt = t;
                Map<String, float[][]> f = new LinkedHashMap<>();
                features.forEach((k, v) -> f.put(k, switch (tt) {
                    case 0 -> v.get(4);
                    case 1 -> v.get(5);
                    case 2 -> concat(concat(concat(concat(half(v.get(0)), half(v.get(1))), half(v.get(2))),
                            half(v.get(3))), half(v.get(4)));
                    case 3 -> concat(concat(concat(concat(v.get(0), v.get(1)), v.get(2)), v.get(3)), v.get(4));
                    case 4 -> concat(concat(concat(concat(concat(v.get(0), v.get(1)), v.get(2)), v.get(3)),
                            v.get(4)), v.get(5));
                    default -> concat(concat(concat(v.get(2), v.get(3)), v.get(4)), v.get(5));
                }));
                TypicalityModel typ = TypicalityModel.fit(f.get("train"), trainLabels, 2, f.get("validation"), 0.99);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-30s mahalanobis shrink %.3f",
                        tapNames[t], typ.shrinkage()));
                for (String k : f.keySet()) {
                    float[][] rows = f.get(k);
                    long out = Arrays.stream(rows).filter(x -> !typ.inScope(typ.distance(x))).count();
                    line.append(String.format(Locale.ROOT, " | %s %.1f%%", k, 100.0 * out / rows.length));
                }
                double[] v = Arrays.stream(f.get("validation")).mapToDouble(typ::distance).toArray();
                double[] n = Arrays.stream(f.get("nih")).mapToDouble(typ::distance).toArray();
                line.append(String.format(Locale.ROOT, " | AUROC val-vs-nih %.4f", auroc(v, n)));
                System.out.println(line);
                if (f.get("train")[0].length > 256) {
                    continue;
                }
                // k-nearest-neighbour distance (k = 10) on standardised features, same cut rule.
                float[][] train = f.get("train");
                double[] mean = new double[train[0].length];
                double[] sd = new double[train[0].length];
                for (float[] x : train) {
                    for (int j = 0; j < x.length; j++) {
                        mean[j] += x[j] / (double) train.length;
                    }
                }
                for (float[] x : train) {
                    for (int j = 0; j < x.length; j++) {
                        sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / train.length;
                    }
                }
                for (int j = 0; j < sd.length; j++) {
                    sd[j] = Math.sqrt(sd[j]) + 1e-6;
                }
                double[] vk = Arrays.stream(f.get("validation")).mapToDouble(x -> knn(train, x, mean, sd, 10)).sorted()
                        .toArray();
                double cut = vk[(int) Math.ceil(0.99 * vk.length) - 1];
                StringBuilder kl = new StringBuilder(String.format(Locale.ROOT, "%-22s knn10", tapNames[t]));
                for (String k : f.keySet()) {
                    float[][] rows = f.get(k);
                    long out = Arrays.stream(rows).filter(x -> knn(train, x, mean, sd, 10) > cut).count();
                    kl.append(String.format(Locale.ROOT, " | %s %.1f%%", k, 100.0 * out / rows.length));
                }
                double[] nk = Arrays.stream(f.get("nih")).mapToDouble(x -> knn(train, x, mean, sd, 10)).toArray();
                kl.append(String.format(Locale.ROOT, " | AUROC val-vs-nih %.4f", auroc(vk, nk)));
                System.out.println(kl);
            }
            // The guard's own features (stage 5 means + the LSTM summary) scored three ways: Mahalanobis distance to the
            // nearest class mean (the guard), to one mean of all training images, and the relative Mahalanobis
            // distance (Ren et al. 2021): min over classes of d_class^2 - d_all^2.
            Map<String, float[][]> own = new LinkedHashMap<>();
            features.forEach((k, v) -> own.put(k, concat(half(v.get(4)), v.get(5))));
            int[] oneClass = new int[trainLabels.length];
            TypicalityModel perClass = TypicalityModel.fit(own.get("train"), trainLabels, 2, own.get("validation"), 0.99);
            TypicalityModel pooled = TypicalityModel.fit(own.get("train"), oneClass, 1, own.get("validation"), 0.99);
            for (String rule : new String[] {"nearest class", "one mean", "relative"}) {
                java.util.function.ToDoubleFunction<float[]> score = switch (rule) {
                    case "nearest class" -> perClass::distance;
                    case "one mean" -> pooled::distance;
                    default -> x -> {
                        double d0 = pooled.distance(x);
                        double best = Double.POSITIVE_INFINITY;
                        for (double d : perClass.classDistances(x)) {
                            best = Math.min(best, d * d - d0 * d0);
                        }
                        return best;
                    };
                };
                double[] v = Arrays.stream(own.get("validation")).mapToDouble(score).sorted().toArray();
                double cut = v[(int) Math.ceil(0.99 * v.length) - 1];
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "own features, %-14s", rule));
                for (String k : own.keySet()) {
                    double[] d = Arrays.stream(own.get(k)).mapToDouble(score).toArray();
                    long out = Arrays.stream(d).filter(x -> x > cut).count();
                    line.append(String.format(Locale.ROOT, " | %s %.1f%%", k, 100.0 * out / d.length));
                }
                line.append(String.format(Locale.ROOT, " | AUROC val-vs-nih %.4f", auroc(v,
                        Arrays.stream(own.get("nih")).mapToDouble(score).toArray())));
                System.out.println(line);
            }
            // Union of per-layer guards: each layer's Mahalanobis distance as a rank among the validation images'
            // distances at that layer; the image's score is its highest rank; the cut is the validation 99th
            // percentile of that score.
            int[][] unions = {{4, 5}, {3, 4, 5}, {2, 3, 4, 5}, {1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}, {0, 5}, {1, 5},
                {2, 5}};
            for (int[] u : unions) {
                Map<String, double[]> score = new LinkedHashMap<>();
                for (int tap : u) {
                    Map<String, float[][]> f = new LinkedHashMap<>();
                    features.forEach((k, v) -> f.put(k, v.get(tap)));
                    TypicalityModel typ = TypicalityModel.fit(f.get("train"), trainLabels, 2, f.get("validation"),
                            0.99);
                    double[] val = Arrays.stream(f.get("validation")).mapToDouble(typ::distance).sorted().toArray();
                    for (String k : f.keySet()) {
                        double[] d = Arrays.stream(f.get(k)).mapToDouble(typ::distance).toArray();
                        double[] acc = score.computeIfAbsent(k, x -> new double[d.length]);
                        for (int i = 0; i < d.length; i++) {
                            int pos = Arrays.binarySearch(val, d[i]);
                            double rank = (pos >= 0 ? pos : -pos - 1) / (double) val.length;
                            acc[i] = Math.max(acc[i], rank + d[i] / (val[val.length - 1] * 1e6));
                        }
                    }
                }
                double[] v = score.get("validation").clone();
                Arrays.sort(v);
                double cut = v[(int) Math.ceil(0.99 * v.length) - 1];
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "union %-22s",
                        Arrays.toString(u)));
                for (String k : score.keySet()) {
                    double[] d = score.get(k);
                    long out = Arrays.stream(d).filter(x -> x > cut).count();
                    line.append(String.format(Locale.ROOT, " | %s %.1f%%", k, 100.0 * out / d.length));
                }
                line.append(String.format(Locale.ROOT, " | AUROC val-vs-nih %.4f", auroc(score.get("validation"),
                        score.get("nih"))));
                System.out.println(line);
            }
        }
    }

    /**
     * The image sets both feasibility benches score: the model's training and validation sides of chest_xray/train
     * (its recorded split), val/, the fullres-sample originals, nih-adult-dev and synthetic non-X-rays.
     */
    static Map<String, ImageSet> sets(ModelInfo info, Path data) throws java.io.IOException {
        ImageDecoder decoder = new ImageDecoder(info.inputSpec());
        ImageCache cache = new ImageCache(ImageCache.defaultDirectory());
        BadFilePolicy policy = BadFilePolicy.lenient();
        List<LabeledImage> all = ImageFolder.list(data.resolve("chest_xray/train"), true, policy);
        PatientSplit split = PatientSplit.of(all, info.split().valFraction(), info.split().seed());
        ImageSet allSet = cache.load("train", all, decoder, policy, i -> { });
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        sets.put("train", allSet.select(split.train()));
        sets.put("validation", allSet.select(split.validation()));
        sets.put("val", cache.load("val", ImageFolder.list(data.resolve("chest_xray/val"), true, policy), decoder,
                policy, i -> { }));
        sets.put("fullres", cache.load("fullres", ImageFolder.list(data.resolve("fullres-sample/train"), true,
                policy), decoder, policy, i -> { }));
        sets.put("nih", cache.load("nih", ImageFolder.list(data.resolve("foreign/nih-adult-dev"), true, policy),
                decoder, policy, i -> { }));
        sets.put("noise", synthetic(info.inputSpec().imageSize(), info.inputSpec().channels()));
        return sets;
    }

    static ImageSet synthetic(int size, int channels) {
        java.util.Random r = new java.util.Random(1);
        List<LabeledImage> images = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] p = new byte[size * size * channels];
            for (int j = 0; j < p.length; j++) {
                int x = j % size;
                int y = (j / size) % size;
                int v = switch (i % 4) {
                    case 0 -> r.nextInt(256); // noise
                    case 1 -> (x * 255 / size + i * 7) % 256; // gradient
                    case 2 -> ((x / 16 + y / 16) % 2) * 200 + 20; // checkerboard
                    default -> (Math.hypot(x - size / 2.0, y - size / 2.0) < size / 4.0) ? 230 : 40; // disc
                };
                p[j] = (byte) v;
            }
            pixels.add(p);
            images.add(new LabeledImage(Path.of("synthetic-" + i + ".png"), org.pneumo.data.Diagnosis.NORMAL));
        }
        return new ImageSet(new org.pneumo.data.InputSpec(size, channels), images, pixels, List.of());
    }

    static List<float[][]> extract(SequentialBlock net, ImageSet set, int[] taps) {
        List<Block> children = net.getChildren().values();
        float[][][] out = new float[taps.length][set.size()][];
        int batch = 32;
        for (int start = 0; start < set.size(); start += batch) {
            int n = Math.min(batch, set.size() - start);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                NDList x = new NDList(InputTensors.batch(m, set.pixels(start, start + n), set.spec()));
                ParameterStore ps = new ParameterStore(m, false);
                int tap = 0;
                for (int b = 0; b < children.size() && tap < taps.length; b++) {
                    x = children.get(b).forward(ps, x, false);
                    if (b == taps[tap]) {
                        NDArray a = x.head();
                        if (a.getShape().dimension() == 4) {
                            NDArray mu = a.mean(new int[] {3}).mean(new int[] {2});
                            NDArray sq = a.square().mean(new int[] {3}).mean(new int[] {2});
                            NDArray sd = sq.sub(mu.square()).maximum(0f).sqrt();
                            a = mu.concat(sd, 1);
                        }
                        float[] flat = a.toFloatArray();
                        int d = flat.length / n;
                        for (int i = 0; i < n; i++) {
                            out[tap][start + i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                        }
                        tap++;
                    }
                }
            }
        }
        List<float[][]> result = new ArrayList<>();
        for (float[][] o : out) {
            result.add(o);
        }
        return result;
    }

    static float[][] half(float[][] a) {
        float[][] r = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = Arrays.copyOf(a[i], a[i].length / 2);
        }
        return r;
    }

    static float[][] concat(float[][] a, float[][] b) {
        float[][] r = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = Arrays.copyOf(a[i], a[i].length + b[i].length);
            System.arraycopy(b[i], 0, r[i], a[i].length, b[i].length);
        }
        return r;
    }

    static double knn(float[][] train, float[] x, double[] mean, double[] sd, int k) {
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (float[] t : train) {
            double d = 0;
            for (int j = 0; j < x.length; j++) {
                double u = (x[j] - t[j]) / sd[j];
                d += u * u;
            }
            if (d < best[k - 1] && d > 0) {
                int i = k - 1;
                while (i > 0 && best[i - 1] > d) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = d;
            }
        }
        return Math.sqrt(best[k - 1]);
    }

    /** P(score of b > score of a), ties half. */
    static double auroc(double[] a, double[] b) {
        double s = 0;
        for (double x : a) {
            for (double y : b) {
                s += y > x ? 1 : y == x ? 0.5 : 0;
            }
        }
        return s / ((double) a.length * b.length);
    }
}
