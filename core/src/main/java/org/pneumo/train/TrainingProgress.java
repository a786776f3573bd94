package org.pneumo.train;

/** Callbacks a training run makes so that a caller can show progress; every method has a silent default. */
public interface TrainingProgress {
    /** A message for the user (data summary, resume point, warnings). */
    default void message(String text) {}

    /** A warning, such as a skipped file (one line each). */
    default void warning(String text) {
        message(text);
    }

    /** Decoding images for the first time: {@code done} of {@code total}. */
    default void decoding(int done, int total) {}

    /** An epoch starts with {@code batches} training batches. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /** A training batch finished, with the running loss and accuracy of the epoch so far. */
    default void batchFinished(int batch, int batches, double loss, double accuracy, double imagesPerSecond) {}

    /** An epoch finished (validation included) and its checkpoint is on disk. */
    default void epochFinished(EpochRecord record, boolean best) {}

    /** A progress bar that does nothing. */
    TrainingProgress SILENT = new TrainingProgress() {};
}
