import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.pneumo.data.ImageSource;
import org.pneumo.infer.Detector;
import org.pneumo.infer.Prediction;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.TypicalityModel;

/**
 * What the out-of-scope guard adds to a prediction, measured in one JVM: the model folder as it is against a copy of
 * it without the guard (no typicality.bin, no "scope" in model.json: a folder from before the guard), loaded side by
 * side and timed in alternating rounds (the order flips every round), so both see the same machine load.
 *
 * <p>Both run the same network pass, which includes pooling the guard's features from the last feature maps; the
 * difference is what the guard does beyond that pass: reading the features out of the tensor and the Mahalanobis
 * distance with its percentile. The distance alone is also timed directly on feature vectors.
 *
 * <p>Usage: java -cp app/target/pneumo.jar bench/GuardCost.java MODEL_DIR IMAGE FOLDER [rounds] [folder images]
 */
public final class GuardCost {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path image = Path.of(args[1]);
        Path folder = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int folderImages = args.length > 4 ? Integer.parseInt(args[4]) : 320;
        Path bare = Files.createTempDirectory("pneumo-noguard");
        try {
            ModelInfo info = ModelFiles.readInfo(model);
            if (info.scope() == null) {
                throw new IllegalArgumentException(model + " has no out-of-scope guard");
            }
            for (String f : List.of(ModelFiles.INFO_FILE, ModelFiles.WEIGHTS_FILE)) {
                Files.copy(model.resolve(f), bare.resolve(f));
            }
            JsonObject json = JsonParser.parseString(Files.readString(bare.resolve(ModelFiles.INFO_FILE)))
                    .getAsJsonObject();
            json.remove("scope");
            Files.writeString(bare.resolve(ModelFiles.INFO_FILE), json.toString(), StandardCharsets.UTF_8);
            List<Path> files;
            try (Stream<Path> s = Files.walk(folder)) {
                files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jpeg")).sorted()
                        .limit(folderImages).toList();
            }
            long guardBytes = Files.size(model.resolve(info.scope().file()));
            System.out.printf(Locale.ROOT, "# %d cores, %s; model %s (%s, %d bytes), %d rounds, folder %d images%n",
                    Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(), info.modelId(),
                    info.scope().file(), guardBytes, rounds, files.size());
            try (Detector with = Detector.load(model); Detector without = Detector.load(bare)) {
                Prediction a = with.predict(image);
                Prediction b = without.predict(image);
                if (a.probability() != b.probability() || a.scope().inScope() == null || b.scope().inScope() != null) {
                    throw new IllegalStateException("the two folders do not give the same answer with and without"
                            + " the guard: " + a + " / " + b);
                }
                Detector[] detectors = {with, without};
                List<List<Double>> single = List.of(new ArrayList<>(), new ArrayList<>());
                List<List<Double>> batch = List.of(new ArrayList<>(), new ArrayList<>());
                for (Detector d : detectors) { // warm-up
                    for (int i = 0; i < 30; i++) {
                        d.predict(image);
                    }
                    d.predictEach(files.stream().limit(64).map(ImageSource::of).iterator(), 32, false, r -> {});
                }
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < 2; k++) {
                        int which = (round + k) % 2;
                        Detector d = detectors[which];
                        for (int i = 0; i < 50; i++) {
                            long t = System.nanoTime();
                            d.predict(image);
                            single.get(which).add((System.nanoTime() - t) / 1e6);
                        }
                        long t = System.nanoTime();
                        d.predictEach(files.stream().map(ImageSource::of).iterator(), 32, false, r -> {});
                        batch.get(which).add((System.nanoTime() - t) / 1e6 / files.size());
                    }
                }
                double s1 = median(single.get(0));
                double s0 = median(single.get(1));
                double b1 = median(batch.get(0));
                double b0 = median(batch.get(1));
                System.out.printf(Locale.ROOT, "single image, file to probability: median %.2f ms with the guard,"
                        + " %.2f ms without (%d calls each): %+.2f ms%n", s1, s0, single.get(0).size(), s1 - s0);
                List<Double> paired = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    paired.add(batch.get(0).get(i) - batch.get(1).get(i));
                }
                System.out.printf(Locale.ROOT, "folder in batches of 32: median of %d rounds %.2f ms/image with the"
                        + " guard, %.2f ms/image without: %+.2f ms/image (per round %+.2f to %+.2f, median %+.2f)%n",
                        rounds, b1, b0, b1 - b0, paired.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                        paired.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(paired));
            }
            TypicalityModel guard = ModelFiles.readTypicality(model, info);
            Random r = new Random(1);
            float[][] vectors = new float[1000][guard.featureCount()];
            for (float[] v : vectors) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
            }
            double sink = 0;
            for (int pass = 0; pass < 3; pass++) { // the first two passes warm up the JIT
                long t = System.nanoTime();
                for (int rep = 0; rep < 20; rep++) {
                    for (float[] v : vectors) {
                        double d = guard.distance(v);
                        sink += guard.percentile(d);
                    }
                }
                if (pass == 2) {
                    System.out.printf(Locale.ROOT, "distance and percentile alone: %.1f microseconds per image (%d"
                            + " features)%n", (System.nanoTime() - t) / 1e3 / 20_000, guard.featureCount());
                }
            }
            if (sink == 42) { // keeps the JIT from dropping the timed calls
                System.out.println();
            }
        } finally {
            try (Stream<Path> s = Files.walk(bare)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
