import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pneumo.data.ImageSet;
import org.pneumo.model.Architecture;
import org.pneumo.model.InputTensors;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.NetworkPass;
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
    /** Channels of those stages' outputs in MobileNetV2 1.0. */
    static final int[] WIDTHS = {32, 64, 96, 160, 160, 160, 320, 1280};
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
                features.put(e.getKey(), extract(model, e.getValue()));
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

    /**
     * For every image of a set: the spatial means of each tapped stage's output, then the guard's features of a
     * network without stages (the projection's 256 means and the LSTM's 128 values), from one {@link NetworkPass} over
     * each batch, the pass prediction and the guard use.
     */
    static List<float[][]> extract(Model model, ImageSet set) {
        Architecture.Split split = Architecture.MOBILENET_LSTM.split(model.getBlock());
        List<Integer> stages = Arrays.stream(TAPS).boxed().toList();
        float[][][] out = new float[TAPS.length + 2][set.size()][];
        int batch = 32;
        for (int start = 0; start < set.size(); start += batch) {
            int end = Math.min(set.size(), start + batch);
            try (NDManager m = model.getNDManager().newSubManager()) {
                ParameterStore ps = new ParameterStore(m, false);
                NetworkPass.FeatureOutput f = NetworkPass.features(split, ps,
                        InputTensors.batch(m, set.pixels(start, end), set.spec()), stages);
                float[][] means = NetworkPass.rows(f.stageMeans());
                float[][] head = NetworkPass.rows(NetworkPass.head(split.head(), ps,
                        new NetworkPass.FeatureOutput(f.maps(), null)).scopeFeatures());
                for (int i = 0; i < end - start; i++) {
                    int from = 0;
                    for (int t = 0; t < TAPS.length; t++) {
                        out[t][start + i] = Arrays.copyOfRange(means[i], from, from + WIDTHS[t]);
                        from += WIDTHS[t];
                    }
                    if (from != means[i].length) {
                        throw new IllegalStateException("stage means have " + means[i].length + " values, WIDTHS "
                                + from);
                    }
                    out[PROJ][start + i] = Arrays.copyOfRange(head[i], 0, 256);
                    out[LSTM][start + i] = Arrays.copyOfRange(head[i], 256, head[i].length);
                }
            }
        }
        return Arrays.asList(out);
    }
}
