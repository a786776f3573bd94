# Reference values for the org.pneumo.eval tests, computed independently with scikit-learn (and statsmodels).
#
# Recompute (Debian: apt-get install -y python3-sklearn python3-statsmodels; use the system python):
#     cd core/src/test/resources/org/pneumo/eval && /usr/bin/python3 sklearn_reference.py
# It rewrites sklearn_reference.json beside this script; commit both. The JSON records the library versions used.
#
# Labels: 1 = PNEUMONIA (positive), 0 = NORMAL. The cases are fixed literals so that the JSON depends only on
# the libraries, never on a random generator:
#   ties                 30 images, scores rounded to one decimal (many ties, a tie at the 0.5 threshold across
#                        both classes, scores exactly 0.0 and 1.0 and on the calibration bin edges 0.2/0.4/0.6/0.8)
#   small                6 images, distinct scores
#   all_predicted_pneumonia  every score >= 0.5, so nothing is predicted NORMAL (NORMAL precision and NPV undefined)
#
# roc_curve: scikit-learn prepends a threshold above every score so that the curve starts at (0, 0). Versions
# before 1.3 use max(score) + 1, later ones +inf; the Java code uses +inf. So the JSON stores that first threshold
# only as text ("roc_curve.first_threshold") and "roc_curve.thresholds" holds the thresholds after it; the tests
# compare the whole fpr/tpr arrays, the finite thresholds, and check that the Java first threshold is +inf.
#
# Wilson intervals (95%, two-sided): from statsmodels.stats.proportion.proportion_confint(method="wilson") when
# statsmodels imports, otherwise from the textbook formula below; "wilson_source" in the JSON says which was used.
import json
import math
import os

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, classification_report, confusion_matrix,
                             precision_recall_curve, roc_auc_score, roc_curve)

try:
    from statsmodels.stats.proportion import proportion_confint
    import statsmodels

    WILSON_SOURCE = "statsmodels " + statsmodels.__version__ + " proportion_confint(method='wilson')"

    def wilson(successes, n):
        low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
        return [float(low), float(high)]
except ImportError:
    from statistics import NormalDist

    WILSON_SOURCE = "formula in sklearn_reference.py (statsmodels not installed)"
    Z = NormalDist().inv_cdf(0.975)

    def wilson(successes, n):
        p = successes / n
        denom = 1 + Z * Z / n
        center = (p + Z * Z / (2 * n)) / denom
        half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
        return [center - half, center + half]

CASES = {
    "ties": (
        [1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1],
        [0.6, 0.7, 0.2, 0.5, 0.8, 0.5, 0.5, 0.5, 0.5, 0.6, 0.4, 0.2, 0.5, 0.3, 0.0, 0.5, 0.4, 0.8, 0.5, 1.0,
         0.0, 0.1, 0.2, 0.6, 0.2, 0.6, 0.9, 0.5, 0.3, 0.7],
    ),
    "small": (
        [0, 0, 1, 1, 0, 1],
        [0.1, 0.4, 0.35, 0.8, 0.65, 0.9],
    ),
    "all_predicted_pneumonia": (
        [0, 1, 1, 0, 1],
        [0.55, 0.9, 0.7, 0.6, 0.8],
    ),
}

THRESHOLD = 0.5
CALIBRATION_BINS = 5
NAMES = ["NORMAL", "PNEUMONIA"]


def floats(array):
    return [float(x) for x in array]


def case(truth, score):
    y = np.array(truth)
    s = np.array(score, dtype=float)
    predicted = (s >= THRESHOLD).astype(int)

    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    precision, recall, pr_thresholds = precision_recall_curve(y, s)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, predicted, labels=[0, 1]).ravel())
    prob_true, prob_pred = calibration_curve(y, s, n_bins=CALIBRATION_BINS, strategy="uniform")
    # Bin sizes are not returned by calibration_curve; count them the way it bins (searchsorted on the inner edges).
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], s), minlength=CALIBRATION_BINS)
    report = classification_report(y, predicted, labels=[0, 1], target_names=NAMES, output_dict=True,
                                   zero_division=0)
    report_text = classification_report(y, predicted, labels=[0, 1], target_names=NAMES, digits=4,
                                        zero_division=0)

    def interval(successes, n):
        return wilson(successes, n) if n > 0 else None

    return {
        "truth": [int(v) for v in truth],
        "score": floats(s),
        "roc_curve": {
            "fpr": floats(fpr),
            "tpr": floats(tpr),
            "first_threshold": repr(float(thresholds[0])),
            "thresholds": floats(thresholds[1:]),
        },
        "roc_auc": float(roc_auc_score(y, s)),
        "precision_recall_curve": {
            "precision": floats(precision),
            "recall": floats(recall),
            "thresholds": floats(pr_thresholds),
        },
        "average_precision": float(average_precision_score(y, s)),
        "threshold": THRESHOLD,
        "confusion_matrix": [[tn, fp], [fn, tp]],
        "classification_report": report,
        "classification_report_text": report_text,
        "calibration_bins": CALIBRATION_BINS,
        "calibration_curve": {
            "prob_true": floats(prob_true),
            "prob_pred": floats(prob_pred),
            "counts": [int(c) for c in counts if c > 0],
        },
        # None (JSON null) where the proportion has no denominator.
        "wilson": {
            "accuracy": interval(tp + tn, tp + tn + fp + fn),
            "sensitivity": interval(tp, tp + fn),
            "specificity": interval(tn, tn + fp),
            "ppv": interval(tp, tp + fp),
            "npv": interval(tn, tn + fn),
        },
    }


def main():
    out = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "wilson_source": WILSON_SOURCE,
        "cases": {name: case(*data) for name, data in CASES.items()},
        # Extremes of the Wilson interval: no successes, all successes, a single trial.
        "wilson_pairs": [
            {"successes": k, "n": n, "interval": wilson(k, n)}
            for k, n in [(0, 10), (10, 10), (0, 1), (1, 1), (7, 13), (390, 624), (233, 234)]
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
