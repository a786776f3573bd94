package org.pneumo.data;

import java.util.Locale;
import java.util.Optional;

/** The two classes the detector tells apart, in the order of the network's outputs (PNEUMONIA is positive). */
public enum Diagnosis {
    NORMAL,
    PNEUMONIA;

    /** The class index used as the integer label and the softmax output position. */
    public int index() {
        return ordinal();
    }

    /**
     * The one rule that turns a probability of pneumonia into a label: PNEUMONIA when {@code probability >=
     * threshold} (the threshold itself counts as PNEUMONIA), else NORMAL.
     */
    public static Diagnosis at(double probability, double threshold) {
        return probability >= threshold ? PNEUMONIA : NORMAL;
    }

    /** The class whose name matches a folder name, ignoring case. */
    public static Optional<Diagnosis> ofFolderName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Diagnosis d : values()) {
            if (d.name().equals(upper)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
