package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CurvesTest {
    // scikit-learn's documentation example: y_true [0, 0, 1, 1], y_score [0.1, 0.4, 0.35, 0.8].
    private static final int[] TRUTH = {0, 0, 1, 1};
    private static final double[] SCORE = {0.1, 0.4, 0.35, 0.8};

    @Test
    void rocHasOnePointPerScoreAfterTheStart() {
        Curves.Roc roc = Curves.roc(TRUTH, SCORE);
        assertThat(roc.fpr()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc.tpr()).containsExactly(0, 0.5, 0.5, 1, 1);
        assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1);
    }

    @Test
    void tiedScoresShareOnePoint() {
        // The 0.5 tie holds one image of each class: one diagonal step, whatever the order of the images.
        Curves.Roc roc = Curves.roc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9});
        assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.9, 0.5, 0.2);
        assertThat(roc.fpr()).containsExactly(0, 0, 0.5, 1);
        assertThat(roc.tpr()).containsExactly(0, 0.5, 1, 1);
        Curves.Roc swapped = Curves.roc(new int[] {1, 0, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9});
        assertThat(swapped).isEqualTo(roc);
        assertThat(Curves.rocAuc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9}).value())
                .isEqualTo(0.875);
    }

    @Test
    void precisionRecallRunsFromLowThresholdsToTheFinalPoint() {
        Curves.PrecisionRecall pr = Curves.precisionRecall(TRUTH, SCORE);
        assertThat(pr.precision()).containsExactly(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, within(1e-15));
        assertThat(pr.recall()).containsExactly(1, 1, 0.5, 0.5, 0);
        assertThat(pr.thresholds()).containsExactly(0.1, 0.35, 0.4, 0.8);
    }

    @Test
    void averagePrecisionWeighsPrecisionByRecallSteps() {
        // Recall steps 0.5 at precision 1 (score 0.8) and 0.5 at precision 2/3 (score 0.35).
        assertThat(Curves.averagePrecision(TRUTH, SCORE).value()).isCloseTo(0.5 + 0.5 * 2 / 3, within(1e-15));
        assertThat(Curves.rocAuc(TRUTH, SCORE).value()).isEqualTo(0.75);
    }

    @Test
    void oneClassLeavesAreasUndefined() {
        int[] allNormal = {0, 0, 0};
        int[] allPneumonia = {1, 1, 1};
        double[] score = {0.2, 0.6, 0.4};
        assertThat(Curves.rocAuc(allNormal, score).undefinedReason()).isEqualTo("no PNEUMONIA images");
        assertThat(Curves.rocAuc(allPneumonia, score).undefinedReason()).isEqualTo("no NORMAL images");
        assertThat(Curves.averagePrecision(allNormal, score).undefinedReason()).isEqualTo("no PNEUMONIA images");
        // Precision is 1 at every threshold when every image is PNEUMONIA, so AP is defined.
        assertThat(Curves.averagePrecision(allPneumonia, score).value()).isEqualTo(1.0);
    }

    @Test
    void oneClassCurvesFollowScikitLearn() {
        Curves.Roc roc = Curves.roc(new int[] {1, 1}, new double[] {0.3, 0.7});
        assertThat(roc.fpr()).containsOnly(Double.NaN);
        assertThat(roc.tpr()).containsExactly(0, 0.5, 1);
        Curves.PrecisionRecall pr = Curves.precisionRecall(new int[] {0, 0}, new double[] {0.3, 0.7});
        assertThat(pr.recall()).containsExactly(1, 1, 0);
        assertThat(pr.precision()).containsExactly(0, 0, 1);
    }

    @Test
    void singleImage() {
        int[] truth = {1};
        double[] score = {0.8};
        assertThat(Curves.rocAuc(truth, score).defined()).isFalse();
        assertThat(Curves.averagePrecision(truth, score).value()).isEqualTo(1.0);
        assertThat(Curves.roc(truth, score).thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8);
        Curves.Calibration cal = Curves.calibration(truth, score, 10);
        assertThat(cal.counts()).containsExactly(1);
        assertThat(cal.meanPredicted()).containsExactly(0.8);
        assertThat(cal.fractionPositive()).containsExactly(1.0);
    }

    @Test
    void calibrationPutsEdgeScoresInTheLowerBinAndDropsEmptyBins() {
        int[] truth = {0, 1, 1, 0, 1};
        double[] score = {0.0, 0.2, 0.2000001, 0.9, 1.0};
        Curves.Calibration cal = Curves.calibration(truth, score, 5);
        assertThat(cal.counts()).containsExactly(2, 1, 2);
        assertThat(cal.meanPredicted()).containsExactly(new double[] {0.1, 0.2000001, 0.95}, within(1e-15));
        assertThat(cal.fractionPositive()).containsExactly(0.5, 1.0, 0.5);

        Curves.Calibration one = Curves.calibration(truth, score, 1);
        assertThat(one.counts()).containsExactly(5);
        assertThat(one.fractionPositive()).containsExactly(0.6);
    }

    @Test
    void calibrationRejectsScoresOutsideTheUnitIntervalAndNoBins() {
        assertThatThrownBy(() -> Curves.calibration(new int[] {0, 1}, new double[] {0.5, 1.5}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("score[1] is 1.5");
        assertThatThrownBy(() -> Curves.calibration(new int[] {0, 1}, new double[] {0.5, 0.5}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bins");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Curves.roc(new int[] {0, 1, 1}, new double[] {0.1, 0.2, 0.3, 0.4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truth has 3 values but score has 4");
        assertThatThrownBy(() -> Curves.precisionRecall(new int[] {0, 1, 2}, new double[] {0.1, 0.2, 0.3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth[2] is 2");
        assertThatThrownBy(() -> Curves.rocAuc(new int[] {0, 1}, new double[] {0.1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("score[1] is Infinity");
        assertThatThrownBy(() -> Curves.averagePrecision(new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Curves.rocAuc(new int[] {0, 5}, new double[] {0.1, 0.2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth[1] is 5");
    }

    @Test
    void curvesCannotBeChangedThroughTheirArrays() {
        double[] fpr = {0, 1};
        Curves.Roc roc = new Curves.Roc(fpr, new double[] {0, 1}, new double[] {Double.POSITIVE_INFINITY, 0.5});
        fpr[1] = 7;
        roc.fpr()[0] = 7;
        assertThat(roc.fpr()).containsExactly(0, 1);
        assertThatThrownBy(() -> new Curves.PrecisionRecall(new double[2], new double[2], new double[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
