package org.pneumo.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.SkippedFile;
import org.pneumo.eval.Evaluation;
import org.pneumo.infer.ModelEvaluator;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.ScopeVerdict;
import org.pneumo.model.ModelInfo;
import org.pneumo.train.EpochRecord;

class EvaluationReportTest {
    @TempDir
    Path dir;

    static ModelInfo model() {
        return new ModelInfo(ModelInfo.FORMAT_VERSION, "test-model", "cnn-lstm", 1234, new ModelInfo.Input(32, 1),
                ModelInfo.PREPROCESSING, ModelInfo.defaultClasses(), new ModelInfo.Threshold(0.4, "test rule"),
                Map.of("epochs", 2), Map.of("images", 10), Map.of("rocAuc", 0.9), "2026-01-01T00:00:00Z", null);
    }

    /** 60 images with noisy scores, the first file named like an attack on the report. */
    static Evaluation evaluation() {
        Random r = new Random(4);
        List<LabeledImage> images = new ArrayList<>();
        double[] p = new double[60];
        for (int i = 0; i < 60; i++) {
            Diagnosis d = i % 3 == 0 ? Diagnosis.NORMAL : Diagnosis.PNEUMONIA;
            String name = i == 0 ? "<script>alert(1)</script>.png" : "img, \"" + i + "\".png";
            images.add(new LabeledImage(Path.of("data", d.name(), name), d));
            p[i] = Math.max(0, Math.min(1, (d == Diagnosis.PNEUMONIA ? 0.7 : 0.3) + r.nextGaussian() * 0.25));
        }
        p[0] = 0.99; // a confident mistake, so it is listed in the report
        return Evaluation.of(images, p, 0.4, "test rule", List.of(new SkippedFile(Path.of("bad<b>.png"), "corrupt")),
                7);
    }

    @Test
    void writesEveryFileAndTheHtmlEscapesFileNames() throws Exception {
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.6, 0.7, 0.5, 0.75, 0.8, 1e-3, 50, 60),
                new EpochRecord(2, 0.4, 0.8, 0.45, 0.8, 0.85, 5e-4, 52, 58));
        List<String> written = EvaluationReport.write(evaluation(), model(), history, "data", dir);
        assertThat(written).contains("metrics.json", "predictions.csv", "report.html", "confusion_matrix.png",
                "roc.png", "pr.png", "calibration.png", "training_curves.png");
        for (String png : written.stream().filter(n -> n.endsWith(".png")).toList()) {
            assertThat(ImageIO.read(dir.resolve(png).toFile())).as(png).isNotNull();
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).doesNotContain("<script>alert(1)</script>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;.png");
        assertThat(html).contains("bad&lt;b&gt;.png");
        assertThat(html).contains("doi:10.17632/rscbjbr9sj.2").contains("not a medical device");
        assertThat(html).contains("data:image/png;base64,").doesNotContain("src=\"http");
        assertThat(html).contains("test-model");
    }

    static ModelInfo modelWithCard() {
        ModelInfo m = model();
        return new ModelInfo(m.formatVersion(), m.modelId(), m.architecture(), m.parameterCount(), m.input(),
                m.preprocessing(), m.classes(), m.threshold(), Map.of("weightDecay", 9.999999747378752E-5),
                Map.of("folder", "/home/someone/secret/chest_xray/train", "images", 10),
                Map.of("rocAuc", 0.9988348579682234, "accuracy", 0.9846596356663471, "images", 1043),
                "2026-11-25T21:58:06.770543604Z", new org.pneumo.model.ModelCard("A summary.", "Teaching.",
                        "Diagnosis.", "Kermany data.", List.of("adults"), "bin/pneumo train", "Youden.",
                        "On validation.", List.of("Misses viral pneumonia.")));
    }

    @Test
    void theMarkdownCardNamesTheTrainingFolderWithoutTheMachinesLayout() {
        String md = ModelCardReport.markdown(modelWithCard());
        assertThat(md).doesNotContain("/home/someone").contains("| folder | .../chest_xray/train |");
    }

    @Test
    void theReportShowsTheCardForPeopleAGalleryAndSharpChartsWithoutMachinePaths() throws Exception {
        Evaluation e = evaluation();
        int mistake = org.pneumo.report.ErrorGallery.mistakes(e).get(0);
        byte[] png = Charts.png(Charts.calibration(e.calibration()), 100, 80);
        List<ErrorGallery.Example> gallery = List.of(new ErrorGallery.Example(mistake,
                Path.of("/home/someone/secret/data/NORMAL/IM-0001.jpeg"), Diagnosis.NORMAL, 0.9996, png, png));
        EvaluationReport.write(e, modelWithCard(), List.of(), "data", dir, gallery);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<h3>Intended use</h3>").contains("<h3>Not for</h3>")
                .contains("<h3>Known failure modes</h3>").contains("Misses viral pneumonia.")
                .contains("ROC AUC 0.999, accuracy 98.5%").contains("25 Nov 2026, 21:58 UTC");
        assertThat(html).doesNotContain("9.999999747378752E-5").doesNotContain("/home/someone");
        assertThat(html).contains("<div class=\"gallery\">").contains("NORMAL/IM-0001.jpeg")
                .contains("&gt;0.999");
        // Charts are drawn at twice their page size.
        byte[] roc = Files.readAllBytes(dir.resolve("roc.png"));
        assertThat(EvaluationReport.pngWidth(roc)).isEqualTo(2 * 620);
        assertThat(html).contains("width=\"620\"");
    }

    @Test
    void theReportListsOutOfScopeImagesByRelativeNameOnly() throws Exception {
        Evaluation e = evaluation();
        Path adult = Path.of("/home/someone/secret/nih/NORMAL/adult <1>.png");
        ScopeVerdict flagged = new ScopeVerdict(false, 41.25, 0.9991, "unlike the training images");
        List<ModelEvaluator.OutOfScopeImage> out = List.of(new ModelEvaluator.OutOfScopeImage(
                new LabeledImage(adult, Diagnosis.NORMAL), new Prediction(adult.toString(), 0.9993,
                        Diagnosis.PNEUMONIA, 0.4, "test-model", null, flagged)));
        EvaluationReport.write(e, model(), List.of(), "data", dir, List.of(),
                new ModelEvaluator.ScopedEvaluation(e, null, out, true));
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<h2>Out of scope (unlike the training images)</h2>")
                .contains("1 of 60 images (1.7%)").contains("<code>NORMAL/adult &lt;1&gt;.png</code>")
                .contains("<td>NORMAL</td><td>PNEUMONIA</td>").contains(">41.3<").contains(">99.9%<")
                .contains("out_of_scope.csv").doesNotContain("/home/someone").doesNotContain("adult <1>");

        EvaluationReport.write(e, model(), List.of(), "data", dir, List.of(),
                new ModelEvaluator.ScopedEvaluation(e, e, List.of(), true));
        assertThat(Files.readString(dir.resolve("report.html"))).contains("0 of 60 images (0.0%)")
                .doesNotContain("answer (unreliable)");

        EvaluationReport.write(e, model(), List.of(), "data", dir, List.of(),
                new ModelEvaluator.ScopedEvaluation(e, null, List.of(), false));
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Not checked: "
                + EvaluationReport.escape(ScopeVerdict.UNAVAILABLE));

        EvaluationReport.write(e, model(), List.of(), "data", dir);
        assertThat(Files.readString(dir.resolve("report.html"))).doesNotContain("Out of scope");
    }

    @Test
    void metricsJsonAgreesWithPredictionsCsv() throws Exception {
        EvaluationReport.write(evaluation(), model(), List.of(), "data", dir);
        JsonObject metrics = JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
        List<String> lines = Files.readAllLines(dir.resolve("predictions.csv"));
        assertThat(lines.get(0)).isEqualTo("file,true_label,probability_pneumonia,predicted_label");
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        for (String line : lines.subList(1, lines.size())) {
            // Fields may be quoted: take the last three, which never are.
            String[] f = line.split(",");
            String actual = f[f.length - 3];
            double p = Double.parseDouble(f[f.length - 2]);
            String predicted = f[f.length - 1];
            assertThat(predicted).isEqualTo(p >= metrics.get("threshold").getAsDouble() ? "PNEUMONIA" : "NORMAL");
            boolean a = actual.equals("PNEUMONIA");
            boolean b = predicted.equals("PNEUMONIA");
            if (a && b) {
                tp++;
            } else if (a) {
                fn++;
            } else if (b) {
                fp++;
            } else {
                tn++;
            }
        }
        assertThat(lines).hasSize(61);
        var cm = metrics.getAsJsonArray("confusion_matrix");
        assertThat(cm.get(0).getAsJsonArray().get(0).getAsLong()).isEqualTo(tn);
        assertThat(cm.get(0).getAsJsonArray().get(1).getAsLong()).isEqualTo(fp);
        assertThat(cm.get(1).getAsJsonArray().get(0).getAsLong()).isEqualTo(fn);
        assertThat(cm.get(1).getAsJsonArray().get(1).getAsLong()).isEqualTo(tp);
        assertThat(metrics.get("accuracy").getAsDouble()).isEqualTo((double) (tp + tn) / (tp + tn + fp + fn));
        assertThat(metrics.get("n_images").getAsInt()).isEqualTo(60);
        for (String key : new String[] {"roc_auc", "average_precision", "sensitivity", "specificity"}) {
            assertThat(metrics.has(key)).as(key).isTrue();
        }
        assertThat(metrics.getAsJsonArray("roc_auc_ci")).hasSize(2);
    }

    @Test
    void oneClassFolderReportsUndefinedFiguresWithReasons() throws Exception {
        List<LabeledImage> images = List.of(new LabeledImage(Path.of("a.png"), Diagnosis.PNEUMONIA),
                new LabeledImage(Path.of("b.png"), Diagnosis.PNEUMONIA));
        Evaluation e = Evaluation.of(images, new double[] {0.9, 0.2}, 0.5, "t", List.of(), 1);
        EvaluationReport.write(e, model(), List.of(), "data", dir);
        JsonObject metrics = JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
        assertThat(metrics.get("roc_auc").isJsonNull()).isTrue();
        assertThat(metrics.get("roc_auc_undefined").getAsString()).isNotBlank();
        assertThat(metrics.get("specificity").isJsonNull()).isTrue();
        assertThat(metrics.get("sensitivity").getAsDouble()).isEqualTo(0.5);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("undefined");
        assertThat(e.summaryText()).contains("undefined").doesNotContain("NaN");
    }
}
