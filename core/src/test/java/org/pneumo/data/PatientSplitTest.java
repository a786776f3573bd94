package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PatientSplitTest {
    /** 300 NORMAL images of 100 patients (1-5 each) and 900 PNEUMONIA images of 300 patients, like the real set. */
    private static List<LabeledImage> images() {
        Random r = new Random(1);
        List<LabeledImage> list = new ArrayList<>();
        int n = 0;
        for (int p = 0; list.size() < 300; p++) {
            int count = 1 + r.nextInt(5);
            for (int k = 0; k < count && list.size() < 300; k++) {
                list.add(new LabeledImage(Path.of("NORMAL/IM-" + p + "-000" + k + ".jpeg"), Diagnosis.NORMAL));
            }
        }
        for (int p = 0; n < 900; p++) {
            int count = 1 + r.nextInt(5);
            for (int k = 0; k < count && n < 900; k++, n++) {
                list.add(new LabeledImage(Path.of("PNEUMONIA/person" + p + "_virus_" + k + ".jpeg"),
                        Diagnosis.PNEUMONIA));
            }
        }
        return list;
    }

    private static Set<String> patients(List<LabeledImage> images) {
        return images.stream().map(LabeledImage::patientId).collect(Collectors.toSet());
    }

    @Test
    void noPatientIsOnBothSides() {
        PatientSplit split = PatientSplit.of(images(), 0.2, 42);
        Set<String> both = new HashSet<>(patients(split.train()));
        both.retainAll(patients(split.validation()));
        assertThat(both).isEmpty();
        assertThat(split.train().size() + split.validation().size()).isEqualTo(1200);
    }

    @Test
    void classRatiosAreKept() {
        PatientSplit split = PatientSplit.of(images(), 0.2, 42);
        long valNormal = split.validation().stream().filter(i -> i.label() == Diagnosis.NORMAL).count();
        long valPneumonia = split.validation().size() - valNormal;
        assertThat(valNormal).isBetween(55L, 65L);
        assertThat(valPneumonia).isBetween(175L, 185L);
    }

    @Test
    void sameSeedSameSplitWhateverTheInputOrder() {
        List<LabeledImage> shuffled = images();
        Collections.shuffle(shuffled, new Random(5));
        assertThat(PatientSplit.of(shuffled, 0.2, 42).validation())
                .containsExactlyInAnyOrderElementsOf(PatientSplit.of(images(), 0.2, 42).validation());
        assertThat(PatientSplit.of(images(), 0.2, 43).validation())
                .isNotEqualTo(PatientSplit.of(images(), 0.2, 42).validation());
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        assertThatThrownBy(() -> PatientSplit.of(images(), 1.0, 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation fraction 1.0");
    }

    @Test
    void foldsKeepPatientsTogetherAndSpreadEachClassEvenly() {
        List<LabeledImage> images = images();
        int[] fold = PatientSplit.folds(images, 5, 7);
        java.util.Map<String, Integer> foldOfPatient = new java.util.HashMap<>();
        int[][] perClass = new int[2][5];
        for (int i = 0; i < images.size(); i++) {
            Integer before = foldOfPatient.putIfAbsent(images.get(i).patientId(), fold[i]);
            assertThat(before == null || before == fold[i]).as("patient %s", images.get(i).patientId()).isTrue();
            perClass[images.get(i).label().index()][fold[i]]++;
        }
        for (int f = 0; f < 5; f++) {
            assertThat(perClass[0][f]).isBetween(60 - 5, 60 + 5);
            assertThat(perClass[1][f]).isBetween(180 - 5, 180 + 5);
        }
    }

    @Test
    void foldsDependOnTheSeedNotTheOrder() {
        List<LabeledImage> images = images();
        List<LabeledImage> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(3));
        int[] a = PatientSplit.folds(images, 4, 11);
        int[] b = PatientSplit.folds(shuffled, 4, 11);
        for (int i = 0; i < shuffled.size(); i++) {
            assertThat(b[i]).isEqualTo(a[images.indexOf(shuffled.get(i))]);
        }
        assertThat(PatientSplit.folds(images, 4, 12)).isNotEqualTo(a);
        assertThatThrownBy(() -> PatientSplit.folds(images, 1, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("folds 1");
    }
}
