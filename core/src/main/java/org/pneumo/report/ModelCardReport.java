package org.pneumo.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pneumo.model.ModelCard;
import org.pneumo.model.ModelInfo;

/**
 * A model's card as Markdown: the measured facts of {@code model.json} and its written card, in one page. Keys are
 * sorted, so the same model always gives the same text.
 */
public final class ModelCardReport {
    private ModelCardReport() {}

    /** The card as Markdown ({@code pneumo info}); an absolute training folder is shortened, never shown whole. */
    public static String markdown(ModelInfo model) {
        ModelInfo info = model.withoutMachinePaths();
        ModelCard card = info.card();
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(info.modelId()).append("\n\n");
        md.append("> Research and education tool, not a medical device. Not for diagnosis or any decision about a"
                + " patient.\n\n");
        if (card != null) {
            md.append(card.summary()).append("\n\n");
        }
        md.append("| | |\n|---|---|\n");
        row(md, "Architecture", info.architecture() + ", " + String.format(Locale.ROOT, "%,d", info.parameterCount())
                + " parameters");
        row(md, "Input", info.input().imageSize() + " x " + info.input().imageSize() + " pixels, "
                + info.input().channels() + (info.input().channels() == 1 ? " channel" : " channels"));
        row(md, "Preprocessing", info.preprocessing());
        row(md, "Classes", String.join(", ", info.classes()));
        row(md, "Operating threshold", String.format(Locale.ROOT, "%.4f on P(PNEUMONIA) (%s)",
                info.threshold().value(), info.threshold().method()));
        if (info.threshold().placement() != null) {
            row(md, "Threshold placement", info.threshold().placement());
        }
        if (info.threshold().rechosen() != null) {
            row(md, "Threshold re-chosen", rechosen(info.threshold().rechosen()));
        }
        ModelInfo.Calibration calibration = info.calibration();
        row(md, "Calibration", calibration == null ? "none: the network's own softmax"
                : String.format(Locale.ROOT, "temperature %.3f fitted on %d images (%s); expected calibration error"
                        + " %.4f before, %.4f after", calibration.temperature(), calibration.images(),
                        calibration.fittedOn(), calibration.eceBefore(), calibration.eceAfter()));
        if (!info.members().isEmpty()) {
            row(md, "Ensemble of", String.join(", ", info.members()));
        }
        row(md, "Created", info.created());
        md.append('\n');
        if (card != null) {
            section(md, "Intended use", card.intendedUse());
            section(md, "Not for", card.notFor());
            section(md, "Training data", card.data());
        }
        md.append("| data | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : new TreeMap<>(info.data()).entrySet()) {
            row(md, e.getKey(), value(e.getValue()));
        }
        md.append('\n');
        if (card != null) {
            list(md, "Not tested on", card.notTestedOn());
            section(md, "Recipe", card.recipe());
        }
        md.append("| training setting | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : new TreeMap<>(info.training()).entrySet()) {
            row(md, e.getKey(), value(e.getValue()));
        }
        md.append('\n');
        if (card != null) {
            section(md, "Threshold", card.thresholdChoice());
        }
        md.append("## Validation\n\n");
        if (card != null) {
            md.append(card.validation()).append("\n\n");
        }
        md.append("| validation (kept epoch, at the operating threshold) | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : new TreeMap<>(info.validation()).entrySet()) {
            row(md, e.getKey(), value(e.getValue()));
        }
        md.append('\n');
        md.append("## Out-of-scope guard\n\n");
        ModelInfo.Scope scope = info.scope();
        if (scope == null) {
            md.append("None: this model does not say when an image is unlike its training data (fit one with"
                    + " `pneumo guard`).\n\n");
        } else {
            md.append("Every prediction says whether the image is like the training images; when it is not, the"
                    + " verdict is marked unreliable.\n\n| | |\n|---|---|\n");
            row(md, "Score", scope.method());
            row(md, "Features", scope.features() + " (" + scope.featureCount() + " values)");
            row(md, "Fitted on", scope.trainImages() + " training images");
            row(md, "Cut", String.format(Locale.ROOT, "%.2f: %s, placed on %d validation images", scope.cut(),
                    scope.chosen(), scope.validationImages()));
            if (card != null && card.guardCost() != null) {
                row(md, "Cost", card.guardCost());
            }
            md.append('\n');
            if (card != null && !card.guardChecks().isEmpty()) {
                md.append("Images flagged, measured with ").append(card.guardChecksCommand()).append(":\n\n")
                        .append("| images | n | flagged out of scope | unusual (in scope, with a caution) |\n")
                        .append("|---|---|---|---|\n");
                for (ModelCard.GuardCheck c : card.guardChecks()) {
                    md.append(String.format(Locale.ROOT, "| %s | %,d | %,d (%.1f%%) | %,d (%.1f%%) |%n", c.images(),
                            c.count(), c.flagged(), 100.0 * c.flagged() / c.count(), c.unusual(),
                            100.0 * c.unusual() / c.count()));
                }
                md.append('\n');
            }
        }
        if (card != null) {
            list(md, "Known failure modes", card.failureModes());
        } else {
            md.append("No card (intended use, limits, failure modes) has been written for this model.\n\n");
        }
        md.append("## Data attribution\n\n").append(EvaluationReport.ATTRIBUTION).append('\n');
        return md.toString();
    }

    /** "26 Nov 2026, 10:15 UTC on 1,043 validation images by ..., replacing 0.5605 (rule)". */
    static String rechosen(ModelInfo.Rechosen r) {
        return String.format(Locale.ROOT, "%s on %,d validation images by %s, replacing %.4f (%s)", humanDate(r.time()),
                r.validationImages(), r.by(), r.previousValue(), r.previousMethod());
    }

    private static void section(StringBuilder md, String title, String text) {
        md.append("## ").append(title).append("\n\n").append(text).append("\n\n");
    }

    private static void list(StringBuilder md, String title, List<String> items) {
        md.append("## ").append(title).append("\n\n");
        for (String item : items) {
            md.append("- ").append(item).append('\n');
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(cell(key)).append(" | ").append(cell(value)).append(" |\n");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                    : String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder s = new StringBuilder();
            m.entrySet().stream().sorted((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())))
                    .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(value(e.getValue())));
            return s.toString();
        }
        return String.valueOf(v);
    }

    /**
     * The card as an HTML fragment for people: what the model is for and not for, its data, how it fails, and the
     * measured facts rounded (no raw settings, no paths of the machine that trained it).
     */
    public static String html(ModelInfo info) {
        ModelCard card = info.card();
        StringBuilder h = new StringBuilder();
        if (card != null) {
            h.append("<p>").append(EvaluationReport.escape(card.summary())).append("</p>\n");
        }
        h.append("<table class=\"card\">\n");
        htmlRow(h, "model", info.modelId());
        htmlRow(h, "network", info.architecture() + String.format(Locale.ROOT, ", %,d parameters",
                info.parameterCount()));
        htmlRow(h, "input", info.input().imageSize() + " x " + info.input().imageSize() + " pixels, "
                + info.input().channels() + (info.input().channels() == 1 ? " channel (gray)" : " channels"));
        htmlRow(h, "operating threshold", String.format(Locale.ROOT, "%.3f on the probability of pneumonia (%s)",
                info.threshold().value(), info.threshold().method())
                + (info.threshold().rechosen() == null ? "" : String.format(Locale.ROOT,
                        "; chosen again %s on %,d validation images, replacing %.3f",
                        humanDate(info.threshold().rechosen().time()), info.threshold().rechosen().validationImages(),
                        info.threshold().rechosen().previousValue())));
        htmlRow(h, "validation (kept epoch)", validationSummary(info.validation()));
        htmlRow(h, "created", humanDate(info.created()));
        h.append("</table>\n");
        if (card == null) {
            h.append("<p>No card (intended use, limits, failure modes) has been written for this model.</p>\n");
            return h.toString();
        }
        htmlSection(h, "Intended use", card.intendedUse());
        htmlSection(h, "Not for", card.notFor());
        htmlSection(h, "Training data", card.data());
        htmlList(h, "Not tested on", card.notTestedOn());
        htmlSection(h, "Threshold", card.thresholdChoice());
        htmlList(h, "Known failure modes", card.failureModes());
        return h.toString();
    }

    /** "1,043 images: ROC AUC 0.999, accuracy 98.5%, ..." from the validation map, rounded for people. */
    static String validationSummary(Map<String, Object> v) {
        StringBuilder s = new StringBuilder();
        if (v.get("images") instanceof Number n) {
            s.append(String.format(Locale.ROOT, "%,d images: ", n.longValue()));
        }
        if (v.get("rocAuc") instanceof Number n) {
            s.append(String.format(Locale.ROOT, "ROC AUC %.3f", n.doubleValue()));
        }
        for (String key : new String[] {"accuracy", "sensitivity", "specificity"}) {
            if (v.get(key) instanceof Number n) {
                s.append(s.length() == 0 || s.toString().endsWith(": ") ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.1f%%", key, 100 * n.doubleValue()));
            }
        }
        return s.length() == 0 ? "not recorded" : s.toString();
    }

    /** An ISO-8601 instant as "25 Nov 2026, 21:58 UTC"; anything else as it is. */
    static String humanDate(String iso) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                    .format(java.time.Instant.parse(iso).atZone(java.time.ZoneOffset.UTC));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static void htmlRow(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(EvaluationReport.escape(key)).append("</th><td>")
                .append(EvaluationReport.escape(value)).append("</td></tr>\n");
    }

    private static void htmlSection(StringBuilder h, String title, String text) {
        h.append("<h3>").append(EvaluationReport.escape(title)).append("</h3>\n<p>")
                .append(EvaluationReport.escape(text)).append("</p>\n");
    }

    private static void htmlList(StringBuilder h, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        h.append("<h3>").append(EvaluationReport.escape(title)).append("</h3>\n<ul>\n");
        for (String item : items) {
            h.append("<li>").append(EvaluationReport.escape(item)).append("</li>\n");
        }
        h.append("</ul>\n");
    }
}
