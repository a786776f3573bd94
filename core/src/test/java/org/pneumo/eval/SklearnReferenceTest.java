package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Compares every figure with scikit-learn's, read from sklearn_reference.json (made by sklearn_reference.py). */
class SklearnReferenceTest {
    private static final double TOLERANCE = 1e-9;
    private static final JsonObject REFERENCE = load();

    private static JsonObject load() {
        try (InputStream in = SklearnReferenceTest.class.getResourceAsStream("sklearn_reference.json")) {
            assertThat(in).as("sklearn_reference.json on the test class path").isNotNull();
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() {
        return REFERENCE.getAsJsonObject("cases").keySet().stream();
    }

    private static JsonObject reference(String name) {
        return REFERENCE.getAsJsonObject("cases").getAsJsonObject(name);
    }

    private static int[] truth(JsonObject c) {
        return ints(c.getAsJsonArray("truth"));
    }

    private static double[] score(JsonObject c) {
        return doubles(c.getAsJsonArray("score"));
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static void assertClose(double[] actual, JsonArray expected, String what) {
        double[] e = doubles(expected);
        assertThat(actual).as(what + " length").hasSize(e.length);
        for (int i = 0; i < e.length; i++) {
            assertThat(actual[i]).as(what + "[" + i + "]").isCloseTo(e[i], within(TOLERANCE));
        }
    }

    @Test
    void referenceHasTheExpectedCases() {
        // Guards against a regenerated JSON that silently dropped the cases the edge tests rely on.
        assertThat(cases()).containsExactlyInAnyOrder("ties", "small", "all_predicted_pneumonia");
        double[] ties = score(reference("ties"));
        assertThat(Arrays.stream(ties).distinct().count()).isLessThan(ties.length / 2);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rocCurveMatches(String name) {
        JsonObject c = reference(name);
        JsonObject expected = c.getAsJsonObject("roc_curve");
        Curves.Roc roc = Curves.roc(truth(c), score(c));
        assertClose(roc.fpr(), expected.getAsJsonArray("fpr"), "fpr");
        assertClose(roc.tpr(), expected.getAsJsonArray("tpr"), "tpr");
        // scikit-learn's first threshold is max + 1 before 1.3 and +inf after; ours is +inf. Compare the rest.
        double[] thresholds = roc.thresholds();
        assertThat(thresholds[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertClose(Arrays.copyOfRange(thresholds, 1, thresholds.length), expected.getAsJsonArray("thresholds"),
                "thresholds after the first");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rocAucMatches(String name) {
        JsonObject c = reference(name);
        Figure auc = Curves.rocAuc(truth(c), score(c));
        assertThat(auc.defined()).isTrue();
        assertThat(auc.value()).isCloseTo(c.get("roc_auc").getAsDouble(), within(TOLERANCE));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void precisionRecallCurveMatches(String name) {
        JsonObject c = reference(name);
        JsonObject expected = c.getAsJsonObject("precision_recall_curve");
        Curves.PrecisionRecall pr = Curves.precisionRecall(truth(c), score(c));
        assertClose(pr.precision(), expected.getAsJsonArray("precision"), "precision");
        assertClose(pr.recall(), expected.getAsJsonArray("recall"), "recall");
        assertClose(pr.thresholds(), expected.getAsJsonArray("thresholds"), "thresholds");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void averagePrecisionMatches(String name) {
        JsonObject c = reference(name);
        Figure ap = Curves.averagePrecision(truth(c), score(c));
        assertThat(ap.value()).isCloseTo(c.get("average_precision").getAsDouble(), within(TOLERANCE));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void confusionMatrixMatches(String name) {
        JsonObject c = reference(name);
        ConfusionMatrix m = ConfusionMatrix.atThreshold(truth(c), score(c), c.get("threshold").getAsDouble());
        JsonArray rows = c.getAsJsonArray("confusion_matrix");
        long[][] expected = {
            {rows.get(0).getAsJsonArray().get(0).getAsLong(), rows.get(0).getAsJsonArray().get(1).getAsLong()},
            {rows.get(1).getAsJsonArray().get(0).getAsLong(), rows.get(1).getAsJsonArray().get(1).getAsLong()}
        };
        assertThat(m.asArray()).isDeepEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void wilsonIntervalsMatch(String name) {
        JsonObject c = reference(name);
        ConfusionMatrix m = ConfusionMatrix.atThreshold(truth(c), score(c), c.get("threshold").getAsDouble());
        JsonObject wilson = c.getAsJsonObject("wilson");
        checkInterval(m.accuracy(), wilson.get("accuracy"), "accuracy");
        checkInterval(m.sensitivity(), wilson.get("sensitivity"), "sensitivity");
        checkInterval(m.specificity(), wilson.get("specificity"), "specificity");
        checkInterval(m.ppv(), wilson.get("ppv"), "ppv");
        checkInterval(m.npv(), wilson.get("npv"), "npv");
    }

    private static void checkInterval(Figure f, JsonElement expected, String what) {
        if (expected.isJsonNull()) {
            assertThat(f.defined()).as(what + " defined").isFalse();
            return;
        }
        JsonArray e = expected.getAsJsonArray();
        assertThat(f.hasInterval()).as(what + " has an interval").isTrue();
        assertThat(f.low()).as(what + " low").isCloseTo(e.get(0).getAsDouble(), within(TOLERANCE));
        assertThat(f.high()).as(what + " high").isCloseTo(e.get(1).getAsDouble(), within(TOLERANCE));
    }

    @Test
    void wilsonPairsMatch() {
        JsonArray pairs = REFERENCE.getAsJsonArray("wilson_pairs");
        assertThat(pairs.size()).isGreaterThan(0);
        for (JsonElement element : pairs) {
            JsonObject pair = element.getAsJsonObject();
            long k = pair.get("successes").getAsLong();
            long n = pair.get("n").getAsLong();
            assertClose(Intervals.wilson(k, n, Intervals.Z_95), pair.getAsJsonArray("interval"), k + "/" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void classificationReportMatches(String name) {
        JsonObject c = reference(name);
        ClassificationReport report = ClassificationReport.of(
                ConfusionMatrix.atThreshold(truth(c), score(c), c.get("threshold").getAsDouble()));
        JsonObject expected = c.getAsJsonObject("classification_report");
        checkRow(report.rows().get(0), expected.getAsJsonObject("NORMAL"));
        checkRow(report.rows().get(1), expected.getAsJsonObject("PNEUMONIA"));
        checkRow(report.macro(), expected.getAsJsonObject("macro avg"));
        checkRow(report.weighted(), expected.getAsJsonObject("weighted avg"));
        assertThat(report.accuracy()).isCloseTo(expected.get("accuracy").getAsDouble(), within(TOLERANCE));
        assertThat(report.total()).isEqualTo(truth(c).length);
    }

    /** An undefined figure must be one that scikit-learn's zero_division=0 reported as 0. */
    private static void checkRow(ClassificationReport.Row row, JsonObject expected) {
        checkFigure(row.precision(), expected.get("precision").getAsDouble(), row.name() + " precision");
        checkFigure(row.recall(), expected.get("recall").getAsDouble(), row.name() + " recall");
        checkFigure(row.f1(), expected.get("f1-score").getAsDouble(), row.name() + " f1");
        assertThat(row.support()).as(row.name() + " support").isEqualTo(expected.get("support").getAsLong());
    }

    private static void checkFigure(Figure f, double expected, String what) {
        double value = f.defined() ? f.value() : 0.0;
        assertThat(value).as(what).isCloseTo(expected, within(TOLERANCE));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void classificationReportTextMatches(String name) {
        JsonObject c = reference(name);
        ClassificationReport report = ClassificationReport.of(
                ConfusionMatrix.atThreshold(truth(c), score(c), c.get("threshold").getAsDouble()));
        String expected = c.get("classification_report_text").getAsString();
        // Where our figure is undefined, scikit-learn (zero_division=0) prints 0.0000 in the same 9-character cell.
        String[] lines = expected.split("\n", -1);
        for (int r = 0; r < 2; r++) {
            ClassificationReport.Row row = report.rows().get(r);
            Figure[] cells = {row.precision(), row.recall(), row.f1()};
            int line = 2 + r;
            for (int k = 0; k < cells.length; k++) {
                if (!cells[k].defined()) {
                    int start = 12 + 1 + k * 10 + 1;
                    assertThat(lines[line].substring(start, start + 9)).isEqualTo("   0.0000");
                    lines[line] = lines[line].substring(0, start) + "undefined" + lines[line].substring(start + 9);
                }
            }
        }
        assertThat(report.toText()).isEqualTo(String.join("\n", lines));
    }

    @Test
    void oneCaseHasAnUndefinedCell() {
        // Keeps the substitution above exercised: the text test must meet at least one "undefined" cell.
        JsonObject c = reference("all_predicted_pneumonia");
        ClassificationReport report = ClassificationReport.of(
                ConfusionMatrix.atThreshold(truth(c), score(c), c.get("threshold").getAsDouble()));
        assertThat(report.toText()).contains("undefined");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void calibrationCurveMatches(String name) {
        JsonObject c = reference(name);
        JsonObject expected = c.getAsJsonObject("calibration_curve");
        Curves.Calibration cal = Curves.calibration(truth(c), score(c), c.get("calibration_bins").getAsInt());
        assertClose(cal.fractionPositive(), expected.getAsJsonArray("prob_true"), "fraction positive");
        assertClose(cal.meanPredicted(), expected.getAsJsonArray("prob_pred"), "mean predicted");
        assertThat(cal.counts()).containsExactly(ints(expected.getAsJsonArray("counts")));
    }
}
