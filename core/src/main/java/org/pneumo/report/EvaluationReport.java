package org.pneumo.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pneumo.io.AtomicFiles;
import org.pneumo.eval.ClassificationReport;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.Evaluation;
import org.pneumo.eval.Figure;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.ScopeVerdict;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.train.EpochRecord;

/**
 * Writes an {@link Evaluation} into a folder: {@code metrics.json}, {@code predictions.csv}, the pictures (confusion
 * matrix, ROC, precision-recall, calibration, training curves when the model has a history) and {@code report.html},
 * one self-contained page with all of them, the model's card and the data attribution.
 */
public final class EvaluationReport {
    /** The attribution every report carries (data README). */
    public static final String ATTRIBUTION = "Data: Kermany, Zhang, Goldbaum, \"Labeled Optical Coherence Tomography"
            + " (OCT) and Chest X-Ray Images for Classification\", Mendeley Data v2, doi:10.17632/rscbjbr9sj.2,"
            + " licence CC BY 4.0 (Guangzhou Women and Children's Medical Center; distributed on Kaggle as \"Chest"
            + " X-Ray Images (Pneumonia)\"). Cite: Kermany et al., Cell 172(5):1122-1131, 2018.";

    private EvaluationReport() {}

    /** Mistakes shown with pictures in the report. */
    public static final int GALLERY = 12;

    /** The files written, by name (no picture gallery of mistakes). */
    public static List<String> write(Evaluation e, ModelInfo model, List<EpochRecord> history, String dataName,
            Path out) throws IOException {
        return write(e, model, history, dataName, out, List.of());
    }

    /**
     * The files written, by name.
     *
     * @param gallery the most confident mistakes with their pictures ({@link ErrorGallery}), shown first in the report
     */
    public static List<String> write(Evaluation e, ModelInfo model, List<EpochRecord> history, String dataName,
            Path out, List<ErrorGallery.Example> gallery) throws IOException {
        return write(e, model, history, dataName, out, gallery, null);
    }

    /**
     * The files written, by name.
     *
     * @param gallery the most confident mistakes with their pictures ({@link ErrorGallery}), shown first in the report
     * @param scope the out-of-scope guard's answers on these images (the report lists the flagged images, or says the
     *     model has no guard); null leaves the section out
     */
    public static List<String> write(Evaluation e, ModelInfo model, List<EpochRecord> history, String dataName,
            Path out, List<ErrorGallery.Example> gallery, ModelEvaluator.ScopedEvaluation scope) throws IOException {
        Files.createDirectories(out);
        Map<String, byte[]> pictures = new LinkedHashMap<>();
        ConfusionMatrix c = e.confusion();
        pictures.put("confusion_matrix.png", confusionPair(c, String.format(Locale.ROOT, "threshold %.4f",
                e.threshold())));
        pictures.put("confusion_matrix_0.5.png", confusionPair(e.confusionAtHalf(), "threshold 0.5"));
        double fpr = c.specificity().defined() ? 1 - c.specificity().value() : Double.NaN;
        double tpr = c.sensitivity().defined() ? c.sensitivity().value() : Double.NaN;
        double t = e.threshold();
        if (e.rocAuc().defined()) {
            JFreeChartPair roc = new JFreeChartPair(Charts.roc(e.roc(), e.rocAuc(), fpr, tpr, t, null),
                    e.rocAuc().value() >= 0.9 ? Charts.roc(e.roc(), e.rocAuc(), fpr, tpr, t, rocZoom(fpr, tpr))
                            : null);
            pictures.put("roc.png", roc.png(new double[] {0.40, 0.30, 0.55, 0.45}));
        }
        if (e.averagePrecision().defined()) {
            double prevalence = (double) (c.tp() + c.fn()) / Math.max(1, c.total());
            double precision = c.ppv().defined() ? c.ppv().value() : Double.NaN;
            JFreeChartPair pr = new JFreeChartPair(Charts.precisionRecall(e.precisionRecall(), e.averagePrecision(),
                    prevalence, tpr, precision, t, null), e.averagePrecision().value() >= 0.9
                            ? Charts.precisionRecall(e.precisionRecall(), e.averagePrecision(), prevalence, tpr,
                                    precision, t, prZoom(tpr, precision))
                            : null);
            pictures.put("pr.png", pr.png(new double[] {0.14, 0.38, 0.55, 0.40}));
        }
        pictures.put("calibration.png", Charts.png(Charts.calibration(e.calibration()), 620, 620));
        if (history != null && !history.isEmpty()) {
            pictures.put("training_curves.png", Charts.png(Charts.trainingCurves(history), 760, 620));
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> p : pictures.entrySet()) {
            AtomicFiles.write(out.resolve(p.getKey()), p.getValue());
            written.add(p.getKey());
        }
        Map<String, Object> metrics = new LinkedHashMap<>(e.metrics());
        metrics.put("model_id", model.modelId());
        metrics.put("data", dataName);
        AtomicFiles.write(out.resolve("metrics.json"),
                (ModelFiles.gson().toJson(metrics) + "\n").getBytes(StandardCharsets.UTF_8));
        written.add("metrics.json");
        AtomicFiles.write(out.resolve("predictions.csv"), e.predictionsCsv().getBytes(StandardCharsets.UTF_8));
        written.add("predictions.csv");
        AtomicFiles.write(out.resolve("report.html"),
                html(e, model, dataName, pictures, gallery, scope).getBytes(StandardCharsets.UTF_8));
        written.add("report.html");
        return written;
    }

    /** Counts beside row-normalised rates. */
    private static byte[] confusionPair(ConfusionMatrix m, String at) {
        return Charts.pngSideBySide(Charts.confusionMatrix(m, "Counts at " + at, false),
                Charts.confusionMatrix(m, "Rates per actual class at " + at, true), 460, 420);
    }

    /** The zoom window of the ROC inset: the top-left corner, wide enough to hold the operating point. */
    static double[] rocZoom(double fpr, double tpr) {
        double x = Double.isNaN(fpr) ? 0.1 : Math.max(0.1, Math.min(1, 1.5 * fpr));
        double y = Double.isNaN(tpr) ? 0.9 : Math.min(0.9, Math.max(0, tpr - 0.05));
        return new double[] {0, x, y, 1};
    }

    /** The zoom window of the precision-recall inset: the top-right corner. */
    static double[] prZoom(double recall, double precision) {
        double x = Double.isNaN(recall) ? 0.9 : Math.min(0.9, Math.max(0, recall - 0.05));
        double y = Double.isNaN(precision) ? 0.9 : Math.min(0.9, Math.max(0, precision - 0.05));
        return new double[] {x, 1, y, 1};
    }

    /** A chart and, when the curve hugs a corner, its zoomed copy drawn as an inset. */
    private record JFreeChartPair(org.jfree.chart.JFreeChart chart, org.jfree.chart.JFreeChart zoom) {
        byte[] png(double[] inset) {
            return zoom == null ? Charts.png(chart, 620, 560) : Charts.pngWithInset(chart, zoom, inset, 620, 560);
        }
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    static String html(Evaluation e, ModelInfo model, String dataName, Map<String, byte[]> pictures,
            List<ErrorGallery.Example> gallery) {
        return html(e, model, dataName, pictures, gallery, null);
    }

    static String html(Evaluation e, ModelInfo model, String dataName, Map<String, byte[]> pictures,
            List<ErrorGallery.Example> gallery, ModelEvaluator.ScopedEvaluation scope) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>pneumo evaluation: ").append(escape(model.modelId())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;")
                .append("max-width:1100px;padding:0 1rem;color:#1b1b1b;line-height:1.45}\n")
                .append("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;")
                .append("border-bottom:1px solid #ddd;padding-bottom:.2rem}\n")
                .append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;")
                .append("padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f3f6fa}\n")
                .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".notice{background:#fff4e5;border:1px solid #f0c36d;padding:.6rem .9rem;border-radius:4px}\n")
                .append(".grid{display:flex;flex-wrap:wrap;gap:1rem}.grid img{max-width:100%;height:auto;")
                .append("border:1px solid #eee}\n.warn{background:#fdecea;border:1px solid #e0a09a;padding:.6rem .9rem;")
                .append("border-radius:4px}\n.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));")
                .append("gap:1rem}.gallery figure{margin:0;border:1px solid #ddd;padding:.5rem;border-radius:4px}")
                .append(".gallery img{width:220px;max-width:49%;height:auto;vertical-align:top}")
                .append(".gallery figcaption{font-size:.9rem;margin-top:.3rem;overflow-wrap:anywhere}\n")
                .append("table.card th{width:12rem}\n")
                .append("pre{background:#f7f7f7;padding:.8rem;overflow-x:auto}footer{margin-top:2.5rem;")
                .append("font-size:.85rem;color:#555}\n</style></head><body>\n");
        h.append("<h1>Evaluation of ").append(escape(model.modelId())).append("</h1>\n");
        h.append("<p>on <code>").append(escape(dataName)).append("</code>: ").append(e.images().size())
                .append(" images, ").append(e.skipped().size()).append(" files skipped.</p>\n");
        h.append("<p class=\"notice\">pneumo is a research and teaching tool, not a medical device. Its figures"
                + " describe this model on these images only.</p>\n");
        if (e.smallSample()) {
            h.append("<p class=\"warn\"><strong>Too few images to trust these figures.</strong> ")
                    .append(escape(e.smallSampleWarning())).append("</p>\n");
        }

        h.append("<h2>Headline figures</h2>\n<table><tr><th>figure</th><th>at the operating threshold ")
                .append(String.format(Locale.ROOT, "%.4f", e.threshold())).append("<br><small>")
                .append(escape(e.thresholdMethod())).append("</small></th><th>at threshold 0.5</th></tr>\n");
        ConfusionMatrix c = e.confusion();
        ConfusionMatrix half = e.confusionAtHalf();
        row(h, "accuracy", c.accuracy(), half.accuracy());
        row(h, "sensitivity (recall of PNEUMONIA)", c.sensitivity(), half.sensitivity());
        row(h, "specificity (recall of NORMAL)", c.specificity(), half.specificity());
        row(h, "PPV (precision of PNEUMONIA)", c.ppv(), half.ppv());
        row(h, "NPV (precision of NORMAL)", c.npv(), half.npv());
        row(h, "ROC AUC", e.rocAuc(), e.rocAuc());
        row(h, "average precision", e.averagePrecision(), e.averagePrecision());
        h.append("</table>\n<p><small>95% intervals: ").append(escape(String.valueOf(e.metrics().get("intervals"))
                .replaceFirst("^95%: ", ""))).append(".</small></p>\n");

        h.append("<h2>Confusion matrix and classification report</h2>\n<div class=\"grid\">");
        img(h, pictures, "confusion_matrix.png", "Confusion matrix at the operating threshold: counts and rates"
                + " per actual class");
        img(h, pictures, "confusion_matrix_0.5.png", "Confusion matrix at threshold 0.5: counts and rates per"
                + " actual class");
        h.append("</div>\n<pre>").append(escape(ClassificationReport.of(c).toText())).append("</pre>\n");

        h.append("<h2>Curves</h2>\n<div class=\"grid\">");
        img(h, pictures, "roc.png", "ROC curve");
        img(h, pictures, "pr.png", "Precision-recall curve");
        img(h, pictures, "calibration.png", "Calibration plot");
        h.append("</div>\n");
        if (pictures.containsKey("training_curves.png")) {
            h.append("<h2>Training</h2>\n");
            img(h, pictures, "training_curves.png", "Training curves");
        }

        h.append("<h2>Misclassified images at the operating threshold</h2>\n");
        List<Integer> wrong = ErrorGallery.mistakes(e);
        double[] p = e.probabilities();
        if (wrong.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<p>").append(wrong.size()).append(wrong.size() == 1 ? " image" : " images")
                    .append(", most confident mistakes first; all are in predictions.csv.</p>\n");
        }
        java.util.Set<Integer> shown = new java.util.HashSet<>();
        if (!gallery.isEmpty()) {
            h.append("<div class=\"gallery\">\n");
            for (ErrorGallery.Example x : gallery) {
                shown.add(x.index());
                h.append("<figure>");
                picture(h, x.xray(), "X-ray " + shortName(x.file()));
                picture(h, x.heatmap(), "Grad-CAM heatmap of " + shortName(x.file()));
                h.append("<figcaption><strong>").append(x.actual()).append(" called ").append(e.predicted(x.index()))
                        .append("</strong>, probability of pneumonia ").append(probability(x.probability()))
                        .append("<br><code>").append(escape(shortName(x.file()))).append("</code></figcaption>")
                        .append("</figure>\n");
            }
            h.append("</div>\n");
        }
        List<Integer> rest = wrong.stream().filter(i -> !shown.contains(i)).limit(50).toList();
        if (!rest.isEmpty()) {
            h.append("<table><tr><th>file</th><th>actual</th><th>predicted</th><th>probability of pneumonia</th>")
                    .append("</tr>\n");
            for (int i : rest) {
                h.append("<tr><td><code>").append(escape(shortName(e.images().get(i).file()))).append("</code></td><td>")
                        .append(e.images().get(i).label()).append("</td><td>").append(e.predicted(i))
                        .append("</td><td class=\"num\">").append(probability(p[i])).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (scope != null) {
            outOfScope(h, scope);
        }
        if (!e.skipped().isEmpty()) {
            h.append("<h2>Skipped files</h2>\n<ul>\n");
            e.skipped().forEach(s -> h.append("<li>").append(escape(s.file().toString())).append(": ")
                    .append(escape(s.reason())).append("</li>\n"));
            h.append("</ul>\n");
        }

        h.append("<h2>Model card</h2>\n").append(ModelCardReport.html(model));
        h.append("<footer><p>").append(escape(ATTRIBUTION)).append("</p><p>Made by pneumo.</p></footer>\n")
                .append("</body></html>\n");
        return h.toString();
    }

    /** Out-of-scope images listed in the report at most; all of them are in out_of_scope.csv. */
    static final int OUT_OF_SCOPE_ROWS = 500;

    /** The images the out-of-scope guard flagged, by class folder and file name (never the machine's path). */
    private static void outOfScope(StringBuilder h, ModelEvaluator.ScopedEvaluation scope) {
        h.append("<h2>Out of scope (unlike the training images)</h2>\n");
        if (!scope.guard()) {
            h.append("<p>Not checked: ").append(escape(ScopeVerdict.UNAVAILABLE)).append(".</p>\n");
            return;
        }
        List<ModelEvaluator.OutOfScopeImage> flagged = scope.outOfScope();
        h.append("<p>").append(flagged.size()).append(" of ").append(scope.all().images().size())
                .append(String.format(Locale.ROOT, " images (%.1f%%) are unlike the images the model was trained on",
                        100 * scope.flaggedShare()));
        if (flagged.isEmpty()) {
            h.append(".</p>\n");
            return;
        }
        h.append(": the model's answers on them are not to be trusted. The figures above include them; the same"
                + " figures on the in-scope images only are in summary_in_scope.txt, and every flagged image is in"
                + " out_of_scope.csv.</p>\n");
        h.append("<table><tr><th>file</th><th>actual</th><th>answer (unreliable)</th>")
                .append("<th>probability of pneumonia</th><th>typicality distance</th>")
                .append("<th>validation images closer</th></tr>\n");
        for (ModelEvaluator.OutOfScopeImage o : flagged.subList(0, Math.min(OUT_OF_SCOPE_ROWS, flagged.size()))) {
            Prediction p = o.prediction();
            h.append("<tr><td><code>").append(escape(shortName(o.image().file()))).append("</code></td><td>")
                    .append(o.image().label()).append("</td><td>").append(p.label()).append("</td><td class=\"num\">")
                    .append(probability(p.probability())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f", p.scope().typicality()))
                    .append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * p.scope().percentile()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (flagged.size() > OUT_OF_SCOPE_ROWS) {
            h.append("<p>and ").append(flagged.size() - OUT_OF_SCOPE_ROWS).append(" more in out_of_scope.csv.</p>\n");
        }
    }

    private static void row(StringBuilder h, String name, Figure a, Figure b) {
        h.append("<tr><td>").append(escape(name)).append("</td><td class=\"num\">").append(escape(a.format(4)))
                .append("</td><td class=\"num\">").append(escape(b.format(4))).append("</td></tr>\n");
    }

    /** The class folder and file name: enough to find the image, without the machine's absolute path. */
    static String shortName(Path file) {
        int n = file.getNameCount();
        return n >= 2 ? file.getName(n - 2) + "/" + file.getFileName() : file.toString();
    }

    /** A probability as the web page and heatmaps write it, escaped for HTML. */
    static String probability(double p) {
        return escape(org.pneumo.infer.HeatmapImage.probability(p));
    }

    /** The width stored in a PNG's header. */
    static int pngWidth(byte[] png) {
        return ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
    }

    private static void picture(StringBuilder h, byte[] png, String alt) {
        h.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">");
    }

    private static void img(StringBuilder h, Map<String, byte[]> pictures, String name, String alt) {
        byte[] png = pictures.get(name);
        if (png == null) {
            return;
        }
        int width = pngWidth(png) / Charts.SCALE;
        h.append("<img alt=\"").append(escape(alt)).append("\" width=\"").append(width)
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\">\n");
    }
}
