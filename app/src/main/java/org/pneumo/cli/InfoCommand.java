package org.pneumo.cli;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pneumo.model.ModelCard;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ShippedModel;
import org.pneumo.report.ModelCardReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pneumo info}: prints a model's card (Markdown, or its model.json), or writes a new card into it. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the card of a model: what it is for, its data, recipe, threshold, validation figures and"
                + " known failure modes, as Markdown (or model.json with --json).")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder (from pneumo train). Default: the model shipped inside pneumo.")
    Path model;

    @Option(names = "--json", description = "Print model.json as it is stored, except that an absolute training"
            + " folder (recorded by older versions) is shortened to its last two names.")
    boolean json;

    @Option(names = "--set-card", paramLabel = "FILE",
            description = "Write the card in FILE (JSON: summary, intendedUse, notFor, data, notTestedOn, recipe,"
                    + " thresholdChoice, validation, failureModes, and optionally guardCost) into the model's"
                    + " model.json; weights untouched.")
    Path setCard;

    @Override
    public Integer call() throws Exception {
        Path folder = model != null ? model : ShippedModel.folder();
        ModelInfo info;
        if (setCard != null) {
            if (model == null) {
                throw new IllegalArgumentException("--set-card needs --model: the shipped model is read-only");
            }
            ModelCard card;
            try (Reader r = Files.newBufferedReader(setCard, StandardCharsets.UTF_8)) {
                card = ModelFiles.gson().fromJson(r, ModelCard.class);
            } catch (RuntimeException e) { // malformed JSON, or a card missing a required field or inconsistent
                Throwable root = e;
                while (root.getCause() != null) { // Gson wraps what the card's constructor threw
                    root = root.getCause();
                }
                String why = root instanceof NullPointerException ? "the field " + root.getMessage() + " is missing"
                        : root.getMessage();
                throw new IllegalArgumentException("cannot read the card " + setCard + ": " + why, e);
            }
            if (card == null) {
                throw new IllegalArgumentException("the card " + setCard + " is empty");
            }
            info = ModelFiles.writeCard(folder, card);
            System.err.println("pneumo: wrote the card into " + folder.resolve(ModelFiles.INFO_FILE));
        } else {
            info = ModelFiles.readInfo(folder);
        }
        // Neither form shows an absolute path of the machine that made the model (older model.json files hold one).
        System.out.print(json ? ModelFiles.gson().toJson(info.withoutMachinePaths()) + "\n"
                : ModelCardReport.markdown(info));
        return 0;
    }
}
