package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * The one definition of how a CNN feature map becomes an LSTM input sequence: each cell of the (H, W) map, in
 * row-major order, is one timestep whose features are that cell's C channels. This is Keras' {@code Reshape(-1, C)}
 * on a channels-last map; DJL maps are channels-first, so the map is transposed to (N, H, W, C) first.
 */
public final class SequenceReshape {
    private SequenceReshape() {}

    /** (N, C, H, W) to (N, H*W, C). */
    public static NDArray cellsAsSequence(NDArray featureMap) {
        Shape s = featureMap.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("feature map must be (N, C, H, W), got " + s);
        }
        return featureMap.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2) * s.get(3), s.get(1));
    }

    /** A block applying {@link #cellsAsSequence(NDArray)}. */
    public static Block block() {
        return new LambdaBlock(list -> new NDList(cellsAsSequence(list.singletonOrThrow())), "cellsAsSequence");
    }
}
