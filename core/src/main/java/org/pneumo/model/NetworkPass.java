package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * One inference pass through a network cut by {@link Architecture#split}, that keeps what the out-of-scope guard
 * scores besides the logits, so prediction, Grad-CAM and the guard never run the network twice.
 *
 * <p>The guard's features are, for a network trained from scratch, the spatial mean of each map at the end of the
 * feature extractor (what the image shows, channel by channel) followed by the head's first per-image vector (for the
 * LSTM networks, the sequence summary the dense layers classify): measured on cnn-lstm (bench/TypicalityFeasibility
 * .java), this pair separated pediatric validation images from NIH adult films better than either part alone or the
 * last dense layer. For a pretrained backbone, the spatial means of chosen backbone stages' outputs instead: on
 * mobilenet-lstm a middle stage separated them far better than the projection and the summary, and adding those two
 * made it worse (bench/BackboneTypicality.java).
 */
public final class NetworkPass {
    private NetworkPass() {}

    /**
     * The feature extractor's outputs for a batch.
     *
     * @param maps (N, C, S, S) at its end
     * @param stageMeans (N, F): the spatial means of the tapped stages' outputs, in the order asked; null when none
     */
    public record FeatureOutput(NDArray maps, NDArray stageMeans) {}

    /**
     * The head's outputs for a batch of feature maps.
     *
     * @param logits (N, 2)
     * @param scopeFeatures (N, F): the guard's features
     */
    public record HeadOutput(NDArray logits, NDArray scopeFeatures) {}

    /**
     * Runs the feature extractor: (N, C, S, S) inputs to its maps, keeping the spatial means of the backbone stages
     * {@code stages} (see {@link Architecture.Split#featureIndex}).
     */
    public static FeatureOutput features(Architecture.Split split, ParameterStore store, NDArray input,
            List<Integer> stages) {
        int[] taps = new int[stages.size()];
        for (int k = 0; k < taps.length; k++) {
            taps[k] = split.featureIndex(stages.get(k));
        }
        NDArray[] means = new NDArray[taps.length];
        NDManager owner = input.getManager();
        NDArray x = input;
        List<Block> blocks = split.features();
        for (int i = 0; i < blocks.size(); i++) {
            // Each block runs in its own manager and only its output is kept: a pass then holds one block's
            // intermediate maps at a time instead of all of them (MobileNetV2's expanded maps are large).
            NDArray y;
            try (NDManager step = owner.newSubManager()) {
                x.tempAttach(step);
                y = blocks.get(i).forward(store, new NDList(x), false).head();
                y.attach(owner);
            }
            if (x != input && x != y) {
                x.close();
            }
            x = y;
            for (int k = 0; k < taps.length; k++) {
                if (taps[k] == i) {
                    means[k] = spatialMean(x);
                }
            }
        }
        NDArray joined = means.length == 0 ? null : means.length == 1 ? means[0] : NDArrays.concat(new NDList(means), 1);
        return new FeatureOutput(x, joined);
    }

    /**
     * Runs the head on the maps, keeping the guard's features: the tapped stages' means when there are any, else the
     * maps' means and the sequence summary.
     */
    public static HeadOutput head(List<Block> head, ParameterStore store, FeatureOutput features) {
        NDArray maps = features.maps();
        NDArray summary = null;
        NDList y = new NDList(maps);
        for (Block b : head) {
            y = b.forward(store, y, false);
            if (summary == null && y.head().getShape().dimension() == 2 && b != head.get(head.size() - 1)) {
                summary = y.head();
            }
        }
        NDArray scope = features.stageMeans();
        if (scope == null) {
            NDArray pooled = spatialMean(maps);
            scope = summary == null ? pooled : pooled.concat(summary, 1);
        }
        return new HeadOutput(y.head(), scope);
    }

    /** Both parts: (N, C, S, S) inputs to logits and the guard's features. */
    public static HeadOutput run(Architecture.Split split, ParameterStore store, NDArray input, List<Integer> stages) {
        return head(split.head(), store, features(split, store, input, stages));
    }

    private static NDArray spatialMean(NDArray maps) {
        return maps.mean(new int[] {3}).mean(new int[] {2}); // PyTorch's mean takes one axis at a time
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
