import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.pneumo.data.ImageSource;
import org.pneumo.infer.Detector;

/**
 * Inference speed of a model folder: single-image latency from file to probability (median and p99 over many runs
 * after warm-up), with and without a Grad-CAM heatmap, and folder throughput in real batches. Run by
 * bench/predict.sh.
 *
 * <p>Usage: java -cp app/target/pneumo.jar bench/PredictLatency.java MODEL_DIR IMAGE FOLDER [runs]
 */
public final class PredictLatency {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path image = Path.of(args[1]);
        Path folder = Path.of(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        try (Detector detector = Detector.load(model)) {
            latency("single image, file to probability", runs, () -> detector.predict(image));
            latency("single image with Grad-CAM heatmap", Math.max(20, runs / 5),
                    () -> detector.predictWithHeatmap(image));
            List<Path> files;
            try (Stream<Path> s = Files.walk(folder)) {
                files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jpeg")).sorted().toList();
            }
            detector.predictFiles(files.subList(0, Math.min(64, files.size())), 32, false, n -> {});
            for (boolean heat : new boolean[] {false, true}) {
                long t = System.nanoTime();
                detector.predictEach(files.stream().map(ImageSource::of).iterator(), 32, heat, r -> {});
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "folder\t%s\t%d images\t%.1f images/s%s%n", folder, files.size(),
                        files.size() / s, heat ? "\twith heatmaps (maps only, no PNG files)" : "");
            }
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static void latency(String what, int runs, Call call) throws Exception {
        for (int i = 0; i < 20; i++) {
            call.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "latency\t%s\tmedian %.1f ms\tp99 %.1f ms\t(%d runs after 20 warm-up)%n", what,
                ms[runs / 2], ms[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)], runs);
    }
}
