package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.train.TinyModel;

class ThresholdCommandTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path data;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = TinyModel.train(shared, 30, 1);
        data = shared.resolve("data");
    }

    private Path copy() throws Exception {
        Path m = dir.resolve("m");
        Files.createDirectories(m);
        for (String f : new String[] {"model.json", "weights.params", "typicality.bin", "split.csv"}) {
            Files.copy(model.resolve(f), m.resolve(f));
        }
        return m;
    }

    @Test
    void choosesTheThresholdAgainAndEvaluateReproducesItsFigures() throws Exception {
        Path m = copy();
        assertThat(cli.run("threshold", "--model", m.toString(), "--data", data.toString(), "--target-sensitivity",
                "0.9")).as(cli.err()).isZero();
        assertThat(cli.out()).contains(" -> ").contains("highest threshold with validation sensitivity >= 0.9")
                .contains("weights untouched");
        assertThat(Files.readAllBytes(m.resolve("weights.params")))
                .isEqualTo(Files.readAllBytes(model.resolve("weights.params")));
        JsonObject threshold = JsonParser.parseString(Files.readString(m.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("threshold");
        assertThat(threshold.getAsJsonObject("rechosen").get("by").getAsString()).startsWith("pneumo threshold");
        assertThat(threshold.getAsJsonObject("rechosen").get("time").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        Path report = dir.resolve("report");
        assertThat(cli.run("evaluate", "--model", m.toString(), "--data", data.toString(), "--split", "validation",
                "--out", report.toString())).as(cli.err()).isZero();
        JsonObject metrics = JsonParser.parseString(Files.readString(report.resolve("metrics.json")))
                .getAsJsonObject();
        assertThat(metrics.get("threshold").getAsDouble()).isEqualTo(threshold.get("value").getAsDouble());
        assertThat(metrics.get("sensitivity").getAsDouble()).isGreaterThanOrEqualTo(0.9);
        JsonObject validation = JsonParser.parseString(Files.readString(m.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("validation");
        for (String key : new String[] {"sensitivity", "specificity", "accuracy"}) {
            assertThat(metrics.get(key).getAsDouble()).as(key).isEqualTo(validation.get(key).getAsDouble());
        }
        assertThat(cli.run("info", "--model", m.toString())).isZero();
        assertThat(cli.out()).contains("| Threshold re-chosen |");
    }

    @Test
    void exactlyOneRuleAndAValidTargetAreRequired() throws Exception {
        Path m = copy();
        byte[] before = Files.readAllBytes(m.resolve("model.json"));
        assertThat(cli.run("threshold", "--model", m.toString(), "--data", data.toString())).isEqualTo(2);
        assertThat(cli.run("threshold", "--model", m.toString(), "--data", data.toString(), "--youden",
                "--target-sensitivity", "0.9")).isEqualTo(2);
        assertThat(cli.run("threshold", "--model", m.toString(), "--data", data.toString(), "--target-sensitivity",
                "1.5")).isEqualTo(2);
        assertThat(cli.err()).contains("--target-sensitivity 1.5 is outside (0, 1]");
        assertThat(cli.run("threshold", "--model", dir.resolve("none").toString(), "--data", data.toString(),
                "--youden")).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
        assertThat(Files.readAllBytes(m.resolve("model.json"))).isEqualTo(before);
    }

    @Test
    void calibrateFitsATemperatureAndSaysSo() throws Exception {
        Path m = copy();
        assertThat(cli.run("threshold", "--model", m.toString(), "--data", data.toString(), "--youden",
                "--calibrate")).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("calibration: temperature [0-9.]+; expected calibration error on"
                + " validation [0-9.]+ -> [0-9.]+");
        JsonObject calibration = JsonParser.parseString(Files.readString(m.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("calibration");
        assertThat(calibration.get("temperature").getAsDouble()).isPositive();
        assertThat(calibration.get("fittedOn").getAsString()).contains("--calibrate");
    }
}
