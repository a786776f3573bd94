package org.pneumo.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A short hash of a data set's file names, classes and sizes, recorded in a model so that anyone can tell whether two
 * models saw the same images (independent of where the folder lies or of file times).
 */
public final class DataFingerprint {
    private DataFingerprint() {}

    public static String of(List<LabeledImage> images) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<LabeledImage> sorted = images.stream()
                .sorted(Comparator.comparing((LabeledImage i) -> i.label())
                        .thenComparing(i -> i.file().getFileName().toString()))
                .toList();
        for (LabeledImage image : sorted) {
            Path f = image.file();
            String line = image.label() + "/" + f.getFileName() + "\t" + Files.size(f) + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
    }
}
