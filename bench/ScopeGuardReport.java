import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.LabeledImage;
import org.pneumo.eval.RankMetrics;
import org.pneumo.infer.Detector;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.PredictionResult;

/**
 * The out-of-scope guard's table for one model: the share flagged on its validation split, the official val/ folder,
 * fullres-sample, foreign/nih-adult-dev and synthetic pictures that are not X-rays, the AUROC of the typicality score
 * (validation against NIH), and the guard's cost per image. Usage (bench/scope-guard.sh): MODEL_DIR DATA_ROOT.
 */
public class ScopeGuardReport {
    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        BadFilePolicy quiet = new BadFilePolicy(false, line -> { });
        try (Detector detector = Detector.load(modelDir)) {
            if (!detector.hasScopeGuard()) {
                System.out.println(modelDir + " has no out-of-scope guard");
                return;
            }
            Map<String, List<Path>> sets = new LinkedHashMap<>();
            sets.put("validation split", ModelEvaluator.validationImages(modelDir, detector.info(),
                    data.resolve("chest_xray/train")).stream().map(LabeledImage::file).toList());
            sets.put("official val/", files(data.resolve("chest_xray/val"), quiet));
            sets.put("fullres-sample", files(data.resolve("fullres-sample/train"), quiet));
            sets.put("nih-adult-dev", files(data.resolve("foreign/nih-adult-dev"), quiet));
            Map<String, double[]> distances = new LinkedHashMap<>();
            System.out.println("| images | n | flagged out of scope | unusual (in scope, caution) |");
            System.out.println("|---|---|---|---|");
            for (Map.Entry<String, List<Path>> e : sets.entrySet()) {
                List<PredictionResult> results = detector.predictFiles(e.getValue(), 32, false, n -> { });
                double[] d = results.stream().filter(r -> !r.failed())
                        .mapToDouble(r -> r.prediction().scope().typicality()).toArray();
                long flagged = results.stream().filter(r -> !r.failed() && r.prediction().scope().outOfScope())
                        .count();
                long unusual = results.stream().filter(r -> !r.failed() && r.prediction().scope().note() != null)
                        .count();
                distances.put(e.getKey(), d);
                row(e.getKey(), d.length, flagged, unusual);
            }
            Map<String, BufferedImage> synthetic = nonXrays();
            List<org.pneumo.infer.ScopeVerdict> verdicts = synthetic.entrySet().stream()
                    .map(e -> detector.predict(e.getKey(), e.getValue(), false).scope()).toList();
            row("synthetic non-X-rays (" + String.join(", ", kinds(synthetic)) + ")", synthetic.size(),
                    verdicts.stream().filter(v -> v.outOfScope()).count(),
                    verdicts.stream().filter(v -> v.note() != null).count());
            System.out.printf(Locale.ROOT, "%nAUROC of the typicality distance, validation split vs nih-adult-dev:"
                    + " %.4f%n", auroc(distances.get("validation split"), distances.get("nih-adult-dev")));
            if (detector.info().scope() != null) {
                System.out.printf(Locale.ROOT, "cut %.2f (%s)%n", detector.info().scope().cut(),
                        detector.info().scope().chosen());
            } else {
                System.out.println("an ensemble: an image is out of scope when any member's guard says so");
            }
        }
    }

    static void row(String name, int n, long flagged, long unusual) {
        System.out.printf(Locale.ROOT, "| %s | %d | %d (%.1f%%) | %d (%.1f%%) |%n", name, n, flagged,
                100.0 * flagged / n, unusual, 100.0 * unusual / n);
    }

    static List<Path> files(Path folder, BadFilePolicy policy) {
        return ImageFolder.list(folder, false, policy).stream().map(LabeledImage::file).toList();
    }

    static List<String> kinds(Map<String, BufferedImage> images) {
        List<String> out = new ArrayList<>();
        for (String k : images.keySet()) {
            String kind = k.replaceAll(" \\d+$", "");
            if (!out.contains(kind)) {
                out.add(kind);
            }
        }
        return out;
    }

    /** 10 each of noise, gradients, checkerboards, text on paper and coloured shapes, 256 px. */
    static Map<String, BufferedImage> nonXrays() {
        Random r = new Random(1);
        int size = 256;
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            BufferedImage noise = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage gradient = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage checker = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            int cell = 8 + 4 * i;
            double angle = i * Math.PI / 10;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    noise.getRaster().setSample(x, y, 0, r.nextInt(256));
                    double t = (x * Math.cos(angle) + y * Math.sin(angle)) / (size * 1.5) + 0.25;
                    gradient.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, 255 * t)));
                    checker.getRaster().setSample(x, y, 0, ((x / cell + y / cell) % 2) * 220 + 20);
                }
            }
            out.put("noise " + i, noise);
            out.put("gradient " + i, gradient);
            out.put("checkerboard " + i, checker);
            BufferedImage text = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = text.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SERIF, Font.PLAIN, 18 + 2 * i));
            for (int line = 0; line < 8; line++) {
                g.drawString("Line " + line + " of page " + i + ", some words", 6, 30 + 28 * line);
            }
            g.dispose();
            out.put("text " + i, text);
            BufferedImage shapes = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            g = shapes.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(0, 0, size, size);
            for (int k = 0; k < 6; k++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                g.fillOval(r.nextInt(size), r.nextInt(size), 30 + r.nextInt(100), 30 + r.nextInt(100));
            }
            g.dispose();
            out.put("coloured shapes " + i, shapes);
        }
        return out;
    }

    /** ROC AUC of the distance as a score for "NIH" (1) against "validation" (0), by eval's one implementation. */
    static double auroc(double[] negatives, double[] positives) {
        int[] truth = new int[negatives.length + positives.length];
        double[] score = new double[truth.length];
        System.arraycopy(negatives, 0, score, 0, negatives.length);
        System.arraycopy(positives, 0, score, negatives.length, positives.length);
        Arrays.fill(truth, negatives.length, truth.length, 1);
        return RankMetrics.rocAuc(truth, score);
    }
}
