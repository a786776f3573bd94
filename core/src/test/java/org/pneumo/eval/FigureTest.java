package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class FigureTest {
    @Test
    void ofHasNoInterval() {
        Figure f = Figure.of(0.75);
        assertThat(f.defined()).isTrue();
        assertThat(f.hasInterval()).isFalse();
        assertThat(f.low()).isNaN();
        assertThat(f.high()).isNaN();
        assertThat(f.format(2)).isEqualTo("0.75");
    }

    @Test
    void formatsValueAndInterval() {
        Figure f = Figure.of(0.93121).withInterval(0.90118, 0.95331);
        assertThat(f.hasInterval()).isTrue();
        assertThat(f.format(4)).isEqualTo("0.9312 (95% CI 0.9012-0.9533)");
        assertThat(f.value()).isEqualTo(0.93121);
    }

    @Test
    void undefinedCarriesItsReason() {
        Figure f = Figure.undefined("no NORMAL images");
        assertThat(f.defined()).isFalse();
        assertThat(f.value()).isNaN();
        assertThat(f.hasInterval()).isFalse();
        assertThat(f.undefinedReason()).isEqualTo("no NORMAL images");
        assertThat(f.format(4)).isEqualTo("undefined: no NORMAL images");
    }

    @Test
    void roundsLikePythonNotLikeStringFormat() {
        // 1/32 is exact in binary: Python's format rounds the tie to even (0.0312), String.format half up (0.0313).
        assertThat(Figure.of(1.0 / 32).format(4)).isEqualTo("0.0312");
        assertThat(Figure.of(0.25).format(1)).isEqualTo("0.2");
        assertThat(Figure.of(2.0 / 3).format(4)).isEqualTo("0.6667");
    }

    @Test
    void formatIgnoresTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Figure.of(0.5).withInterval(0.25, 0.75).format(2)).isEqualTo("0.50 (95% CI 0.25-0.75)");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void rejectsInconsistentStates() {
        assertThatThrownBy(() -> Figure.undefined(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Figure.undefined(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Figure.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Figure(0.5, Double.NaN, Double.NaN, "why"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> Figure.of(0.5).withInterval(0.7, 0.6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.7")
                .hasMessageContaining("0.6");
        assertThatThrownBy(() -> Figure.of(0.5).withInterval(Double.NaN, 0.6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Figure.undefined("no images").withInterval(0.1, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no images");
        assertThatThrownBy(() -> Figure.of(0.5).format(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
