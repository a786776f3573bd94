package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntervalsTest {
    // The "ties" case of sklearn_reference.py: 30 images, scores with one decimal, AUC about 0.968.
    private static final int[] TRUTH = {1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1,
        1, 1, 0, 1};
    private static final double[] SCORE = {0.6, 0.7, 0.2, 0.5, 0.8, 0.5, 0.5, 0.5, 0.5, 0.6, 0.4, 0.2, 0.5, 0.3, 0.0,
        0.5, 0.4, 0.8, 0.5, 1.0, 0.0, 0.1, 0.2, 0.6, 0.2, 0.6, 0.9, 0.5, 0.3, 0.7};

    @Test
    void wilsonEndsAreExactAtTheExtremes() {
        double[] none = Intervals.wilson(0, 10, Intervals.Z_95);
        assertThat(none[0]).isEqualTo(0.0);
        assertThat(none[1]).isBetween(0.2, 0.35);
        double[] all = Intervals.wilson(10, 10, Intervals.Z_95);
        assertThat(all[1]).isEqualTo(1.0);
        assertThat(all[0]).isCloseTo(1 - none[1], within(1e-12));
    }

    @Test
    void wilsonIsSymmetricAndNarrowsWithMoreImages() {
        double[] three = Intervals.wilson(3, 10, Intervals.Z_95);
        double[] seven = Intervals.wilson(7, 10, Intervals.Z_95);
        assertThat(three[0]).isCloseTo(1 - seven[1], within(1e-12));
        assertThat(three[1]).isCloseTo(1 - seven[0], within(1e-12));
        double[] many = Intervals.wilson(300, 1000, Intervals.Z_95);
        assertThat(many[1] - many[0]).isLessThan((three[1] - three[0]) / 5);
        // A wider z gives a wider interval.
        double[] wide = Intervals.wilson(3, 10, 2.576);
        assertThat(wide[0]).isLessThan(three[0]);
        assertThat(wide[1]).isGreaterThan(three[1]);
    }

    @Test
    void wilsonRejectsBadCounts() {
        assertThatThrownBy(() -> Intervals.wilson(0, 0, Intervals.Z_95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n 0");
        assertThatThrownBy(() -> Intervals.wilson(5, 4, Intervals.Z_95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5")
                .hasMessageContaining("4");
        assertThatThrownBy(() -> Intervals.wilson(-1, 4, Intervals.Z_95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Intervals.wilson(1, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Intervals.wilson(1, 4, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bootstrapIsReproducibleFromItsSeed() {
        double[] first = Intervals.bootstrapAuc(TRUTH, SCORE, 300, 42);
        double[] again = Intervals.bootstrapAuc(TRUTH, SCORE, 300, 42);
        double[] other = Intervals.bootstrapAuc(TRUTH, SCORE, 300, 43);
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void bootstrapIntervalContainsThePointAuc() {
        double auc = RankMetrics.rocAuc(TRUTH, SCORE);
        double[] interval = Intervals.bootstrapAuc(TRUTH, SCORE, 500, 7);
        assertThat(interval[0]).isLessThan(auc);
        assertThat(interval[1]).isGreaterThan(auc);
        assertThat(interval[1]).isLessThanOrEqualTo(1.0);
        // 30 images cannot pin the AUC down to a few hundredths.
        assertThat(interval[1] - interval[0]).isBetween(0.02, 0.3);
    }

    @Test
    void bootstrapRedrawsResamplesThatLackAClass() {
        // With one PNEUMONIA image among three, about 30% of draws have none; keeping them would give NaN AUCs.
        double[] separated = Intervals.bootstrapAuc(new int[] {1, 0, 0}, new double[] {0.9, 0.1, 0.2}, 200, 1);
        assertThat(separated).containsExactly(1.0, 1.0);
        double[] reversed = Intervals.bootstrapAuc(new int[] {1, 0}, new double[] {0.1, 0.9}, 50, 1);
        assertThat(reversed).containsExactly(0.0, 0.0);
    }

    @Test
    void bootstrapRejectsOneClassAndNoResamples() {
        assertThatThrownBy(() -> Intervals.bootstrapAuc(new int[] {1, 1, 1}, new double[] {0.1, 0.2, 0.3}, 10, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 PNEUMONIA and 0 NORMAL");
        assertThatThrownBy(() -> Intervals.bootstrapAuc(TRUTH, SCORE, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> Intervals.bootstrapAuc(new int[] {0, 1}, new double[] {0.1}, 10, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truth has 2 values but score has 1");
    }

    @Test
    void aucScoreIntervalStaysWideWhenASmallSampleIsSeparatedPerfectly() {
        // Reference values from an independent bisection in Python over the same equation.
        double[] perfect = Intervals.aucScore(1.0, 8, 8, Intervals.Z_95);
        assertThat(perfect[0]).isCloseTo(0.75565, within(1e-4));
        assertThat(perfect[1]).isEqualTo(1.0);
        double[] ninety = Intervals.aucScore(0.9, 8, 8, Intervals.Z_95);
        assertThat(ninety[0]).isCloseTo(0.61811, within(1e-4));
        assertThat(ninety[1]).isCloseTo(0.97770, within(1e-4));
        // At each end the observed AUC is exactly z standard errors (evaluated at that end) away.
        for (double end : ninety) {
            assertThat(Math.abs(0.9 - end)).isCloseTo(
                    Intervals.Z_95 * Math.sqrt(Intervals.hanleyMcNeilVariance(end, 8, 8)), within(1e-9));
        }
        // More images, narrower interval.
        double[] more = Intervals.aucScore(1.0, 80, 80, Intervals.Z_95);
        assertThat(more[0]).isGreaterThan(perfect[0]);
        assertThatThrownBy(() -> Intervals.aucScore(0.5, 0, 3, Intervals.Z_95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
    }
}
