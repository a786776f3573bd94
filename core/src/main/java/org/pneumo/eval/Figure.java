package org.pneumo.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A figure that may be undefined (e.g. specificity with no negatives), with an optional 95% interval.
 *
 * <p>An undefined figure carries the reason instead of a silent NaN or 0, so that a report can say why a number is
 * missing. An interval is either absent (both ends NaN) or present with {@code low <= high}.
 *
 * @param value the figure, NaN exactly when undefined
 * @param low lower end of the 95% interval, or NaN when there is none
 * @param high upper end of the 95% interval, or NaN when there is none
 * @param undefinedReason why the figure is undefined, or null when it is defined
 */
public record Figure(double value, double low, double high, String undefinedReason) {

    /** Rejects states that would make {@link #defined()} and {@link #value()} disagree, or a reversed interval. */
    public Figure {
        if (undefinedReason == null && Double.isNaN(value)) {
            throw new IllegalArgumentException("a defined figure needs a value, got NaN; use Figure.undefined(reason)");
        }
        if (undefinedReason != null && !Double.isNaN(value)) {
            throw new IllegalArgumentException(
                    "an undefined figure (" + undefinedReason + ") must have value NaN, got " + value);
        }
        if (Double.isNaN(low) != Double.isNaN(high)) {
            throw new IllegalArgumentException("interval ends must both be NaN or both be numbers, got low " + low
                    + " and high " + high);
        }
        if (low > high) {
            throw new IllegalArgumentException("interval low " + low + " is above high " + high);
        }
    }

    /** A defined figure without an interval. */
    public static Figure of(double value) {
        return new Figure(value, Double.NaN, Double.NaN, null);
    }

    /** An undefined figure; {@code reason} says why (e.g. "no NORMAL images"). */
    public static Figure undefined(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an undefined figure needs a reason, got " + reason);
        }
        return new Figure(Double.NaN, Double.NaN, Double.NaN, reason);
    }

    /** This figure with a 95% interval; an undefined figure cannot have one. */
    public Figure withInterval(double low, double high) {
        if (!defined()) {
            throw new IllegalArgumentException("an undefined figure (" + undefinedReason + ") cannot have an interval");
        }
        if (Double.isNaN(low) || Double.isNaN(high)) {
            throw new IllegalArgumentException("interval ends must be numbers, got low " + low + " and high " + high);
        }
        return new Figure(value, low, high, null);
    }

    /** Whether the figure has a value. */
    public boolean defined() {
        return undefinedReason == null;
    }

    /** Whether the figure has an interval. */
    public boolean hasInterval() {
        return !Double.isNaN(low);
    }

    /**
     * The figure as text: {@code "0.9312 (95% CI 0.9012-0.9533)"}, {@code "0.9312"} without an interval, or
     * {@code "undefined: <reason>"}. Always with a dot as decimal separator, whatever the default locale.
     */
    public String format(int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be 0 or more, got " + decimals);
        }
        if (!defined()) {
            return "undefined: " + undefinedReason;
        }
        String text = fixed(value, decimals);
        if (!hasInterval()) {
            return text;
        }
        return text + " (95% CI " + fixed(low, decimals) + "-" + fixed(high, decimals) + ")";
    }

    /**
     * {@code x} with {@code decimals} digits after the dot, rounded the way Python's {@code format} rounds: from the
     * exact binary value, ties to even. {@code String.format} rounds the shortest decimal form half up instead, so
     * 1/32 = 0.03125 would print as 0.0313 here but 0.0312 in scikit-learn's report.
     */
    static String fixed(double x, int decimals) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }
}
