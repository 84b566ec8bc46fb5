"""Fit the resolver's candidate ranker on part of the annotated dev corpora.

    python benchmarks/fit_resolver.py [--bench ../shared/bench] [--split tune|all] [--dry-run]

Mentions are recognised once per corpus and cached under benchmarks/out/. Each
recognised mention that overlaps a gold toponym with coordinates is a ranking problem: its
candidates (``Resolver.score``) with their features, the right ones being those within 161 km of
the gold point. A conditional logit model (the softmax over one mention's candidates) with an L2
penalty is fitted by Newton steps with a line search, numpy only. The context features depend
on the places the previous pass chose, and so on the weights: the fit is repeated with the
resolver using the new weights, and the weights whose choices were right most often on the tune
half are kept (the likelihood optimum need not be the most accurate; the starting weights count). Only the weights of the named,
word-independent features of ``tracker/resolve/ranking.py`` are written to
``data/resolver/ranker.json``: no name or coordinate leaves this script.

Check the result on the half kept aside and on GeoVirus, never used here:
    python benchmarks/geoparse.py --split check --corpora pooled-dev
    python benchmarks/geoparse.py --corpora geovirus
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geoparse import DEFAULT_BENCH, split_of, write_fitted_weights  # noqa: E402

from tracker.pipelines.frame import toponym_record  # noqa: E402
from tracker.gazetteer.index import default_gazetteer  # noqa: E402
from tracker.pipelines.geoparse import default_geoparser  # noqa: E402
from tracker.resolve.ranking import FEATURE_NAMES, RankingModel  # noqa: E402
from tracker.resolve.resolver import Resolver  # noqa: E402

OUTPUT = ROOT / "data" / "resolver" / "ranker.json"
L2 = 1.0
CORRECT_KM = 161.0
ROUNDS = 4
CACHE = ROOT / "benchmarks" / "out"


def cached_mentions(corpus_path: Path) -> list[tuple[dict, list]]:
    """(article, its recognised mentions), recognised again only when the code has changed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{corpus_path.stem}.mentions.pickle"
    articles = [json.loads(line) for line in corpus_path.open(encoding="utf-8") if line.strip()]
    # what recognition reads: its code (and the gazetteer's and the records'), its weights and word lists
    recognizer_code = [*(ROOT / "tracker" / "recognize").rglob("*.py"), *(ROOT / "tracker" / "gazetteer").rglob("*.py"),
                       ROOT / "tracker" / "models.py", *(ROOT / "data" / "recognizer").iterdir(),
                       *(ROOT / "data").glob("*.txt"), ROOT / "data" / "gazetteer.sqlite"]
    if cache.exists() and cache.stat().st_mtime > max(p.stat().st_mtime for p in recognizer_code):
        return list(zip(articles, pickle.loads(cache.read_bytes())))
    recognizer = default_geoparser().recognizer
    mentions = [recognizer(article["text"]) for article in articles]
    cache.write_bytes(pickle.dumps(mentions))
    return list(zip(articles, mentions))


def scores_by_split(pairs, resolver: Resolver, score_module) -> dict[str, dict]:
    """The shared scorer on the tune and check halves, resolving the cached mentions."""
    results = {}
    for split in ("tune", "check"):
        gold, pred = {}, {}
        for article, mentions in pairs:
            if split_of(str(article["id"])) == split:
                gold[str(article["id"])] = article
                pred[str(article["id"])] = {"toponyms": [toponym_record(t) for t in resolver(mentions, article["text"])]}
        scores = score_module.score(gold, pred)
        results[split] = {key: scores[key] for key in ("acc161", "e2e_acc161")}
    return results


def ranking_problems(pairs, resolver: Resolver, split: str, scorer):
    """(features of all candidates, index of the mention each row belongs to, right-or-not); right
    and neutral as the shared ``scorer`` counts them."""
    rows, groups, right = [], [], []
    mentions_seen = 0
    for article, mentions in pairs:
        if split != "all" and split_of(str(article["id"])) != split:
            continue
        gold = [t for t in article["toponyms"] if t.get("type") not in scorer.NEUTRAL_TYPES and t.get("lat") is not None]
        for mention, scored in zip(mentions, resolver.score(mentions, article["text"])):
            if len(scored.candidates) < 2:
                continue
            match = next((t for t in gold if mention.start < t["end"] and t["start"] < mention.end), None)
            if match is None:
                continue
            labels = [scorer.haversine(match["lat"], match["lon"], c.place.lat, c.place.lon) <= CORRECT_KM
                      for c in scored.candidates]
            if not any(labels) or all(labels):
                continue
            for features, label in zip(scored.features, labels):
                rows.append([features.get(name, 0.0) for name in FEATURE_NAMES])
                groups.append(mentions_seen)
                right.append(label)
            mentions_seen += 1
    return np.array(rows, dtype=float), np.array(groups), np.array(right, dtype=bool), mentions_seen


def fit_conditional_logit(x: np.ndarray, groups: np.ndarray, right: np.ndarray, l2: float,
                          start: np.ndarray | None = None, steps: int = 60) -> np.ndarray:
    """Maximise the log of the softmax mass on the right candidates of each mention, less
    ``l2``/2 |w|^2. Newton direction from the PSD part of the Hessian, backtracking line search."""
    n_groups = groups.max() + 1
    weights = np.zeros(x.shape[1]) if start is None else start.copy()

    def objective(w):
        s = x @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, groups, s)
        e = np.exp(s - top[groups])
        all_mass = np.bincount(groups, e, n_groups)
        right_mass = np.bincount(groups, e * right, n_groups)
        loss = -np.sum(np.log(right_mass) - np.log(all_mass)) + 0.5 * l2 * w @ w
        p = e / all_mass[groups]
        q = e * right / right_mass[groups]
        gradient = x.T @ (p - q) + l2 * w
        return loss, gradient, p

    loss, gradient, p = objective(weights)
    for _ in range(steps):
        mean = np.zeros((n_groups, x.shape[1]))
        np.add.at(mean, groups, x * p[:, None])
        centred = x - mean[groups]
        hessian = (centred * p[:, None]).T @ centred + l2 * np.eye(x.shape[1])
        direction = -np.linalg.solve(hessian, gradient)
        step = 1.0
        while step > 1e-4:
            candidate = weights + step * direction
            new_loss, new_gradient, new_p = objective(candidate)
            if new_loss <= loss + 1e-4 * step * gradient @ direction:
                break
            step /= 2
        else:
            break
        converged = loss - new_loss < 1e-6
        weights, loss, gradient, p = candidate, new_loss, new_gradient, new_p
        if converged:
            break
    return weights


def accuracy(x, groups, right, weights) -> float:
    s = x @ weights
    n_groups = groups.max() + 1
    best = np.full(n_groups, -np.inf)
    np.maximum.at(best, groups, s)
    winners = (s == best[groups]) & right
    return float(np.bincount(groups, winners, n_groups).clip(0, 1).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--split", default="tune", choices=["tune", "all"])
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_geoparse

    pairs = cached_mentions(args.bench / "geoparse" / "pooled-dev.jsonl")
    gazetteer = default_gazetteer()
    resolver_with = lambda w: Resolver(gazetteer, RankingModel(dict(zip(FEATURE_NAMES, w.tolist()))))  # noqa: E731
    model = RankingModel.load()
    weights = np.array([model.weights.get(name, 0.0) for name in FEATURE_NAMES])
    print(json.dumps({"scores_before": scores_by_split(pairs, resolver_with(weights), score_geoparse)}))
    best = (-1.0, weights)
    for round_number in range(ROUNDS):
        resolver = resolver_with(weights)
        x, groups, right, n = ranking_problems(pairs, resolver, args.split, score_geoparse)
        before = accuracy(x, groups, right, weights)
        best = max(best, (before, weights), key=lambda pair: pair[0])
        weights = fit_conditional_logit(x, groups, right, args.l2, start=weights)
        print(json.dumps({"round": round_number, "ambiguous_mentions": n, "candidates": len(x),
                          "top1_before": round(before, 4), "top1_after": round(accuracy(x, groups, right, weights), 4)}),
              flush=True)
    # the likelihood optimum need not pick best: keep the weights whose own choices were right
    # most often on the tune half (the starting weights included)
    top1, weights = best
    print(json.dumps({"kept_top1": round(top1, 4),
                      "scores": scores_by_split(pairs, resolver_with(weights), score_geoparse)}))
    fitted = {name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, weights)}
    print(json.dumps(fitted, indent=1))
    if args.dry_run:
        return
    write_fitted_weights(
        OUTPUT, "the candidate ranker of tracker/resolve/ranking.py: a conditional logit over word-independent features",
        "fit_resolver.py", split=args.split, l2=args.l2, ambiguous_mentions=n, features=list(FEATURE_NAMES),
        weights=[fitted[name] for name in FEATURE_NAMES])


if __name__ == "__main__":
    main()
