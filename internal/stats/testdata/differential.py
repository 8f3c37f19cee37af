#!/usr/bin/python3
"""Agreement coefficients from independent implementations, for
differential_test.go.

Reads JSON from argv[1]: a list of datasets {"id", "rows"}, where rows[u][r]
is rater r's integer label of unit u (complete data). Writes to stdout a JSON
object mapping each id to {figure: value}, value null where the
implementation returns NaN (undefined). Figures:

  sklearn_cohen_{none,linear,quadratic}  sklearn.metrics.cohen_kappa_score,
                                         first two raters
  sm_cohen_{none,linear,quadratic}       statsmodels cohens_kappa on the
                                         2x2..qxq table of the first two raters
  sm_fleiss                              statsmodels fleiss_kappa, all raters
  nltk_pi                                nltk AnnotationTask.pi, first two raters
  nltk_alpha_{nominal,interval}          nltk AnnotationTask.alpha with
                                         binary_distance / interval_distance,
                                         all raters

With --ratio first, argv[2] holds datasets whose rows are numbers (floats),
and the output maps each id to {"nltk_alpha_ratio": value}: nltk's
AnnotationTask.alpha with the ratio metric ((a-b)/(a+b))^2 (Krippendorff
2011), which nltk sums over every pair of labels as the definition does.

Exit status 3 when a module is missing, so that the Go test can tell "not
installed" from a failure. Debian's python3-sklearn, python3-statsmodels and
python3-nltk install these for /usr/bin/python3.
"""

import json
import math
import sys
import warnings

try:
    import numpy as np
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import binary_distance, interval_distance
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa
except ImportError as e:
    print(f"missing module: {e}", file=sys.stderr)
    sys.exit(3)


def finite(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def quiet(f, *args, **kw):
    # Undefined cases divide by zero; the NaN is the answer, not a problem.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return finite(f(*args, **kw))
        except ZeroDivisionError:
            return None


def figures(rows):
    out = {}
    a = [r[0] for r in rows]
    b = [r[1] for r in rows]
    for w in ("none", "linear", "quadratic"):
        out["sklearn_cohen_" + w] = quiet(cohen_kappa_score, a, b, weights=None if w == "none" else w)

    cats = sorted({x for r in rows for x in r[:2]})
    idx = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b):
        table[idx[x], idx[y]] += 1
    for w in ("none", "linear", "quadratic"):
        res = quiet(lambda: cohens_kappa(table, wt=None if w == "none" else w, return_results=False))
        out["sm_cohen_" + w] = res

    allcats = sorted({x for r in rows for x in r})
    cidx = {c: i for i, c in enumerate(allcats)}
    counts = np.zeros((len(rows), len(allcats)))
    for u, r in enumerate(rows):
        for x in r:
            counts[u, cidx[x]] += 1
    out["sm_fleiss"] = quiet(fleiss_kappa, counts, method="fleiss")

    pair = [(str(c), str(u), r[c]) for u, r in enumerate(rows) for c in range(2)]
    out["nltk_pi"] = quiet(lambda: AnnotationTask(data=pair, distance=binary_distance).pi())
    triples = [(str(c), str(u), x) for u, r in enumerate(rows) for c, x in enumerate(r)]
    out["nltk_alpha_nominal"] = quiet(lambda: AnnotationTask(data=triples, distance=binary_distance).alpha())
    out["nltk_alpha_interval"] = quiet(lambda: AnnotationTask(data=triples, distance=interval_distance).alpha())
    return out


def ratio_distance(a, b):
    return 0.0 if a == b else ((a - b) / (a + b)) ** 2


def ratio_figures(rows):
    triples = [(str(c), str(u), x) for u, r in enumerate(rows) for c, x in enumerate(r)]
    return {"nltk_alpha_ratio": quiet(lambda: AnnotationTask(data=triples, distance=ratio_distance).alpha())}


def main():
    if sys.argv[1] == "--ratio":
        with open(sys.argv[2]) as f:
            datasets = json.load(f)
        json.dump({d["id"]: ratio_figures(d["rows"]) for d in datasets}, sys.stdout)
        return
    with open(sys.argv[1]) as f:
        datasets = json.load(f)
    json.dump({d["id"]: figures(d["rows"]) for d in datasets}, sys.stdout)


if __name__ == "__main__":
    main()
