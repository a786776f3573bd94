package org.pneumo.model;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.pneumo.data.DataException;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.LabeledImage;

/**
 * {@code split.csv} of a model folder: every image training used, its label, its patient id and its side of the
 * split. Evaluation reads the validation side back from it instead of rebuilding the split, so the images it scores
 * are exactly the ones the model was validated on.
 */
public final class SplitFile {
    /** The file name inside a model folder. */
    public static final String FILE = "split.csv";

    private static final String[] HEADER = {"file", "label", "patient", "side"};
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private SplitFile() {}

    /** Which side of the split an image was on. */
    public enum Side {
        TRAIN, VALIDATION;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The contents: training images first, then validation, each with its path relative to {@code folder}, the
     * training folder they were listed from (with {@code /} between names), so the file names no place on the machine
     * that trained the model.
     *
     * @throws IllegalArgumentException when an image is not inside {@code folder}
     */
    public static String format(Path folder, List<LabeledImage> train, List<LabeledImage> validation) {
        Path root = folder.toAbsolutePath().normalize();
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord((Object[]) HEADER);
            for (Side side : Side.values()) {
                for (LabeledImage image : side == Side.TRAIN ? train : validation) {
                    Path file = image.file().toAbsolutePath().normalize();
                    if (!file.startsWith(root)) {
                        throw new IllegalArgumentException(file + " is not in the training folder " + root);
                    }
                    List<String> names = new ArrayList<>();
                    root.relativize(file).forEach(name -> names.add(name.toString()));
                    printer.printRecord(String.join("/", names), image.label(), image.patientId(), side.word());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString();
    }

    /**
     * The images of one side, found in {@code folder} (the training folder, perhaps at another place or on another
     * machine). Paths are relative to the training folder; files written by older versions hold absolute paths under
     * {@code recordedFolder} (the folder their {@code model.json} records), which are moved to {@code folder}.
     *
     * @param recordedFolder the training folder the model records, needed only for absolute paths (may be null)
     * @throws DataException when the file is malformed or names an image outside the training folder
     */
    public static List<LabeledImage> read(Path file, Side side, Path recordedFolder, Path folder) throws IOException {
        List<LabeledImage> images = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord row : FORMAT.builder().setHeader(HEADER).setSkipHeaderRecord(true).get().parse(reader)) {
                if (row.size() != HEADER.length) {
                    throw new DataException(file + " line " + row.getRecordNumber() + " has " + row.size()
                            + " fields; expected " + HEADER.length);
                }
                if (!side.word().equals(row.get("side"))) {
                    continue;
                }
                Diagnosis label;
                try {
                    label = Diagnosis.valueOf(row.get("label"));
                } catch (IllegalArgumentException e) {
                    throw new DataException(file + " line " + row.getRecordNumber() + " has the unknown label "
                            + row.get("label"));
                }
                images.add(new LabeledImage(folder.resolve(inFolder(file, row, recordedFolder)), label));
            }
        }
        return images;
    }

    /** The row's image relative to the training folder. */
    private static Path inFolder(Path file, CSVRecord row, Path recordedFolder) {
        Path recorded = Path.of(row.get("file")).normalize();
        if (!recorded.isAbsolute()) {
            if (recorded.getNameCount() == 0 || recorded.startsWith("..") || recorded.toString().isEmpty()) {
                throw new DataException(file + " line " + row.getRecordNumber() + " names " + recorded
                        + ", which is not inside the training folder");
            }
            return recorded;
        }
        if (recordedFolder == null || !recordedFolder.isAbsolute()) {
            throw new DataException(file + " names the absolute path " + recorded + " but its model records no"
                    + " absolute training folder to find it from");
        }
        Path from = recordedFolder.normalize();
        if (!recorded.startsWith(from)) {
            throw new DataException(file + " names " + recorded + ", which is not in the training folder " + from
                    + " its model records");
        }
        return from.relativize(recorded);
    }
}
