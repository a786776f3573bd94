package org.pneumo.data;

import java.nio.file.Path;
import java.util.Objects;

/** One image file and the class its folder says it belongs to. */
public record LabeledImage(Path file, Diagnosis label) {
    public LabeledImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(label, "label");
    }

    /** The patient this image belongs to, parsed from its file name. */
    public String patientId() {
        return PatientIds.of(file.getFileName().toString());
    }
}
