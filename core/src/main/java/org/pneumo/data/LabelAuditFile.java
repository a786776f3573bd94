package org.pneumo.data;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.pneumo.io.AtomicFiles;

/**
 * A label audit as a file ({@code pneumo audit-labels} writes it, training and the ensemble's threshold read it):
 * every image of a training folder with its out-of-fold P(PNEUMONIA) and whether its label is a suspect. How the audit
 * is made is {@code org.pneumo.train.LabelAudit}.
 */
public final class LabelAuditFile {
    /** A sensible file name for an audit. */
    public static final String FILE = "label-audit.csv";

    private static final String[] HEADER = {"file", "label", "patient", "fold", "probability_pneumonia", "suspect"};
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
            .setCommentMarker('#').get();

    private LabelAuditFile() {}

    /**
     * One audited image.
     *
     * @param file the image's path relative to the audited split folder, with {@code /} separators
     * @param probabilityPneumonia the out-of-fold P(PNEUMONIA)
     * @param suspect whether the other class's probability reaches that class's self-confidence
     */
    public record Entry(String file, Diagnosis label, String patient, int fold, double probabilityPneumonia,
            boolean suspect) {
        /** The out-of-fold probability of the image's own label. */
        public double probabilityOfLabel() {
            return label == Diagnosis.PNEUMONIA ? probabilityPneumonia : 1 - probabilityPneumonia;
        }
    }

    /**
     * An audit: every image's entry, and how it was made.
     *
     * @param fingerprint the data fingerprint of the audited images (training checks it against its own)
     * @param auc the out-of-fold ROC AUC of the classifier (how well the features separate the labels)
     * @param selfConfidence per class, the mean out-of-fold probability of that class over its own images
     */
    public record Result(List<Entry> entries, int folds, long seed, String fingerprint, double auc,
            double[] selfConfidence) {
        public Result {
            entries = List.copyOf(entries);
            selfConfidence = selfConfidence.clone();
        }

        /** Suspects among the images labelled {@code label}. */
        public int suspects(Diagnosis label) {
            return (int) entries.stream().filter(e -> e.label() == label && e.suspect()).count();
        }

        /** The entries by file (relative to the audited folder, as {@link #relative} makes it). */
        public java.util.Map<String, Entry> byFile() {
            java.util.Map<String, Entry> map = new java.util.HashMap<>();
            entries.forEach(e -> map.put(e.file(), e));
            return map;
        }

        /** One line for people: images, folds, AUC, suspects per class. */
        public String summary() {
            return String.format(Locale.ROOT, "%d images, %d patient-level folds (seed %d), out-of-fold ROC AUC %.4f;"
                    + " suspects: %d of %d NORMAL, %d of %d PNEUMONIA (self-confidence NORMAL %.3f, PNEUMONIA %.3f)",
                    entries.size(), folds, seed, auc, suspects(Diagnosis.NORMAL), count(Diagnosis.NORMAL),
                    suspects(Diagnosis.PNEUMONIA), count(Diagnosis.PNEUMONIA), selfConfidence[0], selfConfidence[1]);
        }

        private int count(Diagnosis label) {
            return (int) entries.stream().filter(e -> e.label() == label).count();
        }
    }

    /** {@code file} relative to {@code folder}, with {@code /} separators, as entries name it. */
    public static String relative(Path folder, Path file) {
        Path from = folder.toAbsolutePath().normalize();
        Path to = file.toAbsolutePath().normalize();
        Path rel = to.startsWith(from) ? from.relativize(to) : to;
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }

    /** Writes the audit as CSV (how it was made in {@code #} comment lines first), atomically. */
    public static void write(Path file, Result r) throws IOException {
        AtomicFiles.write(file, stream -> {
            try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), FORMAT)) {
                printer.printComment("pneumo label audit: " + r.summary());
                printer.printComment(String.format(Locale.ROOT, "folds=%d seed=%d fingerprint=%s auc=%.6f"
                        + " self_confidence_normal=%.6f self_confidence_pneumonia=%.6f", r.folds(), r.seed(),
                        r.fingerprint(), r.auc(), r.selfConfidence()[0], r.selfConfidence()[1]));
                printer.printComment("suspect: the other class's out-of-fold probability reaches that class's"
                        + " self-confidence (confident learning)");
                printer.printRecord((Object[]) HEADER);
                for (Entry e : r.entries()) {
                    printer.printRecord(e.file(), e.label(), e.patient(), e.fold(),
                            String.format(Locale.ROOT, "%.6f", e.probabilityPneumonia()), e.suspect());
                }
            }
        });
    }

    /**
     * Reads an audit written by {@link #write}.
     *
     * @throws DataException when the file is not such an audit (names the file and what is wrong)
     */
    public static Result read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int folds = -1;
        long seed = 0;
        String fingerprint = null;
        double auc = Double.NaN;
        double[] self = new double[2];
        for (String line : text.split("\n")) {
            if (line.startsWith("# folds=")) {
                for (String pair : line.substring(2).trim().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    switch (kv[0]) {
                        case "folds" -> folds = Integer.parseInt(kv[1]);
                        case "seed" -> seed = Long.parseLong(kv[1]);
                        case "fingerprint" -> fingerprint = kv[1];
                        case "auc" -> auc = Double.parseDouble(kv[1]);
                        case "self_confidence_normal" -> self[0] = Double.parseDouble(kv[1]);
                        case "self_confidence_pneumonia" -> self[1] = Double.parseDouble(kv[1]);
                        default -> { }
                    }
                }
            }
        }
        if (folds < 0 || fingerprint == null) {
            throw new DataException(file + " is not a label audit of pneumo (no '# folds=... fingerprint=...'"
                    + " line); make one with pneumo audit-labels");
        }
        List<Entry> entries = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(text)) {
            for (CSVRecord row : FORMAT.builder().setHeader(HEADER).setSkipHeaderRecord(true).get().parse(reader)) {
                if (row.size() != HEADER.length) {
                    throw new DataException(file + " line " + row.getRecordNumber() + " has " + row.size()
                            + " fields; expected " + HEADER.length);
                }
                try {
                    entries.add(new Entry(row.get("file"), Diagnosis.valueOf(row.get("label")), row.get("patient"),
                            Integer.parseInt(row.get("fold")), Double.parseDouble(row.get("probability_pneumonia")),
                            Boolean.parseBoolean(row.get("suspect"))));
                } catch (IllegalArgumentException e) {
                    throw new DataException(file + " line " + row.getRecordNumber() + ": " + e.getMessage());
                }
            }
        }
        return new Result(entries, folds, seed, fingerprint, auc, self);
    }

    /**
     * The indices of {@code images} (files under {@code folder}) that are not suspects of this audit: the validation
     * images a threshold may be chosen on when contradicted labels are left out.
     */
    public static List<Integer> notSuspect(Result audit, Path folder, List<LabeledImage> images) {
        java.util.Map<String, Entry> byFile = audit.byFile();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Entry e = byFile.get(relative(folder, images.get(i).file()));
            if (e == null || !e.suspect()) {
                kept.add(i);
            }
        }
        return kept;
    }
}
