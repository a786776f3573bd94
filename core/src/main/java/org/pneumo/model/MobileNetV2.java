package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNetV2 1.0 (Sandler et al., 2018) as a DJL network laid out like the TensorFlow model whose ImageNet weights
 * {@link MobileNetWeights} holds: batch normalisation folded into the convolutions' biases, ReLU6 as clip(0, 6), and
 * TensorFlow's "SAME" padding, which for a stride of 2 pads one more row and column at the bottom and right than at the
 * top and left (an explicit pad before those convolutions; PyTorch's own padding is symmetric).
 */
public final class MobileNetV2 {
    /** Inverted residual blocks: expansion, output channels, repeats, stride of the first. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    /** Channels of the feature map. */
    public static final int FEATURES = 1280;
    /** Stages of {@link #features}: the stem convolution, 17 inverted residual blocks and the last 1x1 convolution. */
    public static final int STAGES = 19;
    /** ImageNet classes of the classifier (index 0 is "background"). */
    public static final int CLASSES = 1001;

    private MobileNetV2() {}

    /**
     * The feature extractor: (N, C, H, W) scaled to [-1, 1] to (N, 1280, H/32, W/32) after ReLU6. Its children are
     * the {@link #STAGES} stages, in order, so that lower stages can be frozen.
     */
    public static SequentialBlock features() {
        SequentialBlock net = new SequentialBlock();
        net.add(conv(32, 3, 2, 1, true));
        int in = 32;
        for (int[] s : SETTINGS) {
            for (int r = 0; r < s[2]; r++) {
                int stride = r == 0 ? s[3] : 1;
                net.add(invertedResidual(in, s[1], s[0], stride));
                in = s[1];
            }
        }
        net.add(conv(FEATURES, 1, 1, 1, true));
        return net;
    }

    /** The whole ImageNet classifier: features, global average pooling and the 1x1 convolution to 1001 logits. */
    public static SequentialBlock classifier() {
        SequentialBlock net = new SequentialBlock();
        net.add(features())
                .add(new LambdaBlock(l -> new NDList(l.head().mean(new int[] {3}, true).mean(new int[] {2}, true)), "globalAveragePool"))
                .add(conv(CLASSES, 1, 1, 1, false))
                .add(new LambdaBlock(l -> new NDList(l.head().reshape(l.head().getShape().get(0), -1)), "flatten"));
        return net;
    }

    private static Block invertedResidual(int in, int out, int expansion, int stride) {
        SequentialBlock body = new SequentialBlock();
        int hidden = in * expansion;
        if (expansion != 1) {
            body.add(conv(hidden, 1, 1, 1, true));
        }
        body.add(conv(hidden, 3, stride, hidden, true)).add(conv(out, 1, 1, 1, false));
        if (stride != 1 || in != out) {
            return body;
        }
        return new ParallelBlock(
                list -> new NDList(list.get(0).head().add(list.get(1).head())), List.of(body, new LambdaBlock(l -> l, "identity")));
    }

    private static Block conv(int filters, int kernel, int stride, int groups, boolean relu6) {
        SequentialBlock b = new SequentialBlock();
        if (stride > 1 && kernel > 1) {
            b.add(new LambdaBlock(l -> new NDList(samePad(l.head(), kernel, stride)), "samePad"));
        }
        int symmetric = stride > 1 ? 0 : kernel / 2;
        b.add(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(symmetric, symmetric))
                .optGroups(groups)
                .build());
        if (relu6) {
            b.add(new LambdaBlock(l -> new NDList(l.head().clip(0f, 6f)), "relu6"));
        }
        return b;
    }

    /**
     * TensorFlow's "SAME" padding of a (N, C, H, W) map for a strided convolution: the output is ceil(size / stride)
     * and the padding that needs, if odd, puts its extra row (column) at the bottom (right).
     */
    static NDArray samePad(NDArray x, int kernel, int stride) {
        Shape s = x.getShape();
        int[] pads = new int[4];
        for (int axis = 0; axis < 2; axis++) {
            long size = s.get(2 + axis);
            long outSize = (size + stride - 1) / stride;
            int total = (int) Math.max((outSize - 1) * stride + kernel - size, 0);
            pads[2 * axis] = total / 2;
            pads[2 * axis + 1] = total - total / 2;
        }
        // PyTorch's pad takes the last axis first: (left, right, top, bottom).
        return x.pad(new Shape(pads[2], pads[3], pads[0], pads[1]), 0);
    }

    /** The convolutions of a block, in execution order. */
    static List<Conv2d> convolutions(Block block) {
        List<Conv2d> out = new ArrayList<>();
        collect(block, out);
        return out;
    }

    private static void collect(Block block, List<Conv2d> out) {
        if (block instanceof Conv2d c) {
            out.add(c);
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }

    /**
     * Copies the pretrained weights into an initialised {@link #features} (the first 52 convolutions) or
     * {@link #classifier} (all 53). A one-channel network gets the stem's RGB kernels summed, which is exactly the
     * RGB network on a gray image repeated in all three channels.
     */
    public static void load(Block block, MobileNetWeights weights) {
        List<Conv2d> convs = convolutions(block);
        List<MobileNetWeights.Layer> layers = weights.layers();
        if (convs.size() > layers.size()) {
            throw new IllegalArgumentException(
                    "the network has " + convs.size() + " convolutions, the weights " + layers.size());
        }
        for (int i = 0; i < convs.size(); i++) {
            MobileNetWeights.Layer layer = layers.get(i);
            Parameter weight = parameter(convs.get(i), Parameter.Type.WEIGHT);
            Parameter bias = parameter(convs.get(i), Parameter.Type.BIAS);
            Shape target = weight.getArray().getShape();
            int[] shape = layer.shape();
            float[] values = layer.weights();
            if (target.get(1) == 1 && shape[1] == 3 && !layer.depthwise()) {
                values = sumInputChannels(values, shape);
                shape = new int[] {shape[0], 1, shape[2], shape[3]};
            }
            Shape source = new Shape(shape[0], shape[1], shape[2], shape[3]);
            if (!target.equals(source)) {
                throw new IllegalArgumentException(
                        "convolution " + i + " has weight shape " + target + " but the pretrained one is " + source);
            }
            weight.getArray().set(values);
            bias.getArray().set(layer.bias());
        }
    }

    private static float[] sumInputChannels(float[] w, int[] shape) {
        int k = shape[2] * shape[3];
        float[] out = new float[shape[0] * k];
        for (int o = 0; o < shape[0]; o++) {
            for (int i = 0; i < shape[1]; i++) {
                for (int j = 0; j < k; j++) {
                    out[o * k + j] += w[(o * shape[1] + i) * k + j];
                }
            }
        }
        return out;
    }

    private static Parameter parameter(Conv2d conv, Parameter.Type type) {
        for (Pair<String, Parameter> p : conv.getParameters()) {
            if (p.getValue().getType() == type) {
                return p.getValue();
            }
        }
        throw new IllegalStateException("convolution without a " + type + " parameter");
    }
}
