package org.pneumo.eval;

import java.util.List;
import java.util.Locale;

/**
 * Per-class precision, recall, F1 and support, accuracy, macro and weighted averages, like sklearn's
 * classification_report.
 *
 * <p>A per-class figure without a denominator (the precision of a class never predicted, the recall of a class with
 * no images, the F1 of a class neither present nor predicted) is {@link Figure#undefined}. The macro and weighted
 * averages count such a figure as 0, as scikit-learn does with {@code zero_division=0}, so that the averages can be
 * compared with scikit-learn's; they are never undefined.
 *
 * @param rows the class rows, NORMAL then PNEUMONIA
 * @param accuracy share of images predicted correctly
 * @param macro unweighted mean of the class rows (undefined figures as 0), named "macro avg"
 * @param weighted mean of the class rows weighted by support (undefined figures as 0), named "weighted avg"
 * @param total the number of images
 */
public record ClassificationReport(List<Row> rows, double accuracy, Row macro, Row weighted, long total) {

    /**
     * One line of the report.
     *
     * @param name "NORMAL", "PNEUMONIA", "macro avg" or "weighted avg"
     * @param precision share of the images predicted as the class that are of the class
     * @param recall share of the images of the class predicted as the class
     * @param f1 harmonic mean of precision and recall
     * @param support images of the class (all images for the averages)
     */
    public record Row(String name, Figure precision, Figure recall, Figure f1, long support) {}

    /** Keeps the rows unmodifiable. */
    public ClassificationReport {
        rows = List.copyOf(rows);
    }

    /**
     * The report of a confusion matrix, with class rows named "NORMAL", "PNEUMONIA". Precision and recall carry the
     * matrix's Wilson intervals. F1 is 2tp / (2tp + fp + fn), which equals the harmonic mean of precision and recall
     * wherever both are defined and is 0 when one of them is undefined and the other 0, as in scikit-learn.
     *
     * @throws IllegalArgumentException when the matrix is empty, which scikit-learn rejects as well
     */
    public static ClassificationReport of(ConfusionMatrix m) {
        long total = m.total();
        if (total == 0) {
            throw new IllegalArgumentException("the confusion matrix is empty (total 0): nothing to report");
        }
        // For NORMAL as the class of interest the roles swap: tn are its hits, fn its false alarms, fp its misses.
        Row normal = new Row("NORMAL", m.npv(), m.specificity(), f1("NORMAL", m.tn(), m.fn(), m.fp()),
                m.tn() + m.fp());
        Row pneumonia = new Row("PNEUMONIA", m.ppv(), m.sensitivity(), f1("PNEUMONIA", m.tp(), m.fp(), m.fn()),
                m.tp() + m.fn());
        List<Row> rows = List.of(normal, pneumonia);
        double accuracy = (double) (m.tn() + m.tp()) / total;
        Row macro = new Row("macro avg",
                Figure.of((orZero(normal.precision()) + orZero(pneumonia.precision())) / 2),
                Figure.of((orZero(normal.recall()) + orZero(pneumonia.recall())) / 2),
                Figure.of((orZero(normal.f1()) + orZero(pneumonia.f1())) / 2),
                total);
        double wn = (double) normal.support() / total;
        double wp = (double) pneumonia.support() / total;
        Row weighted = new Row("weighted avg",
                Figure.of(wn * orZero(normal.precision()) + wp * orZero(pneumonia.precision())),
                Figure.of(wn * orZero(normal.recall()) + wp * orZero(pneumonia.recall())),
                Figure.of(wn * orZero(normal.f1()) + wp * orZero(pneumonia.f1())),
                total);
        return new ClassificationReport(rows, accuracy, macro, weighted, total);
    }

    /**
     * Text laid out like scikit-learn's classification_report (right-aligned columns, 4 decimals, "undefined" where
     * sklearn would warn).
     *
     * <p>Where this report says "undefined", scikit-learn prints 0.0000 (with {@code zero_division=0}); everything
     * else, the averages included, matches its {@code digits=4} output character for character.
     */
    public String toText() {
        int width = "weighted avg".length();
        for (Row row : rows) {
            width = Math.max(width, row.name().length());
        }
        String name = "%" + width + "s ";
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, name + " %9s %9s %9s %9s", "", "precision", "recall", "f1-score",
                "support"));
        text.append("\n\n");
        for (Row row : rows) {
            appendRow(text, name, row);
        }
        text.append('\n');
        text.append(String.format(Locale.ROOT, name + " %9s %9s %9s %9d", "accuracy", "", "",
                cell(Figure.of(accuracy)), total));
        text.append('\n');
        appendRow(text, name, macro);
        appendRow(text, name, weighted);
        return text.toString();
    }

    private static void appendRow(StringBuilder text, String name, Row row) {
        text.append(String.format(Locale.ROOT, name + " %9s %9s %9s %9d", row.name(), cell(row.precision()),
                cell(row.recall()), cell(row.f1()), row.support()));
        text.append('\n');
    }

    private static String cell(Figure f) {
        return f.defined() ? Figure.fixed(f.value(), 4) : "undefined";
    }

    private static double orZero(Figure f) {
        return f.defined() ? f.value() : 0.0;
    }

    private static Figure f1(String name, long tp, long fp, long fn) {
        long denominator = 2 * tp + fp + fn;
        if (denominator == 0) {
            return Figure.undefined(name + " neither present nor predicted");
        }
        return Figure.of(2.0 * tp / denominator);
    }
}
