package org.pneumo.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.infer.ValidationThreshold;
import org.pneumo.model.ModelFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pneumo threshold}: chooses a model folder's operating threshold again on its own validation split, with the
 * rules {@code pneumo train} uses, and records in {@code model.json} that it was chosen again, how and when. For a
 * model whose threshold an older rule chose; the weights are not touched.
 */
@Command(name = "threshold", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Choose a model's operating threshold again on its own validation split (the images of"
                + " evaluate --split validation), midway between two neighbouring validation scores, and write it"
                + " into the model folder's model.json with when and how it was chosen. The weights are not touched.")
final class ThresholdCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder (from pneumo train) whose threshold is chosen again; its model.json is"
                    + " written.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The data the model was trained on: a Kaggle root (its train/) or the training folder.")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Rule rule;

    /** Exactly one rule, as train's --target-sensitivity chooses (its absence meaning Youden's J). */
    static final class Rule {
        @Option(names = "--target-sensitivity", paramLabel = "S",
                description = "The highest threshold whose validation sensitivity is at least S, in (0, 1].")
        Double targetSensitivity;

        @Option(names = "--youden", description = "The threshold that maximises Youden's J on validation.")
        boolean youden;

        /** The rule; a target outside (0, 1] is refused, naming the option. */
        ThresholdRule toRule() {
            if (!youden && !(targetSensitivity > 0 && targetSensitivity <= 1)) {
                throw new IllegalArgumentException("--target-sensitivity " + targetSensitivity + " is outside (0, 1]");
            }
            return youden ? ThresholdRule.youden() : ThresholdRule.sensitivity(targetSensitivity);
        }
    }

    @Option(names = "--calibrate",
            description = "First fit a temperature on the validation scores (temperature scaling; replaces the"
                    + " model's own), so that the model reports calibrated probabilities and the threshold is chosen"
                    + " on them.")
    boolean calibrate;

    @Mixin
    BatchOptions batchOptions;

    @Override
    public Integer call() throws Exception {
        batchOptions.check();
        ThresholdRule chosenRule = rule.toRule();
        ModelFiles.readInfo(model); // a missing or broken model folder fails before the images are listed
        ProgressBar[] bar = new ProgressBar[1];
        ValidationThreshold.Choice choice = ValidationThreshold.choose(model, data, chosenRule, calibrate,
                batchOptions.batchSize, Instant.now(), total -> bar[0] = new ProgressBar(System.err, "scoring", total));
        bar[0].finish();
        ValidationThreshold.write(model, choice);
        ConfusionMatrix c = choice.confusion();
        if (calibrate) {
            var cal = choice.after().calibration();
            System.out.printf(Locale.ROOT, "calibration: temperature %.3f; expected calibration error on validation"
                    + " %.4f -> %.4f%n", cal.temperature(), cal.eceBefore(), cal.eceAfter());
        }
        System.out.printf(Locale.ROOT, "threshold of %s: %s -> %s (%s, %s)%n", choice.after().modelId(),
                choice.before().threshold().value(), choice.threshold(), choice.after().threshold().method(),
                choice.after().threshold().placement());
        System.out.printf(Locale.ROOT, "on its %d validation images: sensitivity %.4f, specificity %.4f, accuracy"
                        + " %.4f, confusion matrix [[%d, %d], [%d, %d]]%n", c.total(), c.sensitivity().value(),
                c.specificity().value(), c.accuracy().value(), c.tn(), c.fp(), c.fn(), c.tp());
        System.out.println("wrote " + model.resolve(ModelFiles.INFO_FILE) + " (weights untouched)");
        return 0;
    }
}
