package org.pneumo.model.tflite;

import com.google.flatbuffers.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolutions of a TensorFlow Lite model file, in execution order, with their constant weights and biases, read
 * with the FlatBuffers runtime from the few tables of TensorFlow Lite's schema ({@code schema.fbs}) that hold them:
 * Model, OperatorCode, SubGraph, Operator, Conv2DOptions, DepthwiseConv2DOptions, Tensor, Buffer and
 * QuantizationParameters. Field numbers below are the schema's field order (a union takes two: type, then value).
 */
public final class TfliteModel {
    /** BuiltinOperator values of the schema. */
    static final int CONV_2D = 3;
    static final int DEPTHWISE_CONV_2D = 4;
    /** ActivationFunctionType RELU6 and Padding SAME of the schema. */
    static final int RELU6 = 3;
    static final int SAME = 0;

    /**
     * One CONV_2D or DEPTHWISE_CONV_2D operator: weights (OHWI for a convolution, 1HWC for a depthwise one), bias,
     * stride (equal in both directions), whether its padding is TF "SAME" and whether ReLU6 is fused into it.
     */
    public record Convolution(boolean depthwise, int stride, boolean samePadding, boolean relu6, Tensor weights,
            Tensor bias) {}

    /** TensorType values of the schema. */
    public static final int FLOAT32 = 0;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT8 = 9;

    /**
     * One constant tensor: its raw little-endian data, shape (TFLite order), element type and quantisation (empty
     * scales when not quantised; one scale per slice along {@code quantizedDimension} when per-channel).
     */
    public record Tensor(String name, int type, int[] shape, float[] scales, long[] zeroPoints,
            int quantizedDimension, ByteBuffer data) {
        /** Number of elements. */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The values as floats: {@code scale[c] * (q - zeroPoint[c])} for quantised tensors, as stored otherwise. */
        public float[] dequantised() {
            int n = size();
            float[] out = new float[n];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int channels = scales.length;
            int inner = 1;
            for (int d = quantizedDimension + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            for (int i = 0; i < n; i++) {
                double q = switch (type) {
                    case INT8 -> b.get(i);
                    case UINT8 -> b.get(i) & 0xff;
                    case INT32 -> b.getInt(4 * i);
                    case FLOAT32 -> b.getFloat(4 * i);
                    default -> throw new IllegalStateException(name + ": unsupported tensor type " + type);
                };
                if (channels == 0) {
                    out[i] = (float) q;
                } else {
                    int c = channels == 1 ? 0 : (i / inner) % shape[quantizedDimension];
                    out[i] = (float) (scales[c] * (q - zeroPoints[c]));
                }
            }
            return out;
        }
    }

    private TfliteModel() {}

    /** The CONV_2D and DEPTHWISE_CONV_2D operators of the first subgraph, in execution order. */
    public static List<Convolution> convolutions(Path file) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (bb.remaining() < 8 || bb.get(4) != 'T' || bb.get(5) != 'F' || bb.get(6) != 'L' || bb.get(7) != '3') {
            throw new IOException(file + " is not a TensorFlow Lite model (no TFL3 identifier)");
        }
        Node model = new Node(bb, bb.getInt(0));
        Node subgraph = model.tableAt(2, 0);
        if (subgraph == null) {
            throw new IOException(file + " has no subgraph");
        }
        List<Convolution> out = new ArrayList<>();
        for (int i = 0; i < subgraph.vectorLength(3); i++) {
            Node op = subgraph.tableAt(3, i);
            Node code = model.tableAt(1, op.intField(0));
            int builtin = Math.max(code.byteField(0), code.intField(3));
            if (builtin != CONV_2D && builtin != DEPTHWISE_CONV_2D) {
                continue;
            }
            boolean depthwise = builtin == DEPTHWISE_CONV_2D;
            Node options = op.table(4);
            int strideW = options.intField(1);
            int strideH = options.intField(2);
            if (strideW != strideH) {
                throw new IOException(file + ": operator " + i + " has unequal strides " + strideH + "x" + strideW);
            }
            int activation = options.byteField(depthwise ? 4 : 3);
            out.add(new Convolution(depthwise, strideW, options.byteField(0) == SAME, activation == RELU6,
                    tensor(model, subgraph, op.intAt(1, 1)), tensor(model, subgraph, op.intAt(1, 2))));
        }
        return out;
    }

    private static Tensor tensor(Node model, Node subgraph, int index) throws IOException {
        Node t = subgraph.tableAt(0, index);
        Node buffer = model.tableAt(4, t.intField(2));
        ByteBuffer data = buffer == null ? null : buffer.bytes(0);
        String name = t.string(3);
        if (data == null || data.remaining() == 0) {
            throw new IOException("tensor " + index + " (" + name + ") has no constant data");
        }
        int[] shape = new int[t.vectorLength(0)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = t.intAt(0, d);
        }
        Node q = t.table(4);
        float[] scales = new float[q == null ? 0 : q.vectorLength(2)];
        long[] zeros = new long[scales.length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = q.floatAt(2, c);
            zeros[c] = c < q.vectorLength(3) ? q.longAt(3, c) : 0;
        }
        return new Tensor(name, t.byteField(1), shape, scales, zeros, q == null ? 0 : q.intField(6),
                data.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** A table at a position, with accessors by field number (vtable slot {@code 4 + 2 * field}). */
    private static final class Node extends Table {
        Node(ByteBuffer bb, int position) {
            __reset(position, bb);
        }

        private int slot(int field) {
            return __offset(4 + 2 * field);
        }

        int intField(int field) {
            int o = slot(field);
            return o == 0 ? 0 : bb.getInt(bb_pos + o);
        }

        int byteField(int field) {
            int o = slot(field);
            return o == 0 ? 0 : bb.get(bb_pos + o);
        }

        String string(int field) {
            int o = slot(field);
            return o == 0 ? null : __string(bb_pos + o);
        }

        Node table(int field) {
            int o = slot(field);
            return o == 0 ? null : new Node(bb, __indirect(bb_pos + o));
        }

        int vectorLength(int field) {
            int o = slot(field);
            return o == 0 ? 0 : __vector_len(o);
        }

        Node tableAt(int field, int index) {
            int o = slot(field);
            if (o == 0 || index >= __vector_len(o)) {
                return null;
            }
            return new Node(bb, __indirect(__vector(o) + 4 * index));
        }

        int intAt(int field, int index) {
            return bb.getInt(__vector(slot(field)) + 4 * index);
        }

        float floatAt(int field, int index) {
            return bb.getFloat(__vector(slot(field)) + 4 * index);
        }

        long longAt(int field, int index) {
            return bb.getLong(__vector(slot(field)) + 8 * index);
        }

        ByteBuffer bytes(int field) {
            int o = slot(field);
            if (o == 0) {
                return null;
            }
            int start = __vector(o);
            return bb.duplicate().position(start).limit(start + __vector_len(o)).slice();
        }
    }
}
