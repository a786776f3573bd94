package org.pneumo.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The per-epoch figures of a run, written as {@code history.csv} beside the model. */
public final class TrainingHistory {
    public static final String FILE = "history.csv";

    private TrainingHistory() {}

    public static void write(Path file, List<EpochRecord> epochs) throws IOException {
        StringBuilder sb = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
        for (EpochRecord e : epochs) {
            sb.append(e.toCsv()).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    public static List<EpochRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(EpochRecord.CSV_HEADER)) {
            throw new IOException(file + " is not a pneumo training history");
        }
        List<EpochRecord> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                out.add(EpochRecord.fromCsv(line));
            }
        }
        return out;
    }
}
