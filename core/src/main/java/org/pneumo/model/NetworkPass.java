package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * One inference pass through a network cut by {@link Architecture#split}, that keeps what the out-of-scope guard
 * scores besides the logits, so prediction, Grad-CAM and the guard never run the network twice.
 *
 * <p>The guard's features are the spatial mean of each map at the end of the feature extractor (what the image shows,
 * channel by channel) followed by the head's first per-image vector (for the LSTM networks, the sequence summary the
 * dense layers classify). Measured on the shipped cnn-lstm (bench/TypicalityFeasibility.java): this pair separated
 * pediatric validation images from NIH adult films better than either part alone or the last dense layer.
 */
public final class NetworkPass {
    private NetworkPass() {}

    /**
     * The head's outputs for a batch of feature maps.
     *
     * @param logits (N, 2)
     * @param scopeFeatures (N, F): the guard's features
     */
    public record HeadOutput(NDArray logits, NDArray scopeFeatures) {}

    /** Runs the feature extractor: (N, C, S, S) inputs to its maps. */
    public static NDArray features(List<Block> features, ParameterStore store, NDArray input) {
        NDList x = new NDList(input);
        for (Block b : features) {
            x = b.forward(store, x, false);
        }
        return x.head();
    }

    /** Runs the head on the maps, keeping the guard's features. */
    public static HeadOutput head(List<Block> head, ParameterStore store, NDArray maps) {
        NDArray summary = null;
        NDList y = new NDList(maps);
        for (Block b : head) {
            y = b.forward(store, y, false);
            if (summary == null && y.head().getShape().dimension() == 2 && b != head.get(head.size() - 1)) {
                summary = y.head();
            }
        }
        NDArray pooled = maps.mean(new int[] {3}).mean(new int[] {2}); // PyTorch's mean takes one axis at a time
        NDArray scope = summary == null ? pooled : pooled.concat(summary, 1);
        return new HeadOutput(y.head(), scope);
    }

    /** Both parts: (N, C, S, S) inputs to logits and the guard's features. */
    public static HeadOutput run(Architecture.Split split, ParameterStore store, NDArray input) {
        return head(split.head(), store, features(split.features(), store, input));
    }

    /** Rows of a (N, F) array as Java vectors. */
    public static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        int f = (int) matrix.getShape().get(1);
        float[] all = matrix.toFloatArray();
        float[][] out = new float[n][f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * f, out[i], 0, f);
        }
        return out;
    }
}
