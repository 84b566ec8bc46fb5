"""Try resolver weights on the dev corpora without re-running spaCy each time.

    python benchmarks/resolver_weights.py [--set focus_country=4 capital=3 ...] [--grid NAME=V1,V2,...]

Mentions are recognised once per corpus and cached under benchmarks/out/. Each weight setting is
scored with the shared scorer on the `tune` half of pooled GeoWebNews + LGL dev (split by a hash
of the article id, as in benchmarks/geoparse.py) and reported on the `check` half too, so a
choice that only fits the tuning half shows.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geoparse import DEFAULT_BENCH, split_of  # noqa: E402

from tracker.frame import toponym_record  # noqa: E402
from tracker.geoparse import default_geoparser  # noqa: E402
from tracker.resolve import DEFAULT_WEIGHTS, Resolver  # noqa: E402

CACHE = ROOT / "benchmarks" / "out"


def cached_mentions(corpus_path: Path) -> list[tuple[dict, list]]:
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{corpus_path.stem}.mentions.pickle"
    articles = [json.loads(line) for line in corpus_path.open(encoding="utf-8") if line.strip()]
    if cache.exists() and cache.stat().st_mtime > max(p.stat().st_mtime for p in (ROOT / "tracker").rglob("*.py")):
        return list(zip(articles, pickle.loads(cache.read_bytes())))
    recognizer = default_geoparser().recognizer
    mentions = list(recognizer.pipe([a["text"] for a in articles]))
    cache.write_bytes(pickle.dumps(mentions))
    return list(zip(articles, mentions))


def evaluate(pairs, resolver, score_module) -> dict[str, dict]:
    results = {}
    for split in ("tune", "check"):
        gold, pred = {}, {}
        for article, mentions in pairs:
            if split_of(str(article["id"])) != split:
                continue
            gold[str(article["id"])] = article
            pred[str(article["id"])] = {"toponyms": [toponym_record(t) for t in resolver(mentions, article["text"])]}
        results[split] = score_module.score(gold, pred)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--corpus", default="pooled-dev")
    parser.add_argument("--set", nargs="*", default=[], help="NAME=VALUE weights to change")
    parser.add_argument("--grid", nargs="*", default=[], help="NAME=V1,V2 weights to try in combination")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_geoparse

    pairs = cached_mentions(args.bench / "geoparse" / f"{args.corpus}.jsonl")
    gazetteer = default_geoparser().recognizer.gazetteer
    base = dataclasses.replace(DEFAULT_WEIGHTS, **{k: float(v) for k, v in (s.split("=") for s in args.set)})
    names = [g.split("=")[0] for g in args.grid]
    values = [[float(v) for v in g.split("=")[1].split(",")] for g in args.grid]
    for combination in itertools.product(*values) if names else [()]:
        weights = dataclasses.replace(base, **dict(zip(names, combination)))
        scores = evaluate(pairs, Resolver(gazetteer, weights), score_geoparse)
        print(json.dumps({"weights": dict(zip(names, combination)),
                          **{f"{split}_{key}": scores[split][key] for split in scores
                             for key in ("acc161", "e2e_acc161", "overlap_F1")}}), flush=True)


if __name__ == "__main__":
    main()
