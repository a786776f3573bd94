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
import java.util.List;
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
    void mobilenetLstmTurnsA224ImageInto49TimestepsOf256() {
        long count = parameters(Architecture.MOBILENET_LSTM, 1, 224);
        System.out.println("mobilenet-lstm network parameters at 224x224x1: " + count);
        assertThat(count).isEqualTo(2_707_426);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.MOBILENET_LSTM.build(1);
            block.initialize(m, DataType.FLOAT32, new Shape(2, 1, 224, 224));
            long backbone = 0;
            for (Block stage : Architecture.MOBILENET_LSTM.backboneStages(block)) {
                backbone += ModelFiles.parameterCount(stage);
            }
            System.out.println("of which the MobileNetV2 backbone: " + backbone);
            assertThat(Architecture.MOBILENET_LSTM.backboneStages(block)).hasSize(MobileNetV2.STAGES);
            Shape[] shapes = new Shape[] {new Shape(2, 1, 224, 224)};
            for (var child : ((ai.djl.nn.SequentialBlock) block).getChildren()) {
                shapes = child.getValue().getOutputShapes(shapes);
                if (child.getValue() instanceof ai.djl.nn.LambdaBlock l && l.getName().equals("cellsAsSequence")) {
                    break;
                }
            }
            assertThat(shapes[0]).isEqualTo(new Shape(2, 49, 256));
        }
    }

    @Test
    void oneChannelMobilenetEqualsTheRgbOneOnGrayImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block gray = Architecture.MOBILENET_LSTM.build(1);
            gray.initialize(m, DataType.FLOAT32, new Shape(1, 1, 64, 64));
            Architecture.MOBILENET_LSTM.loadPretrained(gray);
            Block rgb = Architecture.MOBILENET_LSTM.build(3);
            rgb.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Architecture.MOBILENET_LSTM.loadPretrained(rgb);
            NDArray image = m.randomUniform(0, 1, new Shape(1, 1, 64, 64));
            ParameterStore store = new ParameterStore(m, false);
            // Compare the backbones' feature maps (the heads are randomly initialised and differ).
            NDArray x1 = image.mul(2).sub(1);
            NDArray x3 = image.repeat(1, 3).mul(2).sub(1);
            NDArray f1 = gray.getChildren().get(1).getValue().forward(store, new NDList(x1), false).head();
            NDArray f3 = rgb.getChildren().get(1).getValue().forward(store, new NDList(x3), false).head();
            assertThat(f1.getShape()).isEqualTo(new Shape(1, 1280, 2, 2));
            float[] a = f1.toFloatArray();
            float[] b = f3.toFloatArray();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertThat(worst).isLessThan(1e-3);
            assertThat(f1.abs().sum().getFloat()).isGreaterThan(0f);
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
                .hasMessageContaining("seed, cnn-lstm, mobilenet-lstm");
    }

    @Test
    void splitsAfterTheLastActivatedConvolutionAndTheTwoHalvesGiveTheWholeNetwork() {
        // The feature maps Grad-CAM explains, at 64 px: 4x4x128 for cnn-lstm (14x14 at 224), 29x29x32 for seed,
        // 2x2x256 for mobilenet-lstm (its projection; 7x7 at 224).
        int[][] expected = {{1, 128, 4}, {3, 32, 29}, {1, 256, 2}};
        Architecture[] archs = {Architecture.CNN_LSTM, Architecture.SEED, Architecture.MOBILENET_LSTM};
        for (int k = 0; k < archs.length; k++) {
            int channels = expected[k][0];
            try (NDManager m = NDManager.newBaseManager()) {
                Block block = archs[k].build(channels);
                Shape input = new Shape(2, channels, 64, 64);
                block.initialize(m, DataType.FLOAT32, input);
                Architecture.Split split = archs[k].split(block);
                if (archs[k] != Architecture.MOBILENET_LSTM) {
                    assertThat(split.features().get(split.features().size() - 1))
                            .as("features end with an activation").isInstanceOf(ai.djl.nn.LambdaBlock.class);
                }
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

    @Test
    void aPretrainedBackbonesStagesAreListedOneByOneAmongTheFeatures() {
        Block block = Architecture.MOBILENET_LSTM.build(1);
        Architecture.Split split = Architecture.MOBILENET_LSTM.split(block);
        List<Block> stages = Architecture.MOBILENET_LSTM.backboneStages(block);
        // the scaling to [-1, 1], the 19 stages, the projection
        assertThat(split.features()).hasSize(1 + MobileNetV2.STAGES + 1);
        assertThat(split.featureIndex(0)).isEqualTo(1);
        assertThat(split.features().get(split.featureIndex(13))).isSameAs(stages.get(13));
        assertThat(split.features().get(split.featureIndex(18))).isSameAs(stages.get(18));
        assertThatThrownBy(() -> split.featureIndex(19)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 19 is outside 0..18");
        assertThatThrownBy(() -> split.featureIndex(-1)).isInstanceOf(IllegalArgumentException.class);
        Architecture.Split plain = Architecture.CNN_LSTM.split(Architecture.CNN_LSTM.build(1));
        assertThat(plain.firstStage()).isEqualTo(-1);
        assertThatThrownBy(() -> plain.featureIndex(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no backbone stages");
        assertThat(Architecture.CNN_LSTM.scopeStages()).isEmpty();
        assertThat(Architecture.MOBILENET_LSTM.scopeStages()).allSatisfy(s -> assertThat(s).isBetween(0, 18));
    }
}
