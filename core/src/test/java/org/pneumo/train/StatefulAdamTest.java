package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class StatefulAdamTest {
    @Test
    void aScaledParameterMovesByTheScaledRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            StatefulAdam adam = new StatefulAdam(m, 0.01f, 0f);
            adam.setLearningRateScale("backbone", 0.1f);
            NDArray head = m.create(new float[] {1f, 1f});
            NDArray backbone = m.create(new float[] {1f, 1f});
            NDArray grad = m.create(new float[] {0.5f, -2f});
            adam.update("head", head, grad);
            adam.update("backbone", backbone, grad);
            // Adam's first step moves every weight by the learning rate against the sign of its gradient.
            float[] h = head.toFloatArray();
            float[] b = backbone.toFloatArray();
            assertThat(h[0]).isCloseTo(1f - 0.01f, within(1e-5f));
            assertThat(h[1]).isCloseTo(1f + 0.01f, within(1e-5f));
            assertThat(b[0]).isCloseTo(1f - 0.001f, within(1e-5f));
            assertThat(b[1]).isCloseTo(1f + 0.001f, within(1e-5f));
        }
    }
}
