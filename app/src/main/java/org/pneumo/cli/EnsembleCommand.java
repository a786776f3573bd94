package org.pneumo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.infer.Ensemble;
import org.pneumo.io.AtomicFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.Provenance;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pneumo ensemble}: makes one model folder from several trained ones (their probabilities averaged), with its
 * threshold chosen on their shared validation split; every command loads it like one model.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Make an ensemble model folder from trained model folders: P(PNEUMONIA) is the mean of the"
                + " members', Grad-CAM maps are averaged, an image is out of scope when any member's guard says so,"
                + " and the operating threshold is chosen on the members' shared validation split.")
final class EnsembleCommand implements Callable<Integer> {
    @Option(names = "--member", required = true, paramLabel = "DIR",
            description = "A member model folder (from pneumo train); give it 2 or more times. All members must be"
                    + " validated on the same split (the same --seed and --val-fraction).")
    List<Path> members;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The ensemble folder to write (the members are copied into it, without checkpoints).")
    Path out;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The data the members were trained on: a Kaggle root (its train/) or the training folder.")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ThresholdCommand.Rule rule;

    @Option(names = "--label-audit", paramLabel = "FILE",
            description = "A label audit of the training folder (pneumo audit-labels): validation images it calls"
                    + " suspects are left out of the threshold choice, as pneumo train --label-audit does.")
    Path labelAudit;

    @Option(names = "--overwrite", description = "Replace what is in --out.")
    boolean overwrite;

    @Mixin
    BatchOptions batchOptions;

    @Override
    public Integer call() throws Exception {
        batchOptions.check();
        ThresholdRule chosenRule = rule.toRule();
        if (members.size() < 2) {
            throw new IllegalArgumentException("--member is given " + members.size() + " time(s); an ensemble needs"
                    + " at least 2 members");
        }
        OutputPaths.folder("--out", out);
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    if (!overwrite) {
                        throw new IllegalArgumentException("--out " + out + " is not empty; use --overwrite to"
                                + " replace it, or another --out");
                    }
                    AtomicFiles.deleteRecursively(out);
                }
            }
        }
        ProgressBar[] bar = new ProgressBar[1];
        ModelInfo info = Ensemble.create(members, out, data, chosenRule, labelAudit, batchOptions.batchSize,
                total -> bar[0] = new ProgressBar(System.err, "validation", total));
        if (bar[0] != null) {
            bar[0].finish();
        }
        Provenance.Validation v = info.validationFigures();
        System.out.printf(Locale.ROOT, "ensemble %s of %d members written to %s%n", info.modelId(), members.size(),
                out);
        System.out.printf(Locale.ROOT, "validation (%d images): ROC AUC %.4f, accuracy %.4f at threshold %.4f (%s),"
                        + " sensitivity %.4f, specificity %.4f%n", v.images(), v.rocAuc(), v.accuracy(),
                info.threshold().value(), info.threshold().method(), v.sensitivity(), v.specificity());
        return 0;
    }
}
