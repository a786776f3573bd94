package org.pneumo.data;

/** CSV field quoting (RFC 4180) for the files pneumo writes: split lists, predictions, evaluations. */
public final class Csv {
    private Csv() {}

    /** The value as one CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break. */
    public static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
