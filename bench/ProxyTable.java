import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.LabelAuditFile;
import org.pneumo.data.LabeledImage;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.Evaluation;
import org.pneumo.eval.RankMetrics;
import org.pneumo.eval.TemperatureScaling;
import org.pneumo.eval.Thresholds;
import org.pneumo.infer.Detector;
import org.pneumo.infer.ModelEvaluator;

/**
 * The proxies of issue 10 for some model folders, none of them the official test split: the model's own validation
 * split, the same without the label audit's suspects ("clean"), the official val/ folder, and fullres-sample (full
 * resolution originals of training images: agreement, not a held-out figure). For each model: ROC AUC, and
 * sensitivity/specificity at thresholds chosen on its validation split by several rules; expected calibration error
 * before and after a temperature fitted on validation. Usage (bench/proxy-table.sh): DATA_ROOT AUDIT_CSV MODEL_DIR...
 */
public class ProxyTable {
    record Scored(int[] truth, double[] p) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path kaggle = data.resolve("chest_xray");
        LabelAuditFile.Result audit = LabelAuditFile.read(Path.of(args[1]));
        Set<String> suspects = audit.entries().stream().filter(LabelAuditFile.Entry::suspect)
                .map(LabelAuditFile.Entry::file).collect(Collectors.toSet());
        BadFilePolicy quiet = new BadFilePolicy(false, line -> { });
        StringBuilder auc = new StringBuilder("| model | validation | validation, clean | val/ (16) | fullres-sample (200) |"
                + " ECE validation (T = 1) | T fitted on validation | ECE after |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder rules = new StringBuilder("| model | rule (chosen on the validation split) | threshold |"
                + " validation sens / spec | clean validation sens / spec | val/ sens / spec | fullres sens / spec |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (int m = 2; m < args.length; m++) {
            Path dir = Path.of(args[m]);
            try (Detector detector = Detector.load(dir)) {
                ModelEvaluator evaluator = new ModelEvaluator(detector, 32, 42);
                Map<String, Scored> proxies = new LinkedHashMap<>();
                List<LabeledImage> validation = ModelEvaluator.images(dir, detector.info(), kaggle,
                        ModelEvaluator.VALIDATION, quiet).images();
                Evaluation v = evaluator.evaluate(validation, quiet, "model", n -> { });
                proxies.put("validation", new Scored(v.truth(), v.probabilities()));
                List<Integer> keep = new ArrayList<>();
                Path trainFolder = kaggle.resolve("train");
                for (int i = 0; i < v.images().size(); i++) {
                    if (!suspects.contains(LabelAuditFile.relative(trainFolder, v.images().get(i).file()))) {
                        keep.add(i);
                    }
                }
                proxies.put("clean", new Scored(keep.stream().mapToInt(i -> v.truth()[i]).toArray(),
                        keep.stream().mapToDouble(i -> v.probabilities()[i]).toArray()));
                for (String[] p : new String[][] {{"val", "val"}, {"fullres", null}}) {
                    List<LabeledImage> images = p[1] != null
                            ? ModelEvaluator.images(dir, detector.info(), kaggle, p[1], quiet).images()
                            : ModelEvaluator.images(dir, detector.info(), data.resolve("fullres-sample/train"),
                                    "train", quiet).images();
                    Evaluation e = evaluator.evaluate(images, quiet, "model", n -> { });
                    proxies.put(p[0], new Scored(e.truth(), e.probabilities()));
                }
                String name = dir.getFileName().toString();
                Scored val = proxies.get("validation");
                double t = TemperatureScaling.fit(val.truth(), val.p());
                auc.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.3f | %.4f |%n", name,
                        RankMetrics.rocAuc(val.truth(), val.p()), aucOf(proxies.get("clean")),
                        aucOf(proxies.get("val")), aucOf(proxies.get("fullres")),
                        TemperatureScaling.expectedCalibrationError(val.truth(), val.p(), 10), t,
                        TemperatureScaling.expectedCalibrationError(val.truth(), TemperatureScaling.apply(val.p(), t),
                                10)));
                Scored clean = proxies.get("clean");
                Map<String, Double> thresholds = new LinkedHashMap<>();
                thresholds.put("the model's own (" + detector.info().threshold().method() + ")",
                        detector.threshold());
                thresholds.put("0.5", 0.5);
                thresholds.put("Youden's J", Thresholds.youden(val.truth(), val.p()));
                thresholds.put("sensitivity >= 0.98", Thresholds.forSensitivity(val.truth(), val.p(), 0.98));
                thresholds.put("sensitivity >= 0.95", Thresholds.forSensitivity(val.truth(), val.p(), 0.95));
                thresholds.put("sensitivity >= 0.98 on clean validation",
                        Thresholds.forSensitivity(clean.truth(), clean.p(), 0.98));
                for (Map.Entry<String, Double> r : thresholds.entrySet()) {
                    double th = r.getValue();
                    rules.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %s | %s | %s |%n", name,
                            r.getKey(), th, at(val, th), at(clean, th), at(proxies.get("val"), th),
                            at(proxies.get("fullres"), th)));
                }
            }
        }
        System.out.println(auc);
        System.out.println(rules);
    }

    private static double aucOf(Scored s) {
        return RankMetrics.rocAuc(s.truth(), s.p());
    }

    private static String at(Scored s, double threshold) {
        ConfusionMatrix c = ConfusionMatrix.atThreshold(s.truth(), s.p(), threshold);
        return String.format(Locale.ROOT, "%.3f / %.3f", c.sensitivity().value(), c.specificity().value());
    }
}
