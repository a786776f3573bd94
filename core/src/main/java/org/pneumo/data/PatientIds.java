package org.pneumo.data;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the patient from a Kaggle chest X-ray file name, so that a validation split never puts one child on both
 * sides: {@code person1234_bacteria_3012.jpeg} is patient {@code person1234}, {@code IM-0115-0001.jpeg} is {@code
 * IM-0115}, {@code NORMAL2-IM-0007-0001.jpeg} is {@code NORMAL2-IM-0007}. A name without a recognisable id is its own
 * patient.
 */
public final class PatientIds {
    private static final Pattern PERSON = Pattern.compile("^(person\\d+)_.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern IM = Pattern.compile("^((?:NORMAL\\d*-)?IM-\\d+)-\\d+.*", Pattern.CASE_INSENSITIVE);

    private PatientIds() {}

    /** The patient id for a file name (without folders). */
    public static String of(String fileName) {
        Matcher m = PERSON.matcher(fileName);
        if (m.matches()) {
            return m.group(1).toLowerCase(Locale.ROOT);
        }
        m = IM.matcher(fileName);
        if (m.matches()) {
            return m.group(1).toUpperCase(Locale.ROOT);
        }
        return "file:" + fileName;
    }
}
