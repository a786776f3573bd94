package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WeightedSoftmaxCrossEntropyTest {
    private static final float[] LOGITS = {2f, 0f, -1f, 1f};
    private static final int[] LABELS = {0, 1};

    /** -log softmax(logits)[c] of row {@code row}, by hand. */
    private static double nll(int row, int c) {
        double a = LOGITS[2 * row];
        double b = LOGITS[2 * row + 1];
        double max = Math.max(a, b);
        double logSum = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
        return logSum - (c == 0 ? a : b);
    }

    private static double loss(WeightedSoftmaxCrossEntropy loss, float[] exampleWeights) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList labels = new NDList(m.create(LABELS));
            if (exampleWeights != null) {
                labels.add(m.create(exampleWeights));
            }
            return loss.evaluate(labels, new NDList(m.create(LOGITS, new Shape(2, 2)))).getFloat();
        }
    }

    @Test
    void classWeightedMeanOfTheNegativeLogLikelihood() {
        double expected = (2 * nll(0, 0) + 0.5 * nll(1, 1)) / 2;
        assertThat(loss(new WeightedSoftmaxCrossEntropy(new float[] {2f, 0.5f}), null))
                .isCloseTo(expected, within(1e-5));
    }

    @Test
    void labelSmoothingMovesPartOfTheTargetToTheOtherClass() {
        float e = 0.2f;
        double row0 = (1 - e / 2) * nll(0, 0) + e / 2 * nll(0, 1);
        double row1 = (1 - e / 2) * nll(1, 1) + e / 2 * nll(1, 0);
        assertThat(loss(new WeightedSoftmaxCrossEntropy(new float[] {1f, 1f}, e), null))
                .isCloseTo((row0 + row1) / 2, within(1e-5));
        assertThatThrownBy(() -> new WeightedSoftmaxCrossEntropy(new float[] {1f, 1f}, 0.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5");
    }

    @Test
    void aZeroExampleWeightRemovesThatExample() {
        WeightedSoftmaxCrossEntropy loss = new WeightedSoftmaxCrossEntropy(new float[] {1f, 3f});
        assertThat(loss(loss, new float[] {0f, 1f})).isCloseTo(3 * nll(1, 1) / 2, within(1e-5));
        assertThat(loss(loss, new float[] {0.5f, 1f})).isCloseTo((0.5 * nll(0, 0) + 3 * nll(1, 1)) / 2,
                within(1e-5));
    }

    @Test
    void balancedWeightsFromWeightedCounts() {
        assertThat(WeightedSoftmaxCrossEntropy.balanced(new int[] {100, 300})).containsExactly(2f, 2f / 3);
        assertThat(WeightedSoftmaxCrossEntropy.balanced(new double[] {100, 290.5}))
                .containsExactly((float) (390.5 / 200), (float) (390.5 / 581));
    }
}
