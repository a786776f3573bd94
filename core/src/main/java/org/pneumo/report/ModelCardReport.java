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

    public static String markdown(ModelInfo info) {
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
        if (card != null) {
            list(md, "Known failure modes", card.failureModes());
        } else {
            md.append("No card (intended use, limits, failure modes) has been written for this model.\n\n");
        }
        md.append("## Data attribution\n\n").append(EvaluationReport.ATTRIBUTION).append('\n');
        return md.toString();
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
}
