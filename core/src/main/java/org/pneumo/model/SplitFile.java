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

    /** The contents: training images first, then validation, each with its absolute normalised path. */
    public static String format(List<LabeledImage> train, List<LabeledImage> validation) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord((Object[]) HEADER);
            for (Side side : Side.values()) {
                for (LabeledImage image : side == Side.TRAIN ? train : validation) {
                    printer.printRecord(image.file().toAbsolutePath().normalize(), image.label(),
                            image.patientId(), side.word());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString();
    }

    /**
     * The images of one side, their paths moved from the folder training listed ({@code recordedFolder}) to
     * {@code folder} (the same images, perhaps at another place or on another machine).
     *
     * @throws DataException when the file is malformed or names an image outside {@code recordedFolder}
     */
    public static List<LabeledImage> read(Path file, Side side, Path recordedFolder, Path folder) throws IOException {
        Path from = recordedFolder.toAbsolutePath().normalize();
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
                Path recorded = Path.of(row.get("file")).normalize();
                if (!recorded.startsWith(from)) {
                    throw new DataException(file + " names " + recorded + ", which is not in the training folder "
                            + from + " its model records");
                }
                Diagnosis label;
                try {
                    label = Diagnosis.valueOf(row.get("label"));
                } catch (IllegalArgumentException e) {
                    throw new DataException(file + " line " + row.getRecordNumber() + " has the unknown label "
                            + row.get("label"));
                }
                images.add(new LabeledImage(folder.resolve(from.relativize(recorded)), label));
            }
        }
        return images;
    }
}
