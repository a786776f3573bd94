package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.train.TinyModel;
import org.pneumo.infer.Detector;

class InfoCommandTest {
    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = TinyModel.train(shared, 20, 1);
    }

    @Test
    void printsTheFactsAndSaysWhenThereIsNoCard() {
        assertThat(cli.run("info", "--model", model.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("# Model card: seed-").contains("not a medical device")
                .contains("| Operating threshold |").contains("rocAuc").contains("No card").contains("Kermany");
    }

    @Test
    void writesACardThatTheModelKeeps() throws Exception {
        Path copy = dir.resolve("m");
        Files.createDirectories(copy);
        for (String f : new String[] {"model.json", "weights.params", "typicality.bin"}) {
            Files.copy(model.resolve(f), copy.resolve(f));
        }
        Path card = Files.writeString(dir.resolve("card.json"), """
                {"summary": "A tiny test model.", "intendedUse": "Tests only.", "notFor": "Patients.",
                 "data": "Synthetic blobs.", "notTestedOn": ["real X-rays"], "recipe": "see the test",
                 "thresholdChoice": "Youden", "validation": "AUC whatever",
                 "failureModes": ["calls faint blobs NORMAL"], "guardCost": "0.1 ms per image, see the bench",
                 "guardChecks": [{"images": "noise", "count": 40, "flagged": 39, "unusual": 1}],
                 "guardChecksCommand": "`bench/scope-guard.sh m`"}
                """);
        assertThat(cli.run("info", "--model", copy.toString(), "--set-card", card.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("A tiny test model.").contains("## Known failure modes")
                .contains("- calls faint blobs NORMAL").contains("| Cost | 0.1 ms per image, see the bench |")
                .contains("Images flagged, measured with `bench/scope-guard.sh m`:")
                .contains("| noise | 40 | 39 (97.5%) | 1 (2.5%) |")
                .doesNotContain("No card");
        assertThat(Files.readAllBytes(copy.resolve("weights.params")))
                .isEqualTo(Files.readAllBytes(model.resolve("weights.params")));
        try (Detector d = Detector.load(copy)) {
            assertThat(d.info().card().notTestedOn()).containsExactly("real X-rays");
        }
        assertThat(cli.run("info", "--model", copy.toString(), "--json")).isZero();
        assertThat(JsonParser.parseString(cli.out().substring(cli.out().indexOf("{"))).getAsJsonObject()
                .getAsJsonObject("card").get("intendedUse").getAsString()).isEqualTo("Tests only.");
    }

    @Test
    void neitherFormPrintsTheAbsoluteDataFolderTheModelRecords() throws Exception {
        // Trained from an absolute folder, so model.json holds the training machine's path.
        String machine = shared.toAbsolutePath().toString();
        assertThat(Files.readString(model.resolve("model.json"))).contains(machine);
        assertThat(cli.run("info", "--model", model.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).doesNotContain(machine).contains("| folder | .../");
        assertThat(cli.run("info", "--model", model.toString(), "--json")).as(cli.err()).isZero();
        assertThat(cli.out()).doesNotContain(machine);
        assertThat(JsonParser.parseString(cli.out().substring(cli.out().indexOf("{"))).getAsJsonObject()
                .getAsJsonObject("data").get("folder").getAsString()).startsWith(".../");
    }

    @Test
    void badCardsAreExitCode2() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"summary\": ");
        assertThat(cli.run("info", "--model", model.toString(), "--set-card", broken.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("cannot read the card");
        Path partial = Files.writeString(dir.resolve("partial.json"), "{\"summary\": \"only this\"}");
        assertThat(cli.run("info", "--model", model.toString(), "--set-card", partial.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("the field intendedUse is missing");
        Path uncounted = Files.writeString(dir.resolve("uncounted.json"), """
                {"summary": "s", "intendedUse": "u", "notFor": "n", "data": "d", "recipe": "r",
                 "thresholdChoice": "t", "validation": "v",
                 "guardChecks": [{"images": "noise", "count": 4, "flagged": 5, "unusual": 0}],
                 "guardChecksCommand": "c"}
                """);
        assertThat(cli.run("info", "--model", model.toString(), "--set-card", uncounted.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("5 flagged and 0 unusual of 4 images");
        assertThat(cli.run("info", "--model", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("does not exist");
    }
}
