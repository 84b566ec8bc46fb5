"""Fit the toponym filter of the gazetteer recogniser on part of the annotated dev corpora.

    python benchmarks/fit_recognizer.py [--bench ../shared/bench] [--split tune|all] [--dry-run]

Every candidate span the recogniser proposes (``GazetteerRecognizer.candidates``) is labelled
by the gold annotation: a place if it overlaps a gold toponym, not a place if it overlaps none;
spans over GeoWebNews' neutral annotations (demonyms, languages, homonyms, other expressions)
are left out, as the scorer leaves them out. A logistic regression with an L2 penalty (Newton's
method, numpy only) is fitted on the ``tune`` half (the split of benchmarks/geoparse.py), the
threshold chosen for the best F1 on it, and the weights written to
``data/recognizer/toponym_filter.json``. Only the weights of named, word-independent features
leave this script: no gold name or coordinate is written.

Check the result on the half kept aside and on GeoVirus, never used here:
    python benchmarks/geoparse.py --split check --corpora pooled-dev
    python benchmarks/geoparse.py --corpora geovirus
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from geoparse import DEFAULT_BENCH, split_of, write_fitted_weights  # noqa: E402

from tracker.gazetteer.index import default_gazetteer  # noqa: E402
from tracker.recognize.gazetteer_toponyms import GazetteerRecognizer  # noqa: E402
from tracker.recognize.toponym_evidence import FEATURE_NAMES  # noqa: E402
from tracker.gazetteer.word_lists import load_common_words, load_person_names  # noqa: E402

OUTPUT = ROOT / "data" / "recognizer" / "toponym_filter.json"
L2 = 1.0


def labelled_candidates(corpus: Path, split: str, neutral_types: set[str]):
    recognizer = GazetteerRecognizer(default_gazetteer(), load_common_words(), load_person_names(), None)
    rows, labels, gold_total = [], [], 0
    for line in corpus.open(encoding="utf-8"):
        article = json.loads(line)
        if split != "all" and split_of(str(article["id"])) != split:
            continue
        gold = [t for t in article["toponyms"] if t.get("type") not in neutral_types]
        neutral = [t for t in article["toponyms"] if t.get("type") in neutral_types]
        neutral += article.get("other_annotations") or []
        gold_total += len(gold)
        for candidate in recognizer.candidates(article["text"]):
            overlaps = lambda spans: any(candidate.start < t["end"] and t["start"] < candidate.end for t in spans)  # noqa: E731
            if overlaps(gold):
                label = 1
            elif overlaps(neutral):
                continue
            else:
                label = 0
            rows.append([candidate.features.get(name, 0.0) for name in FEATURE_NAMES])
            labels.append(label)
    return np.array(rows), np.array(labels, dtype=float), gold_total


def probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> np.ndarray:
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # no penalty on the bias
    for _ in range(steps):
        p = probabilities(x, w)
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def best_threshold(p: np.ndarray, y: np.ndarray, gold_total: int) -> tuple[float, float]:
    best = (0.5, 0.0)
    for threshold in np.arange(0.2, 0.8, 0.01):
        kept = p >= threshold
        tp = float((kept & (y == 1)).sum())
        precision = tp / max(kept.sum(), 1)
        recall = tp / max(gold_total, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        if f1 > best[1]:
            best = (round(float(threshold), 2), f1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--split", choices=("tune", "all"), default="tune")
    parser.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    args = parser.parse_args()
    corpus = args.bench / "geoparse" / "pooled-dev.jsonl"
    sys.path.insert(0, str(args.bench))
    import score_geoparse  # the shared scorer: its neutral annotation types, left out as it leaves them

    x, y, gold_total = labelled_candidates(corpus, args.split, score_geoparse.NEUTRAL_TYPES)
    w = fit_logistic(x, y)
    p = probabilities(x, w)
    threshold, f1 = best_threshold(p, y, gold_total)
    reach = y.sum() / gold_total
    print(f"candidates {len(y)}, places among them {int(y.sum())}, gold {gold_total}, "
          f"candidate recall bound {reach:.3f}, fitted F1 {f1:.3f} at {threshold}")
    for name, weight in sorted(zip(FEATURE_NAMES, w), key=lambda pair: -abs(pair[1])):
        print(f"  {name:28s} {weight:+.2f}")
    if args.dry_run:
        return
    write_fitted_weights(
        OUTPUT, "the toponym filter of tracker/recognize/toponym_filter.py: a logistic model over "
        "word-independent features", "fit_recognizer.py", split=args.split, l2=L2, candidates=len(y),
        features=list(FEATURE_NAMES), weights=[round(float(v), 4) for v in w], threshold=threshold)


if __name__ == "__main__":
    main()
