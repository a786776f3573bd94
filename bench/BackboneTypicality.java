import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import org.pneumo.data.ImageSet;
import org.pneumo.data.Pixels;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.TypicalityModel;

/**
 * Which layers of a trained mobilenet-lstm separate the pediatric validation images from adult films and non-X-rays:
 * the spatial mean of chosen MobileNetV2 stages' outputs (stages 0-10 keep their ImageNet values in the shipped
 * recipes), the projection and the LSTM summary, alone and concatenated; each scored by the guard's Mahalanobis
 * distance to the nearest class mean, fitted on the model's training split and cut at the validation 99th percentile.
 * Prints the share flagged on each folder and the AUROC validation-vs-NIH. Usage (it uses TypicalityFeasibility's
 * helpers, so both are compiled): javac -cp pneumo.jar -d OUT bench/TypicalityFeasibility.java
 * bench/BackboneTypicality.java; java -cp pneumo.jar:OUT BackboneTypicality MODEL_DIR DATA_ROOT [COMBO...], a
 * combination written like 13+16+lstm (default: a fixed list).
 */
public class BackboneTypicality {
    /** Tapped backbone stages (0-18); after them come the projection and the LSTM summary. */
    static final int[] TAPS = {6, 10, 13, 14, 15, 16, 17, 18};
    static final int PROJ = TAPS.length;
    static final int LSTM = TAPS.length + 1;

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        try (Model model = Model.newInstance("pneumo", Device.cpu())) {
            ModelInfo info = ModelFiles.load(modelDir, model);
            if (!"mobilenet-lstm".equals(info.architecture())) {
                throw new IllegalArgumentException("a mobilenet-lstm model is needed, not " + info.architecture());
            }
            Map<String, ImageSet> sets = TypicalityFeasibility.sets(info, data);
            sets.put("synthetic", sets.remove("noise"));
            Map<String, List<float[][]>> features = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            for (Map.Entry<String, ImageSet> e : sets.entrySet()) {
                features.put(e.getKey(), extract((SequentialBlock) model.getBlock(), e.getValue()));
            }
            System.out.printf(Locale.ROOT, "# %s: features of %d images in %.1f s%n", modelDir,
                    sets.values().stream().mapToInt(ImageSet::size).sum(), (System.nanoTime() - t0) / 1e9);
            int[] labels = new int[sets.get("train").size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = sets.get("train").label(i);
            }
            int[][] combos = args.length > 2 ? parse(Arrays.copyOfRange(args, 2, args.length)) : parse(new String[] {"6", "10",
                "13", "14", "15", "16", "17", "18", "proj", "lstm", "proj+lstm", "18+lstm", "13+16", "13+16+lstm",
                "16+18", "6+10+13+14+15+16+17+18+proj+lstm"});
            for (int[] combo : combos) {
                Map<String, float[][]> f = new LinkedHashMap<>();
                features.forEach((k, v) -> {
                    float[][] rows = v.get(combo[0]);
                    for (int c = 1; c < combo.length; c++) {
                        rows = TypicalityFeasibility.concat(rows, v.get(combo[c]));
                    }
                    f.put(k, rows);
                });
                TypicalityModel typ = TypicalityModel.fit(f.get("train"), labels, 2, f.get("validation"), 0.99);
                StringBuilder name = new StringBuilder();
                for (int c : combo) {
                    name.append(c == PROJ ? "proj" : c == LSTM ? "lstm" : "s" + TAPS[c]).append('+');
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %5d  shrink %.4f",
                        name.substring(0, name.length() - 1), f.get("train")[0].length, typ.shrinkage()));
                for (String k : f.keySet()) {
                    float[][] rows = f.get(k);
                    long out = Arrays.stream(rows).filter(x -> !typ.inScope(typ.distance(x))).count();
                    line.append(String.format(Locale.ROOT, " | %s %.1f%%", k, 100.0 * out / rows.length));
                }
                double[] v = Arrays.stream(f.get("validation")).mapToDouble(typ::distance).toArray();
                double[] n = Arrays.stream(f.get("nih")).mapToDouble(typ::distance).toArray();
                line.append(String.format(Locale.ROOT, " | AUROC %.4f", TypicalityFeasibility.auroc(v, n)));
                System.out.println(line);
            }
        }
    }

    /** Combinations written as "13+16+lstm" (stages of TAPS, "proj", "lstm") to indices into TAPS. */
    static int[][] parse(String[] specs) {
        int[][] out = new int[specs.length][];
        for (int i = 0; i < specs.length; i++) {
            out[i] = Arrays.stream(specs[i].split("\\+")).mapToInt(t -> switch (t) {
                case "proj" -> PROJ;
                case "lstm" -> LSTM;
                default -> {
                    int stage = Integer.parseInt(t);
                    for (int k = 0; k < TAPS.length; k++) {
                        if (TAPS[k] == stage) {
                            yield k;
                        }
                    }
                    throw new IllegalArgumentException("stage " + stage + " is not tapped: " + Arrays.toString(TAPS));
                }
            }).toArray();
        }
        return out;
    }

    /** Spatial means of the tapped stages' outputs (and the LSTM summary) for every image of a set. */
    static List<float[][]> extract(SequentialBlock net, ImageSet set) {
        List<Block> children = net.getChildren().values();
        List<Block> backbone = children.get(1).getChildren().values();
        float[][][] out = new float[TAPS.length + 2][set.size()][];
        int batch = 32;
        for (int start = 0; start < set.size(); start += batch) {
            int n = Math.min(batch, set.size() - start);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                int s = set.spec().imageSize();
                int c = set.spec().channels();
                float[] values = new float[n * s * s * c];
                for (int i = 0; i < n; i++) {
                    Pixels.toUnit(set.pixels(start + i), values, i * s * s * c);
                }
                ParameterStore ps = new ParameterStore(m, false);
                NDList x = children.get(0).forward(ps, new NDList(m.create(values, new Shape(n, c, s, s))), false);
                List<NDArray> taps = new ArrayList<>();
                for (int b = 0; b < backbone.size(); b++) {
                    x = backbone.get(b).forward(ps, x, false);
                    if (contains(b)) {
                        taps.add(x.head());
                    }
                }
                x = children.get(2).forward(ps, x, false); // projection
                taps.add(x.head());
                for (int b = 3; b < children.size(); b++) {
                    x = children.get(b).forward(ps, x, false);
                    if (x.head().getShape().dimension() == 2) {
                        taps.add(x.head()); // the LSTM summary (mean over time)
                        break;
                    }
                }
                for (int t = 0; t < out.length; t++) {
                    NDArray a = taps.get(t);
                    if (a.getShape().dimension() == 4) {
                        a = a.mean(new int[] {3}).mean(new int[] {2});
                    }
                    float[] flat = a.toFloatArray();
                    int d = flat.length / n;
                    for (int i = 0; i < n; i++) {
                        out[t][start + i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                    }
                }
            }
        }
        return Arrays.asList(out);
    }

    static boolean contains(int stage) {
        return Arrays.stream(TAPS).anyMatch(t -> t == stage);
    }
}
