package org.pneumo.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pneumo.data.Diagnosis;

/**
 * Typed provenance of a model: how its validation split was made, what data it saw, how it did on validation. The
 * records are written and read as the {@code training}, {@code data} and {@code validation} objects of
 * {@code model.json} with the same keys as always (so every format-2 folder reads unchanged, and settings a newer
 * recipe adds travel in the same objects), and read back here, in one place, instead of by string keys wherever a
 * figure is needed.
 */
public final class Provenance {
    private Provenance() {}

    /** The settings that made the patient-level validation split. */
    public record Split(double valFraction, long seed) {
        static Split of(Map<String, Object> training) {
            return new Split(number(training, "valFraction", "training").doubleValue(),
                    number(training, "seed", "training").longValue());
        }
    }

    /** Images per class. */
    public record ClassCounts(int normal, int pneumonia) {
        /** From counts indexed by {@link Diagnosis#index()}. */
        public static ClassCounts of(int[] counts) {
            return new ClassCounts(counts[Diagnosis.NORMAL.index()], counts[Diagnosis.PNEUMONIA.index()]);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(Diagnosis.NORMAL.name(), normal);
            m.put(Diagnosis.PNEUMONIA.name(), pneumonia);
            return m;
        }

        @SuppressWarnings("unchecked")
        static ClassCounts fromJson(Object map) {
            Map<String, Object> m = map instanceof Map<?, ?> ? (Map<String, Object>) map : Map.of();
            return new ClassCounts(intOr(m.get(Diagnosis.NORMAL.name())), intOr(m.get(Diagnosis.PNEUMONIA.name())));
        }
    }

    /**
     * What the model was trained on.
     *
     * @param folder the training folder as the command was given it (relative when given relative; older models
     *     recorded it absolute)
     * @param fingerprint the data fingerprint of its listed files
     * @param images images used (that decoded)
     * @param skippedFiles files left out
     */
    public record Data(String folder, String fingerprint, int images, int skippedFiles, ClassCounts trainImages,
            ClassCounts validationImages, String split) {
        /** The {@code data} object of {@code model.json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", folder);
            m.put("fingerprint", fingerprint);
            m.put("images", images);
            m.put("skippedFiles", skippedFiles);
            m.put("trainImages", trainImages.toMap());
            m.put("validationImages", validationImages.toMap());
            m.put("split", split);
            return m;
        }

        /** A training folder as it is recorded: as given, normalised ({@code "."} rather than empty). */
        public static String asGiven(Path folder) {
            String s = folder.normalize().toString();
            return s.isEmpty() ? "." : s;
        }

        /**
         * The folder as people may see it: a relative folder as it is, an absolute one (the layout of the machine that
         * made the model, which older versions recorded) shortened to its last two names, such as
         * {@code .../chest_xray/train}, so that a card or report never shows it.
         */
        public static String forPeople(String folder) {
            if (folder == null) {
                return null;
            }
            boolean absolute = folder.startsWith("/") || folder.startsWith("\\") || folder.startsWith("~")
                    || folder.startsWith("file:") || folder.matches("^[A-Za-z]:.*");
            if (!absolute) {
                return folder;
            }
            String[] names = Arrays.stream(folder.split("[\\\\/]+"))
                    .filter(n -> !n.isEmpty() && !n.equals("~") && !n.endsWith(":")).toArray(String[]::new);
            int from = Math.max(0, names.length - 2);
            return names.length == 0 ? "(not shown)"
                    : ".../" + String.join("/", Arrays.copyOfRange(names, from, names.length));
        }

        static Data of(Map<String, Object> m) {
            return new Data(string(m.get("folder")), string(m.get("fingerprint")), intOr(m.get("images")),
                    intOr(m.get("skippedFiles")), ClassCounts.fromJson(m.get("trainImages")),
                    ClassCounts.fromJson(m.get("validationImages")), string(m.get("split")));
        }
    }

    /**
     * Validation figures of the kept epoch, at the operating threshold unless said otherwise.
     *
     * @param accuracyAtHalf accuracy at threshold 0.5
     */
    public record Validation(int images, double rocAuc, double loss, double accuracy, double sensitivity,
            double specificity, double accuracyAtHalf) {
        /** The {@code validation} object of {@code model.json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("rocAuc", rocAuc);
            m.put("loss", loss);
            m.put("accuracyAt0.5", accuracyAtHalf);
            m.put("accuracy", accuracy);
            m.put("sensitivity", sensitivity);
            m.put("specificity", specificity);
            return m;
        }

        static Validation of(Map<String, Object> m) {
            return new Validation(intOr(m.get("images")), doubleOr(m.get("rocAuc")), doubleOr(m.get("loss")),
                    doubleOr(m.get("accuracy")), doubleOr(m.get("sensitivity")), doubleOr(m.get("specificity")),
                    doubleOr(m.get("accuracyAt0.5")));
        }
    }

    private static Number number(Map<String, Object> m, String key, String object) {
        if (m.get(key) instanceof Number n) {
            return n;
        }
        throw new IllegalStateException("model.json's " + object + " has no number " + key);
    }

    private static int intOr(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }

    private static double doubleOr(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
