package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsEachCell() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 0, 1, 1, 1, 1}, new int[] {0, 0, 1, 0, 1, 1, 1});
        assertThat(m).isEqualTo(new ConfusionMatrix(2, 1, 1, 3));
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.asArray()).isDeepEqualTo(new long[][] {{2, 1}, {1, 3}});
    }

    @Test
    void thresholdItselfCountsAsPneumonia() {
        ConfusionMatrix m = ConfusionMatrix.atThreshold(
                new int[] {0, 0, 1, 1}, new double[] {0.49, 0.5, 0.5, 0.51}, 0.5);
        assertThat(m).isEqualTo(new ConfusionMatrix(1, 1, 0, 2));
    }

    @Test
    void proportionsUseTheRightCells() {
        ConfusionMatrix m = new ConfusionMatrix(8, 2, 1, 9);
        assertThat(m.accuracy().value()).isEqualTo(17.0 / 20);
        assertThat(m.sensitivity().value()).isEqualTo(9.0 / 10);
        assertThat(m.specificity().value()).isEqualTo(8.0 / 10);
        assertThat(m.ppv().value()).isEqualTo(9.0 / 11);
        assertThat(m.npv().value()).isEqualTo(8.0 / 9);
        double[] expected = Intervals.wilson(9, 11, Intervals.Z_95);
        assertThat(m.ppv().low()).isEqualTo(expected[0]);
        assertThat(m.ppv().high()).isEqualTo(expected[1]);
        assertThat(m.ppv().low()).isLessThan(m.ppv().value());
        assertThat(m.ppv().high()).isGreaterThan(m.ppv().value());
    }

    @Test
    void missingClassLeavesItsRecallUndefined() {
        ConfusionMatrix onlyPneumonia = ConfusionMatrix.of(new int[] {1, 1, 1}, new int[] {1, 0, 1});
        assertThat(onlyPneumonia.specificity().defined()).isFalse();
        assertThat(onlyPneumonia.specificity().undefinedReason()).isEqualTo("no NORMAL images");
        assertThat(onlyPneumonia.sensitivity().value()).isCloseTo(2.0 / 3, within(1e-15));

        ConfusionMatrix onlyNormal = ConfusionMatrix.of(new int[] {0, 0}, new int[] {0, 1});
        assertThat(onlyNormal.sensitivity().undefinedReason()).isEqualTo("no PNEUMONIA images");
        assertThat(onlyNormal.specificity().value()).isEqualTo(0.5);
    }

    @Test
    void onePredictedClassLeavesThePredictiveValueOfTheOtherUndefined() {
        ConfusionMatrix allPneumonia = ConfusionMatrix.of(new int[] {0, 1, 1}, new int[] {1, 1, 1});
        assertThat(allPneumonia.npv().undefinedReason()).isEqualTo("nothing predicted NORMAL");
        assertThat(allPneumonia.ppv().value()).isCloseTo(2.0 / 3, within(1e-15));

        ConfusionMatrix allNormal = ConfusionMatrix.of(new int[] {0, 1, 1}, new int[] {0, 0, 0});
        assertThat(allNormal.ppv().undefinedReason()).isEqualTo("nothing predicted PNEUMONIA");
        assertThat(allNormal.npv().value()).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void singleImage() {
        ConfusionMatrix m = ConfusionMatrix.atThreshold(new int[] {1}, new double[] {0.7}, 0.5);
        assertThat(m).isEqualTo(new ConfusionMatrix(0, 0, 0, 1));
        assertThat(m.accuracy().value()).isEqualTo(1.0);
        assertThat(m.accuracy().high()).isEqualTo(1.0);
        // One success in one trial says little: the Wilson interval is wide.
        assertThat(m.accuracy().low()).isCloseTo(0.2065, within(1e-4));
        assertThat(m.specificity().defined()).isFalse();
        assertThat(m.npv().defined()).isFalse();
    }

    @Test
    void emptyMatrixHasUndefinedAccuracy() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[0], new int[0]);
        assertThat(m.total()).isZero();
        assertThat(m.accuracy().undefinedReason()).isEqualTo("no images");
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[3], new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truth has 3 values but predicted has 2");
        assertThatThrownBy(() -> ConfusionMatrix.atThreshold(new int[3], new double[4], 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truth has 3 values but score has 4");
    }

    @Test
    void rejectsLabelsOtherThanZeroAndOne() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 2, 1}, new int[] {0, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth[1] is 2");
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {-1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted[0] is -1");
        assertThatThrownBy(() -> ConfusionMatrix.atThreshold(new int[] {3, 1}, new double[] {0.2, 0.9}, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth[0] is 3");
    }

    @Test
    void rejectsNanScoresAndThreshold() {
        assertThatThrownBy(() -> ConfusionMatrix.atThreshold(new int[] {0, 1}, new double[] {0.2, Double.NaN}, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("score[1] is NaN");
        assertThatThrownBy(() -> ConfusionMatrix.atThreshold(new int[] {0, 1}, new double[] {0.2, 0.3}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> new ConfusionMatrix(1, -2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fp -2");
    }
}
