package org.pneumo.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * How typical an image's features are of the images a model was trained on: class-conditional Gaussians with one
 * shared, shrunk covariance, scored by the Mahalanobis distance to the nearest class mean. A large distance means the
 * image is unlike the training data (another population, another kind of picture), so the network's answer on it
 * should not be trusted.
 *
 * <p>The covariance is shrunk towards a scaled identity with the Ledoit-Wolf weight, so it stays well conditioned when
 * features outnumber what the training images pin down. The validation images' distances are kept, sorted, so a new
 * distance can be placed as a percentile, and the cut is one of their percentiles.
 */
public final class TypicalityModel {
    private static final int MAGIC = 0x54595031; // "TYP1"

    private final float[][] means; // [class][feature]
    private final float[][] precision; // inverse of the shrunk pooled covariance, [feature][feature]
    private final double shrinkage;
    private final float[] validationDistances; // sorted ascending
    private final double cutPercentile;

    private TypicalityModel(float[][] means, float[][] precision, double shrinkage, float[] validationDistances,
            double cutPercentile) {
        this.means = means;
        this.precision = precision;
        this.shrinkage = shrinkage;
        this.validationDistances = validationDistances;
        this.cutPercentile = cutPercentile;
    }

    /**
     * Fits the class means and the shared shrunk covariance on training features, then places the cut at a percentile
     * of the validation features' distances.
     *
     * @param trainFeatures one row per training image, all of the same length
     * @param trainLabels each row's class index in [0, classes)
     * @param classes number of classes
     * @param validationFeatures one row per validation image (never training images)
     * @param cutPercentile the share of validation images, in (0, 1], whose distance is at most the cut (e.g. 0.99)
     */
    public static TypicalityModel fit(float[][] trainFeatures, int[] trainLabels, int classes,
            float[][] validationFeatures, double cutPercentile) {
        if (trainFeatures.length != trainLabels.length) {
            throw new IllegalArgumentException("trainFeatures has " + trainFeatures.length + " rows but trainLabels "
                    + trainLabels.length);
        }
        if (!(cutPercentile > 0 && cutPercentile <= 1)) {
            throw new IllegalArgumentException("cutPercentile " + cutPercentile + " is outside (0, 1]");
        }
        if (validationFeatures.length == 0) {
            throw new IllegalArgumentException("no validation features to place the cut on");
        }
        int n = trainFeatures.length;
        if (n < classes + 1) {
            throw new IllegalArgumentException("need more than " + classes + " training rows, got " + n);
        }
        int d = trainFeatures[0].length;
        double[][] sums = new double[classes][d];
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            if (trainFeatures[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + trainFeatures[i].length
                        + " features, row 0 has " + d);
            }
            int c = trainLabels[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("label " + c + " of row " + i + " is outside [0, " + classes + ")");
            }
            counts[c]++;
            for (int j = 0; j < d; j++) {
                sums[c][j] += trainFeatures[i][j];
            }
        }
        float[][] means = new float[classes][d];
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no training rows");
            }
            for (int j = 0; j < d; j++) {
                means[c][j] = (float) (sums[c][j] / counts[c]);
            }
        }
        // Centred rows (each minus its class mean), pooled.
        double[][] centred = new double[n][d];
        for (int i = 0; i < n; i++) {
            float[] mu = means[trainLabels[i]];
            for (int j = 0; j < d; j++) {
                centred[i][j] = trainFeatures[i][j] - mu[j];
            }
        }
        double[][] cov = new double[d][d];
        for (double[] x : centred) {
            for (int a = 0; a < d; a++) {
                double xa = x[a];
                if (xa == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += xa * x[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
        }
        double shrinkage = ledoitWolf(centred, cov);
        double mu = 0;
        for (int a = 0; a < d; a++) {
            mu += cov[a][a];
        }
        mu /= d;
        double floor = Math.max(mu, 1e-12) * 1e-6; // a constant feature (dead unit) must not make it singular
        double[][] shrunk = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                shrunk[a][b] = (1 - shrinkage) * cov[a][b] + (a == b ? shrinkage * mu + floor : 0);
            }
        }
        float[][] precision = invertSymmetricPositive(shrunk);
        TypicalityModel unplaced = new TypicalityModel(means, precision, shrinkage, new float[0], cutPercentile);
        float[] distances = new float[validationFeatures.length];
        for (int i = 0; i < distances.length; i++) {
            distances[i] = (float) unplaced.distance(validationFeatures[i]);
        }
        Arrays.sort(distances);
        return new TypicalityModel(means, precision, shrinkage, distances, cutPercentile);
    }

    /** The Mahalanobis distance of one feature vector to the nearest class mean. */
    public double distance(float[] features) {
        double best = Double.POSITIVE_INFINITY;
        for (double d : classDistances(features)) {
            best = Math.min(best, d);
        }
        return best;
    }

    /**
     * The Mahalanobis distance of one feature vector to each class mean, indexed by class. With one shared covariance
     * these also make a linear discriminant: {@code P(c | x)} is proportional to {@code prior[c] * exp(-d[c]^2 / 2)}.
     */
    public double[] classDistances(float[] features) {
        int d = precision.length;
        if (features.length != d) {
            throw new IllegalArgumentException("expected " + d + " features, got " + features.length);
        }
        double[] result = new double[means.length];
        double[] diff = new double[d];
        for (int c = 0; c < means.length; c++) {
            float[] mean = means[c];
            for (int j = 0; j < d; j++) {
                diff[j] = features[j] - mean[j];
            }
            double q = 0;
            for (int a = 0; a < d; a++) {
                float[] row = precision[a];
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += row[b] * diff[b];
                }
                q += diff[a] * s;
            }
            result[c] = Math.sqrt(Math.max(q, 0));
        }
        return result;
    }

    /** The share of validation images whose distance is at most this one, in [0, 1]. */
    public double percentile(double distance) {
        if (Double.isNaN(distance)) {
            return 1;
        }
        int i = upperBound(validationDistances, distance);
        return (double) i / validationDistances.length;
    }

    /**
     * The distance above which an image is out of scope: the validation distance at {@link #cutPercentile()}, moved
     * half-way to the next one so that no validation image sits exactly on it.
     */
    public double cut() {
        int n = validationDistances.length;
        int k = (int) Math.ceil(cutPercentile * n) - 1; // the k-th smallest (0-based) is the last one inside
        k = Math.max(0, Math.min(n - 1, k));
        if (k == n - 1) {
            return validationDistances[k];
        }
        return (validationDistances[k] + (double) validationDistances[k + 1]) / 2;
    }

    /** True when the distance is within the cut. NaN distances (non-finite features) are out of scope. */
    public boolean inScope(double distance) {
        return distance <= cut();
    }

    /** The share of validation images used to place the cut. */
    public double cutPercentile() {
        return cutPercentile;
    }

    /** The Ledoit-Wolf shrinkage weight that was used, in [0, 1]. */
    public double shrinkage() {
        return shrinkage;
    }

    /** Length of the feature vectors this model scores. */
    public int featureCount() {
        return precision.length;
    }

    /** Number of validation distances the percentile is placed against. */
    public int validationCount() {
        return validationDistances.length;
    }

    /** Writes the model in this class's compact binary layout (big-endian floats). */
    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
        data.writeInt(MAGIC);
        data.writeInt(means.length);
        data.writeInt(precision.length);
        data.writeDouble(shrinkage);
        data.writeDouble(cutPercentile);
        for (float[] mean : means) {
            for (float v : mean) {
                data.writeFloat(v);
            }
        }
        for (float[] row : precision) {
            for (float v : row) {
                data.writeFloat(v);
            }
        }
        data.writeInt(validationDistances.length);
        for (float v : validationDistances) {
            data.writeFloat(v);
        }
        data.flush();
    }

    /** Reads a model written by {@link #write}; refuses anything else with a message. */
    public static TypicalityModel read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in));
        try {
            if (data.readInt() != MAGIC) {
                throw new IOException("not a typicality model (wrong magic number)");
            }
            int classes = data.readInt();
            int d = data.readInt();
            if (classes < 1 || classes > 1000 || d < 1 || d > 8192) {
                throw new IOException("typicality model declares " + classes + " classes and " + d
                        + " features; expected 1-1000 and 1-8192");
            }
            double shrinkage = data.readDouble();
            double cutPercentile = data.readDouble();
            float[][] means = new float[classes][d];
            for (float[] mean : means) {
                for (int j = 0; j < d; j++) {
                    mean[j] = data.readFloat();
                }
            }
            float[][] precision = new float[d][d];
            for (float[] row : precision) {
                for (int j = 0; j < d; j++) {
                    row[j] = data.readFloat();
                }
            }
            int n = data.readInt();
            if (n < 1 || n > 10_000_000) {
                throw new IOException("typicality model declares " + n + " validation distances");
            }
            float[] distances = new float[n];
            for (int i = 0; i < n; i++) {
                distances[i] = data.readFloat();
            }
            if (data.read() != -1) {
                throw new IOException("typicality model has trailing bytes");
            }
            return new TypicalityModel(means, precision, shrinkage, distances, cutPercentile);
        } catch (EOFException e) {
            throw new IOException("typicality model is truncated", e);
        }
    }

    /** Index of the first element greater than {@code value} in a sorted array. */
    private static int upperBound(float[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The Ledoit-Wolf (2004) weight towards {@code mu * I} for centred rows and their sample covariance: the share of
     * the sample covariance's distance from the target that is estimation noise.
     */
    static double ledoitWolf(double[][] centred, double[][] cov) {
        int n = centred.length;
        int d = cov.length;
        double mu = 0;
        for (int a = 0; a < d; a++) {
            mu += cov[a][a];
        }
        mu /= d;
        double delta = 0; // ||S - mu I||^2 / d
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double t = cov[a][b] - (a == b ? mu : 0);
                delta += t * t;
            }
        }
        delta /= d;
        double beta = 0; // mean over rows of ||x x^T - S||^2 / d, over n
        for (double[] x : centred) {
            double s = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double t = x[a] * x[b] - cov[a][b];
                    s += t * t;
                }
            }
            beta += s / d;
        }
        beta /= (double) n * n;
        if (delta <= 0) {
            return 1;
        }
        return Math.min(1, Math.max(0, Math.min(beta, delta) / delta));
    }

    /** Inverse of a symmetric positive-definite matrix through its Cholesky factor. */
    static float[][] invertSymmetricPositive(double[][] m) {
        int d = m.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = m[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance is not positive definite (pivot " + s
                                + " at " + i + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        // inv(L) by forward substitution, then inv(M) = inv(L)^T inv(L)
        double[][] li = new double[d][d];
        for (int c = 0; c < d; c++) {
            li[c][c] = 1 / l[c][c];
            for (int i = c + 1; i < d; i++) {
                double s = 0;
                for (int k = c; k < i; k++) {
                    s -= l[i][k] * li[k][c];
                }
                li[i][c] = s / l[i][i];
            }
        }
        float[][] inv = new float[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double s = 0;
                for (int k = b; k < d; k++) {
                    s += li[k][a] * li[k][b];
                }
                inv[a][b] = (float) s;
                inv[b][a] = (float) s;
            }
        }
        return inv;
    }
}
