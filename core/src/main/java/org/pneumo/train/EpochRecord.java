package org.pneumo.train;

/**
 * The figures of one finished epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean weighted loss over the epoch's training steps (with augmentation and dropout)
 * @param trainAccuracy accuracy over the epoch's training images (as seen during the steps)
 * @param valLoss mean weighted loss on the validation images
 * @param valAccuracy validation accuracy at threshold 0.5
 * @param valAuc validation ROC AUC
 * @param learningRate learning rate at the epoch's last step
 * @param imagesPerSecond training throughput of the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double valLoss,
        double valAccuracy,
        double valAuc,
        double learningRate,
        double imagesPerSecond,
        double seconds) {

    static final String CSV_HEADER =
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_auc,learning_rate,images_per_second,seconds";

    String toCsv() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.8f,%.2f,%.1f", epoch, trainLoss,
                trainAccuracy, valLoss, valAccuracy, valAuc, learningRate, imagesPerSecond, seconds);
    }

    static EpochRecord fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 9) {
            throw new IllegalArgumentException("history line has " + f.length + " fields, expected 9: " + line);
        }
        return new EpochRecord(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]));
    }

    /** Whether this epoch is better than {@code other} by the selection rule (AUC, then loss). */
    boolean betterThan(EpochRecord other) {
        if (other == null) {
            return true;
        }
        double a = Double.isNaN(valAuc) ? -1 : valAuc;
        double b = Double.isNaN(other.valAuc) ? -1 : other.valAuc;
        return a > b || (a == b && valLoss < other.valLoss);
    }
}
