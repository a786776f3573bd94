import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.pneumo.infer.Detector;

/**
 * Resident memory over many single predictions: a leak of even one small native tensor per call shows as growth
 * outside the Java heap. Run by bench/predict-memory.sh (moved out of the unit tests: its cost explodes on a busy
 * machine).
 *
 * <p>Usage: java -cp app/target/pneumo.jar bench/PredictMemory.java [MODEL_DIR|shipped] [predictions]
 */
public final class PredictMemory {
    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "shipped";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        try (Detector detector = "shipped".equals(model) ? Detector.loadShipped() : Detector.load(Path.of(model))) {
            int size = detector.inputSpec().imageSize();
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            Random random = new Random(3);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.getRaster().setSample(x, y, 0, 60 + random.nextInt(120));
                }
            }
            for (int i = 0; i < n / 5; i++) {
                detector.predict("warm-up", img, false);
            }
            System.gc();
            long rssBefore = rssKb();
            long heapBefore = Runtime.getRuntime().totalMemory() / 1024;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                detector.predict("x", img, false);
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            System.gc();
            long rssAfter = rssKb();
            long heapAfter = Runtime.getRuntime().totalMemory() / 1024;
            long nativeGrowth = (rssAfter - rssBefore) - Math.max(0, heapAfter - heapBefore);
            System.out.printf(Locale.ROOT, "%d predictions (%dx%d) in %.1f s; RSS %d -> %d kB, committed heap %d -> %d"
                    + " kB; growth outside the heap %d kB%n", n, size, size, seconds, rssBefore, rssAfter, heapBefore,
                    heapAfter, nativeGrowth);
            if (nativeGrowth > 48 * 1024) {
                System.out.println("FAIL: more than 48 MB of native growth");
                System.exit(1);
            }
        }
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
