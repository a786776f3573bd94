package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.LabeledImage;

class EvaluationTest {
    /** {@code normal} NORMAL images scored low and {@code pneumonia} PNEUMONIA images scored high: AUC 1. */
    static Evaluation separated(int normal, int pneumonia) {
        List<LabeledImage> images = new ArrayList<>();
        double[] p = new double[normal + pneumonia];
        for (int i = 0; i < normal + pneumonia; i++) {
            Diagnosis d = i < normal ? Diagnosis.NORMAL : Diagnosis.PNEUMONIA;
            images.add(new LabeledImage(Path.of(d.name() + i + ".png"), d));
            p[i] = i < normal ? 0.1 + i * 0.001 : 0.9 + i * 0.0001;
        }
        return Evaluation.of(images, p, 0.5, "test", List.of(), 42);
    }

    @Test
    void sixteenImagesAreCalledUnreliableAndTheAucIntervalDoesNotCollapse() {
        Evaluation e = separated(8, 8);
        assertThat(e.smallSample()).isTrue();
        assertThat(e.rocAuc().value()).isEqualTo(1.0);
        assertThat(e.rocAuc().low()).isLessThan(0.8);
        assertThat(e.summaryText()).contains("WARNING: Only 16 images (8 NORMAL, 8 PNEUMONIA)").contains("unreliable");
        assertThat(e.metrics()).containsEntry("small_sample", true).containsKey("small_sample_warning");
        assertThat((String) e.metrics().get("intervals")).contains("Hanley-McNeil");
    }

    @Test
    void fewImagesOfOneClassAreUnreliableToo() {
        assertThat(separated(5, 200).smallSample()).isTrue();
    }

    @Test
    void enoughImagesKeepTheBootstrapAndNoWarning() {
        Evaluation e = separated(30, 40);
        assertThat(e.smallSample()).isFalse();
        assertThat(e.summaryText()).doesNotContain("WARNING");
        assertThat(e.metrics()).containsEntry("small_sample", false).doesNotContainKey("small_sample_warning");
        assertThat((String) e.metrics().get("intervals")).contains("bootstrap");
    }
}
