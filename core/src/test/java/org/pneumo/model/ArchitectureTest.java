package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static long parameters(Architecture a, int channels, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = a.build(channels);
            block.initialize(m, DataType.FLOAT32, new Shape(1, channels, size, size));
            return ModelFiles.parameterCount(block);
        }
    }

    @Test
    void seedHasTheKerasParameterCountPlusPyTorchsExtraLstmBiases() {
        // Keras: 896 + 9,248 + 24,832 + 2,080 + 66 = 37,122; PyTorch's LSTM has a second bias vector (4 x 64).
        long count = parameters(Architecture.SEED, 3, 224);
        System.out.println("seed network parameters at 224x224x3: " + count);
        assertThat(count).isEqualTo(37_122 + 256);
    }

    @Test
    @Tag("slow") // a 2,916-step LSTM at full size
    void seedTurnsA224ImageInto2916Timesteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.SEED.build(3);
            block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 224, 224));
            Shape[] shapes = new Shape[] {new Shape(2, 3, 224, 224)};
            // Walk the sequential block up to the reshape and check its output shape.
            ai.djl.nn.SequentialBlock seq = (ai.djl.nn.SequentialBlock) block;
            for (var child : seq.getChildren()) {
                shapes = child.getValue().getOutputShapes(shapes);
                if (child.getValue() instanceof ai.djl.nn.LambdaBlock l && l.getName().equals("cellsAsSequence")) {
                    break;
                }
            }
            assertThat(shapes[0]).isEqualTo(new Shape(2, 2916, 32));
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1,
                    new Shape(2, 3, 224, 224))), false).head();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 2));
        }
    }

    @Test
    void defaultNetworkIsLargerAndGivesTwoLogits() {
        long count = parameters(Architecture.CNN_LSTM, 1, 224);
        System.out.println("cnn-lstm network parameters at 224x224x1: " + count);
        assertThat(count).isGreaterThan(37_378);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.CNN_LSTM.build(1);
            block.initialize(m, DataType.FLOAT32, new Shape(3, 1, 64, 64));
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(3, 1, 64, 64))),
                    false).head();
            assertThat(out.getShape()).isEqualTo(new Shape(3, 2));
        }
    }

    @Test
    void reshapeMakesEachCellOneTimestepInRowMajorOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (N=1, C=2, H=2, W=3): channel 0 holds 0..5, channel 1 holds 100..105.
            NDArray map = m.create(new float[] {0, 1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105},
                    new Shape(1, 2, 2, 3));
            NDArray seq = SequenceReshape.cellsAsSequence(map);
            assertThat(seq.getShape()).isEqualTo(new Shape(1, 6, 2));
            // Timestep t = cell (t / W, t % W) with its two channels, as Keras' Reshape(-1, C) on channels-last.
            assertThat(seq.toFloatArray()).containsExactly(0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105);
        }
    }

    @Test
    void reshapeRejectsNonMaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> SequenceReshape.cellsAsSequence(m.zeros(new Shape(2, 3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(N, C, H, W)");
        }
    }

    @Test
    void architecturesAreFoundByName() {
        assertThat(Architecture.of("seed")).isEqualTo(Architecture.SEED);
        assertThat(Architecture.of("CNN-LSTM")).isEqualTo(Architecture.CNN_LSTM);
        assertThatThrownBy(() -> Architecture.of("resnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'resnet'")
                .hasMessageContaining("seed, cnn-lstm");
    }

    @Test
    void splitsAfterTheLastActivatedConvolutionAndTheTwoHalvesGiveTheWholeNetwork() {
        // The feature maps Grad-CAM explains, at 64 px: 4x4x128 for cnn-lstm (14x14 at 224), 29x29x32 for seed.
        int[][] expected = {{1, 128, 4}, {3, 32, 29}};
        Architecture[] archs = {Architecture.CNN_LSTM, Architecture.SEED};
        for (int k = 0; k < archs.length; k++) {
            int channels = expected[k][0];
            try (NDManager m = NDManager.newBaseManager()) {
                Block block = archs[k].build(channels);
                Shape input = new Shape(2, channels, 64, 64);
                block.initialize(m, DataType.FLOAT32, input);
                Architecture.Split split = archs[k].split(block);
                assertThat(split.features().get(split.features().size() - 1))
                        .as("features end with an activation").isInstanceOf(ai.djl.nn.LambdaBlock.class);
                ParameterStore store = new ParameterStore(m, false);
                NDList x = new NDList(m.randomUniform(0, 1, input));
                NDList whole = block.forward(store, x, false);
                NDList y = x;
                for (Block b : split.features()) {
                    y = b.forward(store, y, false);
                }
                assertThat(y.head().getShape())
                        .isEqualTo(new Shape(2, expected[k][1], expected[k][2], expected[k][2]));
                for (Block b : split.head()) {
                    y = b.forward(store, y, false);
                }
                assertThat(y.head().toFloatArray()).containsExactly(whole.head().toFloatArray());
            }
        }
        assertThatThrownBy(() -> Architecture.SEED.split(Architecture.CNN_LSTM.build(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a seed network has");
    }
}
