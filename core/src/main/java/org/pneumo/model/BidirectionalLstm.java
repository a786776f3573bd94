package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A bidirectional LSTM over batch-first sequences, built from two fused single-direction LSTMs: one reads the
 * sequence forwards, one reads it reversed; their outputs are concatenated per timestep, giving (N, T, 2H). DJL's
 * own bidirectional option fails on the PyTorch engine with batch-first input, so it is composed here.
 */
final class BidirectionalLstm extends AbstractBlock {
    private final LSTM forward;
    private final LSTM backward;
    private final int stateSize;

    BidirectionalLstm(int stateSize) {
        this.stateSize = stateSize;
        this.forward = addChildBlock("forward", single(stateSize));
        this.backward = addChildBlock("backward", single(stateSize));
    }

    private static LSTM single(int stateSize) {
        return LSTM.builder().setStateSize(stateSize).setNumLayers(1).optBatchFirst(true).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray ahead = forward.forward(store, new NDList(x), training, params).head();
        NDArray reversed = backward.forward(store, new NDList(x.flip(1)), training, params).head().flip(1);
        return new NDList(ahead.concat(reversed, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), 2L * stateSize)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        forward.initialize(manager, dataType, inputShapes);
        backward.initialize(manager, dataType, inputShapes);
    }
}
