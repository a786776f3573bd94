package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import org.junit.jupiter.api.Test;

class StatefulAdamTest {
    @Test
    void matchesDjlsAdamWithoutWeightDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ours = m.create(new float[] {1f, -2f, 3f, 0.5f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray theirs = ours.duplicate();
            StatefulAdam adam = new StatefulAdam(m, 0.01f, 0f);
            Optimizer reference = Optimizer.adam()
                    .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f))
                    .optEpsilon(1e-7f)
                    .build();
            for (int step = 0; step < 20; step++) {
                // Gradient of sum(w^2) / 2 plus a varying term.
                NDArray g1 = ours.add(step % 3);
                NDArray g2 = theirs.add(step % 3);
                adam.update("w", ours, g1);
                reference.update("w", theirs, g2);
            }
            float[] a = ours.toFloatArray();
            float[] b = theirs.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isCloseTo(b[i], within(1e-4f));
            }
        }
    }

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
