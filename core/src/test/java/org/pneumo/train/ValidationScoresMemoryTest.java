package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageSet;
import org.pneumo.data.InputSpec;
import org.pneumo.data.LabeledImage;
import org.pneumo.model.Architecture;

/**
 * Training-time validation must not keep native memory across passes: through DJL's Predictor with a translator it
 * kept every input tensor alive, and a 20-epoch run grew by the validation split's float size each epoch.
 */
class ValidationScoresMemoryTest {
    @TempDir
    Path dir;

    @Test
    void repeatedValidationPassesDoNotGrowResidentMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "needs /proc/self/status (Linux)");
        InputSpec spec = new InputSpec(96, 1);
        int n = 128;
        Random random = new Random(3);
        List<LabeledImage> images = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[spec.pixelCount()];
            random.nextBytes(p);
            pixels.add(p);
            images.add(new LabeledImage(Path.of("img" + i + ".png"),
                    i % 2 == 0 ? Diagnosis.NORMAL : Diagnosis.PNEUMONIA));
        }
        ImageSet set = new ImageSet(spec, images, pixels, List.of());
        TrainingSettings s = TrainingSettings.builder().setData(dir).setOut(dir.resolve("m"))
                .setCacheDir(dir.resolve("c")).optArchitecture(Architecture.SEED).optInput(spec).optBatchSize(32)
                .build();
        WeightedSoftmaxCrossEntropy loss = new WeightedSoftmaxCrossEntropy(new float[] {1, 1});
        try (Model model = Model.newInstance("t", Device.cpu())) {
            model.setBlock(Architecture.SEED.build(1));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(32, 1, 96, 96));
            for (int i = 0; i < 15; i++) { // the allocator's and the JIT's first growth happen here
                TrainingLoop.score(model, loss, set, s);
            }
            System.gc();
            long before = residentKb(status);
            long heapBefore = Runtime.getRuntime().totalMemory() / 1024;
            int passes = 40;
            for (int i = 0; i < passes; i++) {
                TrainingLoop.Scores scores = TrainingLoop.score(model, loss, set, s);
                assertThat(scores.probabilities).hasSize(n);
            }
            System.gc();
            long heapGrowth = Math.max(0, Runtime.getRuntime().totalMemory() / 1024 - heapBefore);
            long grownMb = (residentKb(status) - before - heapGrowth) / 1024;
            // Keeping each pass's inputs would add 40 x 128 x 96 x 96 x 4 bytes = 189 MB (the Predictor path: 125 MB).
            assertThat(grownMb).as("resident memory growth outside the Java heap over %d validation passes, MB",
                    passes).isLessThan(48);
        }
    }

    private static long residentKb(Path status) throws IOException {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }
}
