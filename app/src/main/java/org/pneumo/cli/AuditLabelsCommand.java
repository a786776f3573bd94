package org.pneumo.cli;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataFingerprint;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageCache;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSet;
import org.pneumo.data.InputSpec;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.LabelAuditFile;
import org.pneumo.train.LabelAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pneumo audit-labels}: finds training images whose label the rest of the data contradicts, for
 * {@code pneumo train --label-audit}.
 */
@Command(name = "audit-labels", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find training images whose label the rest of the data contradicts (confident learning on"
                + " out-of-fold probabilities of a linear discriminant over frozen ImageNet MobileNetV2 features,"
                + " patient-level folds) and write them as CSV for pneumo train --label-audit.")
final class AuditLabelsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "A Kaggle root (its train/ is audited) or one folder with NORMAL/ and PNEUMONIA/.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The CSV to write (every image, its out-of-fold probability and whether it is a suspect).")
    Path out;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5",
            description = "Patient-level folds, 2-20. Default: ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds the fold assignment. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "Suspects of each class to list, most contradicted first. Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Images per batch of the feature pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where decoded images are cached. Default: $XDG_CACHE_HOME/pneumo or ~/.cache/pneumo.")
    Path cacheDir;

    @Option(names = "--strict", description = "Stop at the first unreadable image instead of skipping it.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        if (folds < 2 || folds > 20) {
            throw new IllegalArgumentException("--folds " + folds + " is outside [2, 20]");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be at least 1");
        }
        if (show < 0) {
            throw new IllegalArgumentException("--show " + show + " must be 0 or more");
        }
        OutputPaths.file("--out", out);
        if (cacheDir != null) {
            OutputPaths.folder("--cache-dir", cacheDir);
        }
        BadFilePolicy policy = new BadFilePolicy(strict, line -> System.err.println("warning: " + line));
        Path folder = ImageFolder.resolveSplit(data, "train");
        List<LabeledImage> listed = ImageFolder.list(folder, true, policy);
        String fingerprint = DataFingerprint.of(listed);
        // The features are computed at the pretrained network's own input: 224 px; one channel (gray kernels summed).
        ImageDecoder decoder = new ImageDecoder(new InputSpec(224, 1));
        ImageCache cache = new ImageCache(cacheDir == null ? ImageCache.defaultDirectory() : cacheDir);
        ProgressBar decoding = new ProgressBar(System.err, "decoding", listed.size());
        ImageSet set = cache.load(folder.getFileName().toString(), listed, decoder, policy, decoding);
        decoding.finish();
        ProgressBar features = new ProgressBar(System.err, "features", set.size());
        LabelAuditFile.Result result = LabelAudit.run(set, folder, fingerprint, folds, seed, batchSize, features);
        features.finish();
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        LabelAuditFile.write(out, result);
        System.out.println("label audit of " + folder + " (" + fingerprint + "): " + result.summary());
        for (Diagnosis label : Diagnosis.values()) {
            List<LabelAuditFile.Entry> suspects = result.entries().stream()
                    .filter(e -> e.label() == label && e.suspect())
                    .sorted(Comparator.comparingDouble(LabelAuditFile.Entry::probabilityOfLabel))
                    .limit(show).toList();
            if (!suspects.isEmpty()) {
                System.out.println("most contradicted " + label + " images (out-of-fold probability of the label):");
                suspects.forEach(e -> System.out.printf(Locale.ROOT, "  %.4f  %s%n", e.probabilityOfLabel(),
                        e.file()));
            }
        }
        System.out.println("wrote " + out + "; use it with pneumo train --label-audit " + out);
        return 0;
    }
}
