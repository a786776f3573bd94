package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPassTest {
    private static final Shape INPUT = new Shape(2, 1, 64, 64);

    /** An initialised mobilenet-lstm (random head, random backbone: the pass's plumbing does not need ImageNet). */
    private static Architecture.Split mobilenet(NDManager m) {
        Block block = Architecture.MOBILENET_LSTM.build(1);
        block.initialize(m, DataType.FLOAT32, INPUT);
        return Architecture.MOBILENET_LSTM.split(block);
    }

    @Test
    void theGuardReadsTheTappedStagesMeansInsteadOfTheHeadAndTheLogitsDoNotChange() {
        try (NDManager m = NDManager.newBaseManager()) {
            Architecture.Split split = mobilenet(m);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = m.randomUniform(0, 1, INPUT);

            NetworkPass.HeadOutput plain = NetworkPass.run(split, store, x, List.of());
            // any stages; the shipped choice is tested in ArchitectureTest
            NetworkPass.HeadOutput tapped = NetworkPass.run(split, store, x, List.of(13, 16));

            // without stages: the projection's 256 means and the LSTM's 128 values; stage 13 has 96 channels,
            // stage 16 160
            assertThat(plain.scopeFeatures().getShape()).isEqualTo(new Shape(2, 256 + 128));
            assertThat(tapped.scopeFeatures().getShape()).isEqualTo(new Shape(2, 96 + 160));
            assertThat(tapped.logits().toFloatArray()).containsExactly(plain.logits().toFloatArray());
            float[][] t = NetworkPass.rows(tapped.scopeFeatures());
            // the first 96 values: the spatial mean of stage 13's output, computed here by hand
            NDList y = new NDList(x);
            for (int i = 0; i <= split.featureIndex(13); i++) {
                y = split.features().get(i).forward(store, y, false);
            }
            float[][] stage13 = NetworkPass.rows(y.head().mean(new int[] {3}).mean(new int[] {2}));
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 96; j++) {
                    assertThat(t[i][j]).isCloseTo(stage13[i][j], within(1e-5f));
                }
            }
        }
    }

    @Test
    void aPassKeepsOnlyWhatItReturnsNotEveryIntermediateMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            Architecture.Split split = mobilenet(m);
            try (NDManager pass = m.newSubManager()) {
                NDArray x = pass.randomUniform(0, 1, INPUT);
                NetworkPass.FeatureOutput out = NetworkPass.features(split, new ParameterStore(pass, false), x,
                        List.of(13, 16));
                // The input, the maps, the two stages' means (each made by two means) and their concatenation; run
                // block after block in one manager, the 21 blocks' intermediate arrays (well over 100) would stay.
                assertThat(pass.getManagedArrays()).hasSizeLessThanOrEqualTo(8).contains(x, out.maps(),
                        out.stageMeans());
                assertThat(out.maps().getShape()).isEqualTo(new Shape(2, 256, 2, 2));
            }
        }
    }
}
