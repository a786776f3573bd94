package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import org.junit.jupiter.api.Test;

class GradientResetTest {
    @Test
    void eachStepUsesOnlyItsOwnBatchsGradient() {
        // With our optimizer DJL does not clear gradients by itself; if the loop forgot to, they would add up.
        ai.djl.engine.Engine.getInstance().setRandomSeed(7); // a fixed start: logits far from saturation
        try (Model model = Model.newInstance("t")) {
            model.setBlock(Linear.builder().setUnits(2).optBias(false).build());
            StatefulAdam adam = new StatefulAdam(model.getNDManager(), 1e-9f, 0f);
            WeightedSoftmaxCrossEntropy loss = new WeightedSoftmaxCrossEntropy(new float[] {1, 1});
            try (Trainer t = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam))) {
                t.initialize(new Shape(1, 2));
                NDArray w = model.getBlock().getParameters().get(0).getValue().getArray();
                float[] first = null;
                for (int i = 0; i < 3; i++) {
                    try (NDManager m = t.getManager().newSubManager()) {
                        NDArray x = m.create(new float[] {1, 2}, new Shape(1, 2));
                        NDArray y = m.create(new int[] {1});
                        TrainingLoop.step(t, loss, x, y);
                        float[] g = w.getGradient().toFloatArray();
                        if (first == null) {
                            first = g;
                        }
                        assertThat(g).as("gradient after step " + i).containsExactly(first, org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
                assertThat(Math.abs(first[0]) + Math.abs(first[1])).isPositive();
            }
        }
    }
}
