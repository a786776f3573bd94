package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void quotesOnlyWhenNeeded() {
        assertThat(Csv.field("plain.png")).isEqualTo("plain.png");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"x\"")).isEqualTo("\"say \"\"x\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    }
}
