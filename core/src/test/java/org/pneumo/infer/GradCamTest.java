package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingProgress;
import org.pneumo.train.TrainingSettings;

@Tag("slow") // learning: trains a network for 8 epochs
class GradCamTest {
    @TempDir
    Path dir;

    /**
     * Tests the Grad-CAM computation on the seed network, whose last convolution sees a small patch (10 pixels), so
     * its map can only be right where the blob is. The default network is not used here: it standardises each image,
     * and on these synthetic images a blob also darkens the standardised background everywhere, so its evidence is
     * spread over the background (its maps on real X-rays were checked by eye).
     */
    @Test
    void heatmapPeakFallsOnTheBlobFarMoreOftenThanChance() throws Exception {
        int size = 64;
        Path data = SyntheticImages.blobDataset(dir.resolve("data"), 60, size, 21);
        new TrainingLoop(TrainingSettings.builder()
                .setData(data)
                .setOut(dir.resolve("m"))
                .setCacheDir(dir.resolve("cache"))
                .optArchitecture(Architecture.SEED)
                .optInput(new InputSpec(size, 1))
                .optEpochs(8)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optWeightDecay(1e-4f)
                .optValFraction(0.25)
                .optSeed(42)
                .optAugment(false)
                .build(),
                TrainingProgress.SILENT).run(false, false);
        int radius = size / 6;
        int trials = 30;
        int hits = 0;
        try (Detector detector = Detector.load(dir.resolve("m"))) {
            Random random = new Random(99);
            for (int i = 0; i < trials; i++) {
                int[] centre = new int[2];
                var image = SyntheticImages.noisy(size, true, random, centre);
                Heatmap map = detector.predict("blob", image, true).heatmap();
                int[] peak = map.peak();
                double d = Math.hypot(peak[0] - centre[0], peak[1] - centre[1]);
                if (d <= 1.5 * radius) {
                    hits++;
                }
            }
        }
        // A random peak would land within 1.5 radii of the centre about 20% of the time (pi * 0.25^2).
        System.out.println("Grad-CAM peak on the blob in " + hits + " of " + trials + " images");
        assertThat(hits).isGreaterThanOrEqualTo((int) (0.6 * trials));
    }
}
