package org.pneumo.train;

import org.pneumo.data.LabelAuditFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DataException;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageSet;
import org.pneumo.data.InputSpec;
import org.pneumo.data.LabeledImage;

class LabelAuditTest {
    private static final Path FOLDER = Path.of("/data/train");

    @TempDir
    Path dir;

    /** 200 images per class, two patients' images each, as two Gaussian clusters in 6 dimensions. */
    private record Synthetic(List<LabeledImage> images, float[][] features, Set<String> flipped) {}

    private static Synthetic synthetic(int flipsPerClass) {
        Random r = new Random(5);
        List<LabeledImage> images = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        Set<String> flipped = new java.util.HashSet<>();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 200; i++) {
                Diagnosis truth = Diagnosis.values()[c];
                boolean flip = i < flipsPerClass;
                Diagnosis given = flip ? Diagnosis.values()[1 - c] : truth;
                // The file name (and so the patient) follows the given label's folder, as a mislabelled file would.
                String name = given == Diagnosis.NORMAL
                        ? "NORMAL/IM-" + (c * 1000 + i / 2) + "-000" + (i % 2) + ".jpeg"
                        : "PNEUMONIA/person" + (c * 1000 + i / 2) + "_bacteria_" + i + ".jpeg";
                images.add(new LabeledImage(FOLDER.resolve(name), given));
                if (flip) {
                    flipped.add(name);
                }
                float[] x = new float[6];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) (r.nextGaussian() + (j < 3 && c == 1 ? 3.0 : 0.0));
                }
                rows.add(x);
            }
        }
        return new Synthetic(images, rows.toArray(new float[0][]), flipped);
    }

    @Test
    void flagsTheImagesWhoseFeaturesBelongToTheOtherClass() {
        Synthetic s = synthetic(4);
        LabelAuditFile.Result r = LabelAudit.fromFeatures(s.images(), FOLDER, s.features(), 5, 42, "fp");
        Set<String> suspects = r.entries().stream().filter(LabelAuditFile.Entry::suspect).map(LabelAuditFile.Entry::file)
                .collect(Collectors.toSet());
        assertThat(suspects).containsAll(s.flipped());
        assertThat(suspects.size()).isLessThanOrEqualTo(s.flipped().size() + 6); // the clusters overlap a little
        assertThat(r.auc()).isGreaterThan(0.9);
        assertThat(r.selfConfidence()[0]).isBetween(0.8, 1.0);
        assertThat(r.selfConfidence()[1]).isBetween(0.8, 1.0);
        for (LabelAuditFile.Entry e : r.entries()) {
            if (s.flipped().contains(e.file())) {
                assertThat(e.probabilityOfLabel()).isLessThan(0.5);
            }
        }
        assertThat(r.suspects(Diagnosis.NORMAL) + r.suspects(Diagnosis.PNEUMONIA)).isEqualTo(suspects.size());
        assertThat(r.summary()).contains("400 images", "5 patient-level folds");
    }

    @Test
    void cleanLabelsGiveFewSuspects() {
        Synthetic s = synthetic(0);
        LabelAuditFile.Result r = LabelAudit.fromFeatures(s.images(), FOLDER, s.features(), 5, 42, "fp");
        assertThat(r.entries().stream().filter(LabelAuditFile.Entry::suspect).count()).isLessThanOrEqualTo(6);
    }

    @Test
    void aPatientsImagesShareOneFold() {
        Synthetic s = synthetic(0);
        LabelAuditFile.Result r = LabelAudit.fromFeatures(s.images(), FOLDER, s.features(), 4, 1, "fp");
        java.util.Map<String, Integer> fold = new java.util.HashMap<>();
        for (LabelAuditFile.Entry e : r.entries()) {
            assertThat(fold.computeIfAbsent(e.patient(), k -> e.fold())).isEqualTo(e.fold());
            assertThat(e.fold()).isBetween(1, 4);
        }
    }

    @Test
    void writesAndReadsBack() throws Exception {
        Synthetic s = synthetic(3);
        LabelAuditFile.Result r = LabelAudit.fromFeatures(s.images(), FOLDER, s.features(), 5, 42, "abc123");
        Path file = dir.resolve("audit.csv");
        LabelAuditFile.write(file, r);
        LabelAuditFile.Result back = LabelAuditFile.read(file);
        assertThat(back.fingerprint()).isEqualTo("abc123");
        assertThat(back.folds()).isEqualTo(5);
        assertThat(back.seed()).isEqualTo(42);
        assertThat(back.entries()).hasSize(400);
        assertThat(back.byFile().get("NORMAL/IM-1000-0000.jpeg")).isNotNull();
        for (int i = 0; i < r.entries().size(); i++) {
            LabelAuditFile.Entry a = r.entries().get(i);
            LabelAuditFile.Entry b = back.entries().get(i);
            assertThat(b.file()).isEqualTo(a.file());
            assertThat(b.suspect()).isEqualTo(a.suspect());
            assertThat(b.probabilityPneumonia()).isCloseTo(a.probabilityPneumonia(),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(Files.readString(file)).startsWith("# pneumo label audit:");
    }

    @Test
    void refusesAFileThatIsNotAnAudit() throws Exception {
        Path file = Files.writeString(dir.resolve("other.csv"), "file,label\nNORMAL/a.jpeg,NORMAL\n");
        assertThatThrownBy(() -> LabelAuditFile.read(file)).isInstanceOf(DataException.class)
                .hasMessageContaining("not a label audit");
    }

    @Test
    void refusesTooFewImagesForTheFolds() {
        List<LabeledImage> images = List.of(new LabeledImage(FOLDER.resolve("NORMAL/IM-1-0001.jpeg"),
                Diagnosis.NORMAL), new LabeledImage(FOLDER.resolve("PNEUMONIA/person1_virus_1.jpeg"),
                Diagnosis.PNEUMONIA));
        float[][] features = {{0, 1}, {1, 0}};
        assertThatThrownBy(() -> LabelAudit.fromFeatures(images, FOLDER, features, 3, 1, "fp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few images");
        assertThatThrownBy(() -> LabelAudit.fromFeatures(images, FOLDER, new float[1][2], 2, 1, "fp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 rows");
    }

    @Test
    void backboneFeaturesAreTheImageNetNetworksPooledMap() {
        InputSpec spec = new InputSpec(64, 1);
        Random r = new Random(2);
        List<LabeledImage> images = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] p = new byte[spec.pixelCount()];
            r.nextBytes(p);
            pixels.add(p);
            images.add(new LabeledImage(FOLDER.resolve("NORMAL/IM-" + i + "-0001.jpeg"), Diagnosis.NORMAL));
        }
        pixels.set(2, pixels.get(0).clone());
        ImageSet set = new ImageSet(spec, images, pixels, List.of());
        int[] progress = {0};
        float[][] f = LabelAudit.backboneFeatures(set, 2, n -> progress[0] = n);
        assertThat(f).hasNumberOfRows(3);
        assertThat(f[0]).hasSize(1280);
        assertThat(progress[0]).isEqualTo(3);
        // The same image, the same features, whatever its batch (up to float rounding of another batch size).
        assertThat(f[2]).containsExactly(f[0], org.assertj.core.api.Assertions.within(1e-3f));
        assertThat(f[1]).isNotEqualTo(f[0]);
        for (float v : f[1]) {
            assertThat(v).isBetween(0f, 6f); // after ReLU6
        }
    }

    @Test
    void relativeNamesUseForwardSlashes() {
        assertThat(LabelAuditFile.relative(Path.of("/d/train"), Path.of("/d/train/NORMAL/x.jpeg")))
                .isEqualTo("NORMAL/x.jpeg");
    }
}
