package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MobileNetV2Test {
    private static final String DIR = "/org/pneumo/model/mobilenet_v2/";

    /**
     * RGB, resized to 224x224 with an antialiased bilinear (triangle) filter whose support grows with the shrink
     * factor, as Pillow's {@code resize(BILINEAR)} does, then x / 127.5 - 1, as (1, 3, 224, 224).
     */
    private static NDArray photo(NDManager m, String name) throws IOException {
        BufferedImage src;
        try (InputStream in = MobileNetV2Test.class.getResourceAsStream(DIR + name)) {
            src = ImageIO.read(in);
        }
        int w = src.getWidth();
        int h = src.getHeight();
        float[][] planes = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = src.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    planes[c][y * w + x] = (rgb >> (16 - 8 * c)) & 0xff;
                }
            }
        }
        float[] v = new float[3 * 224 * 224];
        for (int c = 0; c < 3; c++) {
            float[] r = triangle(planes[c], w, h, 224, true);
            r = triangle(r, 224, h, 224, false);
            for (int i = 0; i < 224 * 224; i++) {
                float q = Math.round(Math.max(0, Math.min(255, r[i])));
                v[c * 224 * 224 + i] = q / 127.5f - 1f;
            }
        }
        return m.create(v, new Shape(1, 3, 224, 224));
    }

    /** One separable pass of a triangle filter, along x ({@code horizontal}) or y, to {@code out} samples. */
    private static float[] triangle(float[] src, int w, int h, int out, boolean horizontal) {
        int in = horizontal ? w : h;
        double scale = (double) in / out;
        double support = Math.max(scale, 1.0);
        float[] dst = horizontal ? new float[out * h] : new float[w * out];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int from = (int) Math.max(0, Math.floor(centre - support));
            int to = (int) Math.min(in, Math.ceil(centre + support));
            double[] k = new double[to - from];
            double total = 0;
            for (int i = from; i < to; i++) {
                double t = Math.abs((i + 0.5 - centre) / support);
                k[i - from] = Math.max(0, 1 - t);
                total += k[i - from];
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += k[i - from] * (horizontal ? src[line * w + i] : src[i * w + line]);
                }
                dst[horizontal ? line * out + o : o * w + line] = (float) (sum / total);
            }
        }
        return dst;
    }

    @Test
    void convertedWeightsClassifyTheSamplePhotosLikeTheTfliteModel() throws IOException {
        List<String> labels;
        try (InputStream in = MobileNetV2Test.class.getResourceAsStream(DIR + "imagenet_labels.txt")) {
            labels = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(labels).hasSize(MobileNetV2.CLASSES);
        String[] photos = {"cat_720p.jpg", "parrot.jpg", "hot_dog.jpg"};
        int[] expected = {286, 89, 935};
        double[] probability = {0.61, 0.93, 0.32};
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = MobileNetV2.classifier();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            MobileNetV2.load(net, MobileNetWeights.bundled());
            for (int i = 0; i < photos.length; i++) {
                NDArray logits = net.forward(new ParameterStore(m, false), new NDList(photo(m, photos[i])), false)
                        .head();
                float[] p = logits.softmax(1).toFloatArray();
                int top = 0;
                for (int k = 1; k < p.length; k++) {
                    if (p[k] > p[top]) {
                        top = k;
                    }
                }
                System.out.printf("%s: top-1 %d %s (%.3f)%n", photos[i], top, labels.get(top), p[top]);
                assertThat(top).as(photos[i]).isEqualTo(expected[i]);
                assertThat((double) p[top]).as(photos[i]).isCloseTo(probability[i], org.assertj.core.data.Offset.offset(0.03));
            }
        }
    }

    @Test
    void samePaddingPutsTheExtraRowAndColumnAtTheBottomRight() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 1, 4, 4));
            NDArray padded = MobileNetV2.samePad(x, 3, 2);
            assertThat(padded.getShape()).isEqualTo(new Shape(1, 1, 5, 5));
            float[] v = padded.toFloatArray();
            assertThat(v[0]).isEqualTo(1f); // top-left is an image pixel
            assertThat(v[4]).isEqualTo(0f); // right column is padding
            assertThat(v[20]).isEqualTo(0f); // bottom row is padding
            NDArray odd = MobileNetV2.samePad(m.ones(new Shape(1, 1, 5, 5)), 3, 2);
            assertThat(odd.getShape()).isEqualTo(new Shape(1, 1, 7, 7)); // 1 each side
        }
    }

    /**
     * The shipped resource is exactly what the converter makes of the TFLite file beside the real data
     * ({@code pneumo.data}/../weights/mobilenet_v2_imagenet/); skipped without {@code pneumo.data}, failing when the
     * file is missing there.
     */
    @Test
    void shippedResourceIsTheConversionOfTheTfliteFile() throws IOException {
        String property = System.getProperty("pneumo.data", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(property.isBlank(), "pneumo.data is not set");
        java.nio.file.Path data = java.nio.file.Path.of(System.getProperty("pneumo.root", ".")).resolve(property);
        java.nio.file.Path tflite =
                data.resolveSibling("weights/mobilenet_v2_imagenet/tf2_mobilenet_v2_1.0_224_ptq.tflite");
        assertThat(tflite).as("the TFLite file beside pneumo.data").isRegularFile();
        ByteArrayOutputStream converted = new ByteArrayOutputStream();
        MobileNetWeights.fromTflite(tflite).write(converted);
        byte[] shipped;
        try (InputStream in = MobileNetWeights.class.getResourceAsStream(MobileNetWeights.RESOURCE)) {
            shipped = in.readAllBytes();
        }
        assertThat(converted.toByteArray()).isEqualTo(shipped);
    }

    @Test
    void weightsFileRoundTrips() throws IOException {
        MobileNetWeights w = MobileNetWeights.bundled();
        assertThat(w.layers()).hasSize(53);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        MobileNetWeights back = MobileNetWeights.read(new ByteArrayInputStream(out.toByteArray()));
        for (int i = 0; i < w.layers().size(); i++) {
            MobileNetWeights.Layer a = w.layers().get(i);
            MobileNetWeights.Layer b = back.layers().get(i);
            assertThat(b.shape()).isEqualTo(a.shape());
            assertThat(b.values()).isEqualTo(a.values());
            assertThat(b.bias()).isEqualTo(a.bias());
            assertThat(b.stride()).isEqualTo(a.stride());
        }
    }
}
