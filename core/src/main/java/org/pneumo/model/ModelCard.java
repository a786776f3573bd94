package org.pneumo.model;

import java.util.List;
import java.util.Objects;

/**
 * The human part of a model's description, stored in {@code model.json} beside the measured facts: what the model is
 * for, what it was trained and checked on, what it was never tested on, how its threshold was chosen, and how it fails.
 *
 * @param summary one paragraph: what this model is
 * @param intendedUse who may use it, for what
 * @param notFor uses it must not be put to
 * @param data the training data, its population and its attribution
 * @param notTestedOn populations, devices and conditions it has not been checked on
 * @param recipe the command that reproduces it, and how long it took
 * @param thresholdChoice how the operating threshold was chosen, and why
 * @param validation the validation figures, with confidence intervals and the command that measured them
 * @param failureModes what its mistakes on validation images look like
 * @param guardCost what the out-of-scope guard adds per image and to the model folder, with the command that measured
 *     it; null when not measured
 * @param guardChecks the share of images the guard flagged on named image sets; empty when not measured
 * @param guardChecksCommand the command (and date) that measured {@code guardChecks}; null when there are none
 */
public record ModelCard(
        String summary,
        String intendedUse,
        String notFor,
        String data,
        List<String> notTestedOn,
        String recipe,
        String thresholdChoice,
        String validation,
        List<String> failureModes,
        String guardCost,
        List<GuardCheck> guardChecks,
        String guardChecksCommand) {

    /**
     * What the guard said on one set of images.
     *
     * @param images which images, in words
     * @param count how many
     * @param flagged how many were out of scope
     * @param unusual how many were in scope with the caution note
     */
    public record GuardCheck(String images, int count, int flagged, int unusual) {
        public GuardCheck {
            Objects.requireNonNull(images, "images");
            if (count < 1 || flagged < 0 || unusual < 0 || flagged + unusual > count) {
                throw new IllegalArgumentException("guard check '" + images + "': " + flagged + " flagged and "
                        + unusual + " unusual of " + count + " images");
            }
        }
    }

    public ModelCard {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(intendedUse, "intendedUse");
        Objects.requireNonNull(notFor, "notFor");
        Objects.requireNonNull(data, "data");
        notTestedOn = notTestedOn == null ? List.of() : List.copyOf(notTestedOn);
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(thresholdChoice, "thresholdChoice");
        Objects.requireNonNull(validation, "validation");
        failureModes = failureModes == null ? List.of() : List.copyOf(failureModes);
        guardChecks = guardChecks == null ? List.of() : List.copyOf(guardChecks);
        if (!guardChecks.isEmpty() && guardChecksCommand == null) {
            throw new IllegalArgumentException("guardChecks need guardChecksCommand: the command that measured them");
        }
    }

    /** A card that does not say what its guard costs. */
    public ModelCard(String summary, String intendedUse, String notFor, String data, List<String> notTestedOn,
            String recipe, String thresholdChoice, String validation, List<String> failureModes) {
        this(summary, intendedUse, notFor, data, notTestedOn, recipe, thresholdChoice, validation, failureModes, null,
                List.of(), null);
    }
}
