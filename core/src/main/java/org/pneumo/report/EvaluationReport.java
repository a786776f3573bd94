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

    /** The files written, by name. */
    public static List<String> write(Evaluation e, ModelInfo model, List<EpochRecord> history, String dataName,
            Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, byte[]> pictures = new LinkedHashMap<>();
        ConfusionMatrix c = e.confusion();
        pictures.put("confusion_matrix.png", Charts.png(Charts.confusionMatrix(c, String.format(Locale.ROOT,
                "Confusion matrix at threshold %.4f", e.threshold())), 560, 480));
        pictures.put("confusion_matrix_0.5.png", Charts.png(Charts.confusionMatrix(e.confusionAtHalf(),
                "Confusion matrix at threshold 0.5"), 560, 480));
        double fpr = c.specificity().defined() ? 1 - c.specificity().value() : Double.NaN;
        double tpr = c.sensitivity().defined() ? c.sensitivity().value() : Double.NaN;
        if (e.rocAuc().defined()) {
            pictures.put("roc.png", Charts.png(Charts.roc(e.roc(), e.rocAuc(), fpr, tpr), 620, 560));
        }
        if (e.averagePrecision().defined()) {
            double prevalence = (double) (c.tp() + c.fn()) / Math.max(1, c.total());
            double precision = c.ppv().defined() ? c.ppv().value() : Double.NaN;
            pictures.put("pr.png", Charts.png(Charts.precisionRecall(e.precisionRecall(), e.averagePrecision(),
                    prevalence, tpr, precision), 620, 560));
        }
        pictures.put("calibration.png", Charts.png(Charts.calibration(e.calibration()), 620, 560));
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
        AtomicFiles.write(out.resolve("report.html"), html(e, model, dataName, pictures).getBytes(StandardCharsets.UTF_8));
        written.add("report.html");
        return written;
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

    static String html(Evaluation e, ModelInfo model, String dataName, Map<String, byte[]> pictures) {
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
                .append(".grid{display:flex;flex-wrap:wrap;gap:1rem}.grid img{max-width:48%;height:auto;border:1px solid #eee}\n")
                .append("pre{background:#f7f7f7;padding:.8rem;overflow-x:auto}footer{margin-top:2.5rem;")
                .append("font-size:.85rem;color:#555}\n</style></head><body>\n");
        h.append("<h1>Evaluation of ").append(escape(model.modelId())).append("</h1>\n");
        h.append("<p>on <code>").append(escape(dataName)).append("</code>: ").append(e.images().size())
                .append(" images, ").append(e.skipped().size()).append(" files skipped.</p>\n");
        h.append("<p class=\"notice\">pneumo is a research and teaching tool, not a medical device. Its figures"
                + " describe this model on these images only.</p>\n");

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
        h.append("</table>\n<p><small>95% intervals: Wilson for proportions; percentile bootstrap (")
                .append(Evaluation.BOOTSTRAP_RESAMPLES).append(" resamples, seeded) for ROC AUC.</small></p>\n");

        h.append("<h2>Confusion matrix and classification report</h2>\n<div class=\"grid\">");
        img(h, pictures, "confusion_matrix.png", "Confusion matrix at the operating threshold");
        img(h, pictures, "confusion_matrix_0.5.png", "Confusion matrix at threshold 0.5");
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
        List<Integer> wrong = new ArrayList<>();
        double[] p = e.probabilities();
        for (int i = 0; i < p.length; i++) {
            if (e.predicted(i) != e.images().get(i).label()) {
                wrong.add(i);
            }
        }
        wrong.sort((a, b) -> Double.compare(Math.abs(p[b] - e.threshold()), Math.abs(p[a] - e.threshold())));
        if (wrong.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<p>").append(wrong.size()).append(" images, most confident mistakes first")
                    .append(wrong.size() > 50 ? " (first 50 shown; all are in predictions.csv)" : "")
                    .append(".</p>\n<table><tr><th>file</th><th>actual</th><th>predicted</th>")
                    .append("<th>P(pneumonia)</th></tr>\n");
            for (int i : wrong.subList(0, Math.min(50, wrong.size()))) {
                h.append("<tr><td>").append(escape(e.images().get(i).file().toString())).append("</td><td>")
                        .append(e.images().get(i).label()).append("</td><td>").append(e.predicted(i))
                        .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.4f", p[i]))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!e.skipped().isEmpty()) {
            h.append("<h2>Skipped files</h2>\n<ul>\n");
            e.skipped().forEach(s -> h.append("<li>").append(escape(s.file().toString())).append(": ")
                    .append(escape(s.reason())).append("</li>\n"));
            h.append("</ul>\n");
        }

        h.append("<h2>Model card</h2>\n<table>\n");
        card(h, "model", model.modelId());
        card(h, "network", model.architecture() + String.format(Locale.ROOT, ", %,d parameters",
                model.parameterCount()));
        card(h, "input", model.input().imageSize() + "x" + model.input().imageSize() + "x" + model.input().channels());
        card(h, "preprocessing", model.preprocessing());
        card(h, "operating threshold", String.format(Locale.ROOT, "%.4f (%s)", model.threshold().value(),
                model.threshold().method()));
        card(h, "training settings", flat(model.training()));
        card(h, "training data", flat(model.data()));
        card(h, "validation figures", flat(model.validation()));
        card(h, "created", model.created());
        h.append("</table>\n<footer><p>").append(escape(ATTRIBUTION)).append("</p><p>Made by pneumo.</p></footer>\n")
                .append("</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String name, Figure a, Figure b) {
        h.append("<tr><td>").append(escape(name)).append("</td><td class=\"num\">").append(escape(a.format(4)))
                .append("</td><td class=\"num\">").append(escape(b.format(4))).append("</td></tr>\n");
    }

    private static void card(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static String flat(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder();
        map.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        return sb.toString();
    }

    private static void img(StringBuilder h, Map<String, byte[]> pictures, String name, String alt) {
        byte[] png = pictures.get(name);
        if (png == null) {
            return;
        }
        h.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }
}
