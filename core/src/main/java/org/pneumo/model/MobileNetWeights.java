package org.pneumo.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pneumo.model.tflite.TfliteModel;

/**
 * The ImageNet-pretrained MobileNetV2 1.0 convolutions, in execution order, as shipped inside pneumo: int8 values with
 * one float scale per output channel (batch normalisation already folded in) and float biases. They come from Google's
 * post-training-quantised TensorFlow Lite model (Apache-2.0; see {@code mobilenet_v2/NOTICE} beside the resource) by
 * {@link #fromTflite}; {@link MobileNetV2} turns them into a DJL network.
 *
 * <p>File format (big-endian, as {@link DataOutputStream} writes): the magic {@code PNMW}, version (int, 1), the
 * number of layers (int), then per layer: depthwise (byte 0/1), stride (byte), ReLU6 fused (byte 0/1), the weight
 * shape out, in-per-group, kernel height, kernel width (4 ints, PyTorch's OIHW order), one scale per output channel
 * (floats), the int8 values in OIHW order (bytes), one bias per output channel (floats).
 */
public final class MobileNetWeights {
    /** Where the converted weights are inside the jar. */
    public static final String RESOURCE = "/org/pneumo/model/mobilenet_v2/mobilenet_v2_1.0_224.pnmw";
    private static final int MAGIC = 0x504e4d57; // "PNMW"
    private static final int VERSION = 1;
    private static volatile MobileNetWeights bundled;

    /**
     * One convolution: weights as int8 x per-output-channel scale, in OIHW order ({@code in} is 1 for a depthwise
     * convolution, whose groups equal its output channels).
     */
    public record Layer(boolean depthwise, int stride, boolean relu6, int[] shape, float[] scales, byte[] values,
            float[] bias) {
        public Layer {
            if (shape.length != 4 || scales.length != shape[0] || bias.length != shape[0]
                    || values.length != shape[0] * shape[1] * shape[2] * shape[3]) {
                throw new IllegalArgumentException("inconsistent layer: shape " + java.util.Arrays.toString(shape)
                        + ", " + scales.length + " scales, " + values.length + " values, " + bias.length + " biases");
            }
        }

        /** The dequantised weights, OIHW. */
        public float[] weights() {
            float[] w = new float[values.length];
            int perChannel = values.length / shape[0];
            for (int i = 0; i < w.length; i++) {
                w[i] = values[i] * scales[i / perChannel];
            }
            return w;
        }
    }

    private final List<Layer> layers;

    public MobileNetWeights(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The weights shipped in the jar (read once). */
    public static MobileNetWeights bundled() {
        MobileNetWeights w = bundled;
        if (w == null) {
            try (InputStream in = MobileNetWeights.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the pretrained MobileNetV2 weights " + RESOURCE
                            + " are missing from the classpath");
                }
                w = read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            bundled = w;
        }
        return w;
    }

    /**
     * Converts the convolutions of a TensorFlow Lite file: int8 weights quantised per output channel with zero point
     * 0 are kept as they are, reordered from TFLite's OHWI (1HWC for depthwise) to OIHW; int32 biases are dequantised
     * with their own scales (input scale x weight scale). Every convolution must use TF "SAME" padding.
     */
    public static MobileNetWeights fromTflite(Path tflite) throws IOException {
        List<Layer> layers = new ArrayList<>();
        for (TfliteModel.Convolution c : TfliteModel.convolutions(tflite)) {
            TfliteModel.Tensor w = c.weights();
            if (w.type() != TfliteModel.INT8 || w.shape().length != 4) {
                throw new IOException(w.name() + ": expected 4-D int8 weights, got type " + w.type());
            }
            if (!c.samePadding()) {
                throw new IOException(w.name() + ": only SAME padding is supported");
            }
            int[] s = w.shape();
            int out = c.depthwise() ? s[3] : s[0];
            int in = c.depthwise() ? 1 : s[3];
            int kh = s[1];
            int kw = s[2];
            int channelAxis = c.depthwise() ? 3 : 0;
            if (w.quantizedDimension() != channelAxis || w.scales().length != out) {
                throw new IOException(w.name() + ": expected one scale per output channel");
            }
            for (long z : w.zeroPoints()) {
                if (z != 0) {
                    throw new IOException(w.name() + ": non-zero weight zero point " + z);
                }
            }
            ByteBuffer src = w.data();
            byte[] values = new byte[out * in * kh * kw];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            int from = c.depthwise() ? (y * kw + x) * out + o : ((o * kh + y) * kw + x) * in + i;
                            values[((o * in + i) * kh + y) * kw + x] = src.get(from);
                        }
                    }
                }
            }
            float[] bias = c.bias().dequantised();
            if (bias.length != out) {
                throw new IOException(c.bias().name() + ": " + bias.length + " biases for " + out + " channels");
            }
            layers.add(new Layer(c.depthwise(), c.stride(), c.relu6(), new int[] {out, in, kh, kw},
                    w.scales().clone(), values, bias));
        }
        return new MobileNetWeights(layers);
    }

    /** Writes the compact form (see the class comment). */
    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(layers.size());
        for (Layer l : layers) {
            out.writeByte(l.depthwise() ? 1 : 0);
            out.writeByte(l.stride());
            out.writeByte(l.relu6() ? 1 : 0);
            for (int d : l.shape()) {
                out.writeInt(d);
            }
            for (float f : l.scales()) {
                out.writeFloat(f);
            }
            out.write(l.values());
            for (float f : l.bias()) {
                out.writeFloat(f);
            }
        }
        out.flush();
    }

    /** Reads what {@link #write} wrote. */
    public static MobileNetWeights read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a pneumo MobileNet weights file (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("MobileNet weights file version " + version + "; expected " + VERSION);
        }
        int count = in.readInt();
        List<Layer> layers = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            boolean depthwise = in.readByte() != 0;
            int stride = in.readByte();
            boolean relu6 = in.readByte() != 0;
            int[] shape = {in.readInt(), in.readInt(), in.readInt(), in.readInt()};
            float[] scales = new float[shape[0]];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = in.readFloat();
            }
            byte[] values = new byte[shape[0] * shape[1] * shape[2] * shape[3]];
            in.readFully(values);
            float[] bias = new float[shape[0]];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = in.readFloat();
            }
            layers.add(new Layer(depthwise, stride, relu6, shape, scales, values, bias));
        }
        return new MobileNetWeights(layers);
    }

    /**
     * Regenerates the shipped resource from the TensorFlow Lite file: {@code java -cp pneumo.jar
     * org.pneumo.model.MobileNetWeights IN.tflite OUT.pnmw}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MobileNetWeights IN.tflite OUT.pnmw");
            System.exit(2);
        }
        MobileNetWeights w = fromTflite(Path.of(args[0]));
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            w.write(out);
        }
        System.out.println(w.layers().size() + " convolutions written to " + args[1]);
    }
}
