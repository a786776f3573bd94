package org.pneumo.eval;

/**
 * Temperature scaling (Guo et al. 2017) of a two-class model's P(PNEUMONIA), and the expected calibration error it is
 * judged by. Dividing the logit by one temperature {@code T} keeps every ranking and, with the threshold moved the
 * same way, every decision: only how sure the probabilities sound changes.
 */
public final class TemperatureScaling {
    /** The method in words, as {@code model.json} records it. */
    public static final String METHOD = "temperature scaling (Guo et al. 2017): the logit of P(PNEUMONIA) divided by"
            + " the temperature that minimises the negative log-likelihood of the labels";

    /** The temperature's search range: [1/50, 50]. */
    static final double MAX_LOG_TEMPERATURE = Math.log(50);
    /** Probabilities are clipped this far from 0 and 1 before their logit is taken. */
    static final double EPSILON = 1e-12;

    private TemperatureScaling() {}

    /**
     * A fitted temperature with the expected calibration error ({@link #BINS} bins) before and after it, and the
     * scaled probabilities.
     */
    public record Fit(double temperature, double eceBefore, double eceAfter, double[] calibrated) {}

    /** Equal-width bins of the expected calibration error that {@link #fitAndMeasure} reports. */
    public static final int BINS = 10;

    /** Fits the temperature on {@code probability} and measures the calibration error before and after. */
    public static Fit fitAndMeasure(int[] truth, double[] probability) {
        double t = fit(truth, probability);
        double[] calibrated = apply(probability, t);
        return new Fit(t, expectedCalibrationError(truth, probability, BINS),
                expectedCalibrationError(truth, calibrated, BINS), calibrated);
    }

    /** The temperature that minimises the negative log-likelihood of {@code truth} under scaled probabilities. */
    public static double fit(int[] truth, double[] probability) {
        Checks.truthAndScore(truth, probability, false);
        double[] z = logits(probability);
        // The NLL is convex in 1/T; golden-section search on log T over a wide bracket is plenty precise and robust.
        double lo = -MAX_LOG_TEMPERATURE;
        double hi = MAX_LOG_TEMPERATURE;
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = nll(truth, z, Math.exp(a));
        double fb = nll(truth, z, Math.exp(b));
        for (int i = 0; i < 200 && hi - lo > 1e-9; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = nll(truth, z, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = nll(truth, z, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /** {@code p} with its logit divided by {@code temperature}. */
    public static double apply(double p, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be positive and finite");
        }
        if (temperature == 1) {
            return p;
        }
        return sigmoid(logit(p) / temperature);
    }

    /** Every probability scaled by {@code temperature}. */
    public static double[] apply(double[] p, double temperature) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = apply(p[i], temperature);
        }
        return out;
    }

    /**
     * Expected calibration error over {@code bins} equal-width bins of P(PNEUMONIA): the image-weighted mean of
     * |share of PNEUMONIA - mean probability| per bin (the binning of {@link Curves#calibration}).
     */
    public static double expectedCalibrationError(int[] truth, double[] probability, int bins) {
        Curves.Calibration c = Curves.calibration(truth, probability, bins);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < c.counts().length; i++) {
            sum += c.counts()[i] * Math.abs(c.fractionPositive()[i] - c.meanPredicted()[i]);
            n += c.counts()[i];
        }
        return sum / n;
    }

    /** Mean negative log-likelihood of {@code truth} under the logits {@code z} divided by {@code temperature}. */
    static double nll(int[] truth, double[] z, double temperature) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double s = z[i] / temperature;
            // -log sigmoid(s) for PNEUMONIA, -log sigmoid(-s) for NORMAL, computed stably.
            double m = truth[i] == 1 ? -s : s;
            sum += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        }
        return sum / z.length;
    }

    private static double[] logits(double[] p) {
        double[] z = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            z[i] = logit(p[i]);
        }
        return z;
    }

    private static double logit(double p) {
        double q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
        return Math.log(q) - Math.log1p(-q);
    }

    private static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }
}
