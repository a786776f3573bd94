package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped model's validation figures in README.md and MODEL_CARD.md are what {@code pneumo evaluate --split
 * validation} prints for it: threshold, ROC AUC, accuracy, sensitivity, specificity (with their intervals where the
 * documents give them), PPV, NPV, average precision and the confusion matrix. The figures are read from the documents
 * (the rows and sentences that name the shipped model's validation split), each compared at the number of decimals
 * the document writes, so a new shipped model needs new documents, not a new test. Needs the real images
 * ({@code -Dpneumo.data}); slow: it scores the 1,043 validation images.
 */
@Tag("slow")
class ShippedModelFiguresTest {
    static final Path ROOT = Path.of(System.getProperty("pneumo.root", "..")).toAbsolutePath().normalize();

    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
    private static final String WITH_INTERVAL = NUMBER + " \\(" + NUMBER + "-" + NUMBER + "\\)";
    private static final Pattern CONFUSION = Pattern.compile("\\[\\[(\\d+), (\\d+)\\], \\[(\\d+), (\\d+)\\]\\]");

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void readmeAndModelCardGiveTheFiguresEvaluatePrints() throws Exception {
        String data = System.getProperty("pneumo.data", "");
        Assumptions.assumeFalse(data.isBlank(), "pneumo.data is not set; real-data tests skipped");
        Path root = ROOT.resolve(data).resolve("chest_xray");
        assertThat(root.resolve("train")).as("pneumo.data is set, so its chest_xray/train must exist").isDirectory();
        Path out = dir.resolve("validation");
        assertThat(cli.run("evaluate", "--data", root.toString(), "--split", "validation", "--out", out.toString()))
                .as(cli.err()).isZero();
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();

        List<String> checked = new ArrayList<>();
        checkReadme(Files.readString(ROOT.resolve("README.md")), m, checked);
        checkModelCard(Files.readString(ROOT.resolve("MODEL_CARD.md")), m, checked);
        assertThat(checked).as("figures found in the documents").hasSizeGreaterThan(20);
    }

    /** The Results table's shipped row and the comparison table's rows of the shipped model on the validation split. */
    private static void checkReadme(String readme, JsonObject m, List<String> checked) {
        int rows = 0;
        for (Map<String, String> row : tableRows(readme)) {
            boolean resultsRow = row.values().stream().anyMatch(c -> c.contains("**shipped**"));
            boolean comparisonRow = row.values().stream().anyMatch(c -> c.startsWith("shipped"))
                    && row.values().stream().anyMatch(c -> c.contains("--split validation"));
            if (!resultsRow && !comparisonRow) {
                continue;
            }
            rows++;
            String where = "README.md row '" + row.values().iterator().next() + "'";
            withInterval(where, row.get("ROC AUC"), m, "roc_auc", checked);
            withInterval(where, row.get("accuracy"), m, "accuracy", checked);
            withInterval(where, row.get("sensitivity"), m, "sensitivity", checked);
            withInterval(where, row.get("specificity"), m, "specificity", checked);
            if (row.containsKey("threshold")) {
                figure(where + ", threshold", row.get("threshold"), m.get("threshold").getAsDouble(), checked);
            }
            String confusion = row.entrySet().stream().filter(e -> e.getKey().startsWith("confusion"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (confusion != null) {
                confusion(where, confusion, m, checked);
            }
        }
        assertThat(rows).as("README.md rows of the shipped model's validation figures").isGreaterThanOrEqualTo(2);
        Matcher own = Pattern.compile("own threshold \\([^)]*shipped " + NUMBER + "\\)").matcher(readme);
        while (own.find()) {
            figure("README.md: " + own.group(), own.group(1), m.get("threshold").getAsDouble(), checked);
        }
    }

    /** The card's threshold, its validation paragraph's first sentence, its validation table and failure counts. */
    private static void checkModelCard(String card, JsonObject m, List<String> checked) {
        double threshold = m.get("threshold").getAsDouble();
        Matcher t = Pattern.compile(NUMBER + " on P\\(PNEUMONIA\\)").matcher(card);
        int thresholds = 0;
        while (t.find()) {
            figure("MODEL_CARD.md: " + t.group(), t.group(1), threshold, checked);
            thresholds++;
        }
        assertThat(thresholds).as("MODEL_CARD.md states the operating threshold").isGreaterThanOrEqualTo(2);

        int start = card.indexOf("## Validation\n\n");
        assertThat(start).as("MODEL_CARD.md has a Validation section").isNotNegative();
        String paragraph = card.substring(start, card.indexOf("\n\n", start + 16));
        Matcher c = CONFUSION.matcher(paragraph);
        assertThat(c.find()).as("the validation paragraph gives a confusion matrix").isTrue();
        // The first sentence, up to its confusion matrix, is about the validation split; later ones about val/.
        String validation = paragraph.substring(0, c.end());
        String where = "MODEL_CARD.md validation paragraph";
        withInterval(where, first(validation, "ROC AUC " + WITH_INTERVAL), m, "roc_auc", checked);
        withInterval(where, first(validation, "accuracy " + WITH_INTERVAL), m, "accuracy", checked);
        withInterval(where, first(validation, "sensitivity " + WITH_INTERVAL), m, "sensitivity", checked);
        withInterval(where, first(validation, "specificity " + WITH_INTERVAL), m, "specificity", checked);
        figure(where + ", threshold", first(validation, "at the threshold " + NUMBER), threshold, checked);
        figure(where + ", average precision", first(validation, "average precision " + NUMBER),
                m.get("average_precision").getAsDouble(), checked);
        figure(where + ", PPV", first(validation, "PPV " + NUMBER), m.get("ppv").getAsDouble(), checked);
        figure(where + ", NPV", first(validation, "NPV " + NUMBER), m.get("npv").getAsDouble(), checked);
        confusion(where, c.group(), m, checked);

        // The table of model.json's validation figures (the card's facts) at the operating threshold.
        Map<String, String> facts = new LinkedHashMap<>();
        for (Map<String, String> row : tableRows(card)) {
            String header = row.keySet().iterator().next();
            if (header.startsWith("validation")) {
                facts.put(row.get(header), row.get(""));
            }
        }
        assertThat(facts).as("MODEL_CARD.md's validation table").containsKeys("rocAuc", "accuracy", "sensitivity",
                "specificity", "images");
        figure("MODEL_CARD.md table rocAuc", facts.get("rocAuc"), m.get("roc_auc").getAsDouble(), checked);
        figure("MODEL_CARD.md table accuracy", facts.get("accuracy"), m.get("accuracy").getAsDouble(), checked);
        figure("MODEL_CARD.md table sensitivity", facts.get("sensitivity"), m.get("sensitivity").getAsDouble(),
                checked);
        figure("MODEL_CARD.md table specificity", facts.get("specificity"), m.get("specificity").getAsDouble(),
                checked);
        assertThat(facts.get("images")).as("MODEL_CARD.md table images").isEqualTo(m.get("n_images").getAsString());

        JsonArray matrix = m.getAsJsonArray("confusion_matrix");
        Matcher missed = Pattern.compile("\\((\\d+) of (\\d+) validation pneumonias").matcher(card);
        if (missed.find()) {
            assertThat(missed.group()).as("MODEL_CARD.md's missed pneumonias (FN of actual PNEUMONIA)")
                    .isEqualTo("(" + matrix.get(1).getAsJsonArray().get(0) + " of " + m.get("n_pneumonia")
                            + " validation pneumonias");
            checked.add(missed.group());
        }
        Matcher alarms = Pattern.compile("\\((\\d+) of (\\d+) validation normals").matcher(card);
        if (alarms.find()) {
            assertThat(alarms.group()).as("MODEL_CARD.md's false alarms (FP of actual NORMAL)")
                    .isEqualTo("(" + matrix.get(0).getAsJsonArray().get(1) + " of " + m.get("n_normal")
                            + " validation normals");
            checked.add(alarms.group());
        }
    }

    /** "0.9988 (0.9977-0.9996)" against the metric and its interval, each at the decimals written. */
    private static void withInterval(String where, String text, JsonObject m, String key, List<String> checked) {
        assertThat(text).as(where + ": " + key).isNotNull();
        Matcher v = Pattern.compile(WITH_INTERVAL).matcher(text);
        assertThat(v.find()).as(where + ": '" + text + "' is a figure with an interval").isTrue();
        JsonArray ci = m.getAsJsonArray(key + "_ci");
        figure(where + ", " + key, v.group(1), m.get(key).getAsDouble(), checked);
        figure(where + ", " + key + " interval low", v.group(2), ci.get(0).getAsDouble(), checked);
        figure(where + ", " + key + " interval high", v.group(3), ci.get(1).getAsDouble(), checked);
    }

    /** A number as a document writes it against the computed value rounded to as many decimals. */
    private static void figure(String where, String written, double actual, List<String> checked) {
        assertThat(written).as(where).isNotNull();
        String number = written.trim();
        int dot = number.indexOf('.');
        int decimals = dot < 0 ? 0 : number.length() - dot - 1;
        assertThat(number).as(where + " (evaluate --split validation computes " + actual + ")")
                .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", actual));
        checked.add(where);
    }

    private static void confusion(String where, String text, JsonObject m, List<String> checked) {
        Matcher c = CONFUSION.matcher(text);
        assertThat(c.find()).as(where + ": '" + text + "' is a confusion matrix").isTrue();
        JsonArray matrix = m.getAsJsonArray("confusion_matrix");
        String computed = "[[" + matrix.get(0).getAsJsonArray().get(0) + ", " + matrix.get(0).getAsJsonArray().get(1)
                + "], [" + matrix.get(1).getAsJsonArray().get(0) + ", " + matrix.get(1).getAsJsonArray().get(1) + "]]";
        assertThat(c.group()).as(where + ": confusion matrix [[TN, FP], [FN, TP]]").isEqualTo(computed);
        checked.add(where + " confusion");
    }

    /** The whole first match of {@code regex}, or null. */
    private static String first(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group().replaceFirst("^\\D+", "") : null;
    }

    /** Every row of every Markdown table, as its header's names to its cells. */
    static List<Map<String, String>> tableRows(String markdown) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header = null;
        boolean separatorSeen = false;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
                separatorSeen = false;
            } else if (!separatorSeen) {
                separatorSeen = true; // the |---|---| line
            } else {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(header.size(), cells.size()); i++) {
                    row.put(header.get(i), cells.get(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("\\|")) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
