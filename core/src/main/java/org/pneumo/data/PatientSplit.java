package org.pneumo.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded train/validation split by patient, stratified by class: every image of one patient lands on the same side,
 * and each class keeps about the same share on both sides.
 */
public record PatientSplit(List<LabeledImage> train, List<LabeledImage> validation) {

    public PatientSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Splits images so that about {@code fraction} of each class goes to validation.
     *
     * @param images the images to split, in any order (the result does not depend on it)
     * @param fraction share of each class for validation, in [0, 1)
     * @param seed the random seed; the same seed and images give the same split
     */
    public static PatientSplit of(List<LabeledImage> images, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + fraction + " is outside [0, 1)");
        }
        List<LabeledImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing((LabeledImage i) -> i.file().toString()));
        Map<String, List<LabeledImage>> byPatient = new LinkedHashMap<>();
        for (LabeledImage image : sorted) {
            byPatient.computeIfAbsent(image.patientId(), k -> new ArrayList<>()).add(image);
        }
        // A patient belongs to the class most of their images have (ties: PNEUMONIA, the rarer mistake to hide).
        Map<Diagnosis, List<List<LabeledImage>>> patientsByClass = new EnumMap<>(Diagnosis.class);
        for (List<LabeledImage> patient : byPatient.values()) {
            long positives = patient.stream().filter(i -> i.label() == Diagnosis.PNEUMONIA).count();
            Diagnosis cls = positives * 2 >= patient.size() ? Diagnosis.PNEUMONIA : Diagnosis.NORMAL;
            patientsByClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(patient);
        }
        Random random = new Random(seed);
        List<LabeledImage> train = new ArrayList<>();
        List<LabeledImage> validation = new ArrayList<>();
        for (Diagnosis cls : Diagnosis.values()) {
            List<List<LabeledImage>> patients = patientsByClass.getOrDefault(cls, List.of());
            Collections.shuffle(patients, random);
            int total = patients.stream().mapToInt(List::size).sum();
            long wanted = Math.round(total * fraction);
            int taken = 0;
            for (List<LabeledImage> patient : patients) {
                if (taken < wanted && Math.abs(taken + patient.size() - wanted) <= Math.abs(taken - wanted)) {
                    validation.addAll(patient);
                    taken += patient.size();
                } else {
                    train.addAll(patient);
                }
            }
        }
        return new PatientSplit(train, validation);
    }
    /**
     * Assigns each image to one of {@code k} folds by patient, stratified by class: every image of one patient is in
     * the same fold, and each class is spread about evenly over the folds (each patient, in a seeded random order,
     * goes to the fold that holds the fewest images of its class so far).
     *
     * @param images the images, in any order (the assignment does not depend on it)
     * @param k number of folds, 2 or more
     * @param seed the random seed
     * @return the fold of each image, in {@code images}' order
     */
    public static int[] folds(List<LabeledImage> images, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("folds " + k + " must be at least 2");
        }
        List<LabeledImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing((LabeledImage i) -> i.file().toString()));
        Map<String, List<LabeledImage>> byPatient = new LinkedHashMap<>();
        for (LabeledImage image : sorted) {
            byPatient.computeIfAbsent(image.patientId(), x -> new ArrayList<>()).add(image);
        }
        List<List<LabeledImage>> patients = new ArrayList<>(byPatient.values());
        Collections.shuffle(patients, new Random(seed));
        int[][] load = new int[Diagnosis.values().length][k];
        Map<LabeledImage, Integer> foldOf = new java.util.HashMap<>();
        for (List<LabeledImage> patient : patients) {
            long positives = patient.stream().filter(i -> i.label() == Diagnosis.PNEUMONIA).count();
            int cls = (positives * 2 >= patient.size() ? Diagnosis.PNEUMONIA : Diagnosis.NORMAL).index();
            int fold = 0;
            for (int f = 1; f < k; f++) {
                if (load[cls][f] < load[cls][fold]) {
                    fold = f;
                }
            }
            load[cls][fold] += patient.size();
            for (LabeledImage image : patient) {
                foldOf.put(image, fold);
            }
        }
        int[] result = new int[images.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = foldOf.get(images.get(i));
        }
        return result;
    }
}
