"""Fit the linker's place chooser (tracker/link/place_chooser.py) on annotated military news.

    python benchmarks/fit_linker.py [--bench ../shared/bench] [--split tune|all] [--l2 30] [--dry-run]
                                    [--public-only] [--extra PRIVATE.gold.jsonl ...]

Each equipment mention of a dev article whose kind the gold has rows of is a ranking problem: its
candidates are every place of the article (``tracker.link.place_candidates``) with their named
features, the right ones those within 161 km of a gold row of the same kind and a compatible role
(of the same count, where the gold has one), as the shared scorer matches rows. A mention whose
candidates are all right or all wrong teaches nothing and is left out. The conditional logit of
``fit_resolver.py`` is fitted on them, and only the named weights are written to
``data/linker/place_chooser.json``: no name or coordinate leaves this script.

Files: the ``tune`` half (by the hash of benchmarks/equipment.py) of public-domain-dev.jsonl,
deployments-dev.jsonl, news-dev (texts recovered into benchmarks/cache/news-dev/, see
benchmarks/news_dev_texts.py) and our own sentences; and every article of our own annotated
news in benchmarks/own-news/ whose text is cached (benchmarks/own_news.py). The own news is
what makes the weights carry over: fitted on the 233 problems of the shared files alone, the
chooser's top-1 on the 819 problems of five newer sets never used in fitting is 0.79; with the
own news's 675 more it is 0.84 (the rules' own pick: 0.64; benchmarks/README.md, fifth
round). ``--public-only`` fits without them (to reproduce the weights without the cached
texts), ``--extra`` adds further gold files that carry their texts.
Check on the held-out halves and sets with
    python benchmarks/equipment.py --parts rows [--extra HELD-OUT.gold.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from equipment import DEFAULT_BENCH, OWN_SENTENCES, ROW_FILES, split_of  # noqa: E402
from own_news import own_news_corpora, set_names  # noqa: E402
from fit_resolver import accuracy, fit_conditional_logit  # noqa: E402

from tracker.common.distance import great_circle_km  # noqa: E402
from tracker.pipelines.extract import default_extractor  # noqa: E402
from tracker.link.linker import linkable_places, place_candidates  # noqa: E402
from tracker.models import Article  # noqa: E402
from tracker.link.place_chooser import FEATURE_NAMES, place_key  # noqa: E402
from tracker.recognize.equipment import UNTYPED  # noqa: E402

OUTPUT = ROOT / "data" / "linker" / "place_chooser.json"
L2 = 30.0
CORRECT_KM = 161.0


def dev_articles(bench: Path, extra: Sequence[Path] = (), *, own_news: bool = False) -> dict[str, list[dict]]:
    """The dev files' articles with text and gold rows, by file; with ``own_news``, our own
    annotated sets (benchmarks/own-news/) whose texts are cached; ``extra`` gold files carry their
    own texts (private sets of news, as ``benchmarks/equipment.py --extra`` scores them)."""
    from news_dev_texts import news_dev_corpus

    files = {name: [json.loads(line) for line in (bench / "equipment" / f"{name}.jsonl").open(encoding="utf-8")
                    if line.strip()] for name in ROW_FILES}
    files["own-sentences"] = [json.loads(line) for line in OWN_SENTENCES.open(encoding="utf-8") if line.strip()]
    files["news-dev"] = news_dev_corpus(bench)
    if own_news:
        files.update({name: articles for name, articles in own_news_corpora().items() if articles})
    for path in extra:
        files[path.name.removesuffix(".jsonl").removesuffix(".gold")] = [
            json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return files


def _gold_for(mention, rows: list[dict]) -> list[dict]:
    """The gold rows a mention may be: same kind, compatible role, placed; of its count if any is."""
    kin = [r for r in rows if r["category"] == mention.category and r.get("lat") is not None
           and "unknown" in (r.get("role") or "unknown", mention.role) or r["category"] == mention.category
           and r.get("role") == mention.role and r.get("lat") is not None]
    same_count = [r for r in kin if mention.count is not None and r.get("count") == mention.count]
    return same_count or kin


def ranking_problems(files: dict[str, list[dict]], split: str, whole: frozenset[str] = frozenset()):
    """Problems of the ``split`` half of each file, and of every article of the files in ``whole``:
    (features, mention index of each row, right-or-not, whether the linker's ordered rules pick
    the row's place (reported beside the fitted choice, never a feature), mentions, by file)."""
    extractor = default_extractor()
    rows, groups, right, rule, problem_articles = [], [], [], [], []
    seen = 0
    per_file: dict[str, int] = {}
    for name, articles in files.items():
        for item in articles:
            if split != "all" and name not in whole and split_of(str(item["id"])) != split:
                continue
            article = Article(id=str(item["id"]), text=item["text"], source=name, published=item.get("published"))
            toponyms, mentions, _ = extractor.linker_inputs(article)
            mentions = [m for m in mentions if m.category not in UNTYPED]
            if not mentions:
                continue
            places = linkable_places(mentions, toponyms, article.text)
            for mention, (candidates, rule_link) in zip(mentions, place_candidates(article.text, mentions, places)):
                gold = _gold_for(mention, item.get("deployments", []))
                if not gold or len(candidates) < 2:
                    continue
                labels = [any(great_circle_km(g["lat"], g["lon"], c.toponym.lat, c.toponym.lon) <= CORRECT_KM for g in gold)
                          for c in candidates]
                if not any(labels) or all(labels):
                    continue
                for candidate, label in zip(candidates, labels):
                    rows.append([candidate.features.get(f, 0.0) for f in FEATURE_NAMES])
                    groups.append(seen)
                    right.append(label)
                    rule.append(rule_link.toponym is not None and place_key(candidate.toponym) == place_key(rule_link.toponym))
                problem_articles.append(f"{name}/{item['id']}")
                seen += 1
                per_file[name] = per_file.get(name, 0) + 1
    return (np.array(rows, dtype=float), np.array(groups), np.array(right, dtype=bool), np.array(rule),
            seen, per_file, problem_articles)


def rules_top1(groups: np.ndarray, right: np.ndarray, rule: np.ndarray) -> float:
    """The share of problems whose rules' pick is right (a problem where the rules pick none of
    the candidates counts as wrong, not as a tie won)."""
    n_groups = groups.max() + 1
    return float((np.bincount(groups, rule.astype(bool) & right, n_groups) > 0).mean())


def cross_validated_top1(x, groups, right, articles: list[str], l2: float, folds: int = 5) -> float:
    """Top-1 accuracy of weights fitted without the article each problem comes from (articles
    dealt into ``folds`` folds by a hash): a guide for choosing features and the penalty that
    never looks at the check half."""
    import hashlib

    fold_of_problem = np.array([int(hashlib.sha1(a.encode()).hexdigest(), 16) % folds for a in articles])
    fold = fold_of_problem[groups]
    right_choices = 0
    for k in range(folds):
        train, test = fold != k, fold == k
        if not test.any():
            continue
        _, train_groups = np.unique(groups[train], return_inverse=True)
        _, test_groups = np.unique(groups[test], return_inverse=True)
        weights = fit_conditional_logit(x[train], train_groups, right[train], l2)
        right_choices += accuracy(x[test], test_groups, right[test], weights) * (test_groups.max() + 1)
    return right_choices / (groups.max() + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--split", default="tune", choices=["tune", "all"])
    parser.add_argument("--l2", type=float, default=L2, help="the L2 penalty (default: %(default)s, the best "
                                                                "cross-validated top-1 with the own news)")
    parser.add_argument("--public-only", action="store_true",
                        help="fit on the shared dev files' tune halves alone, without benchmarks/own-news/")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], metavar="GOLD",
                        help="private gold files with their texts, fitted on by the same halves")
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = parser.parse_args()
    files = dev_articles(args.bench, args.extra, own_news=not args.public_only)
    x, groups, right, rule, n, per_file, articles = ranking_problems(files, args.split, frozenset(set_names()))
    weights = fit_conditional_logit(x, groups, right, args.l2)
    print(json.dumps({"split": args.split, "mentions": n, "by_file": per_file, "candidates": len(x),
                      "top1_rules": round(rules_top1(groups, right, rule), 4),
                      "top1_fitted": round(accuracy(x, groups, right, weights), 4),
                      "top1_cross_validated": round(cross_validated_top1(x, groups, right, articles, args.l2), 4)}))
    fitted = {name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, weights)}
    print(json.dumps(fitted, indent=1))
    if args.dry_run:
        return
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({
        "about": "Weights of the place chooser of tracker/link/place_chooser.py, a conditional logit over "
                 "word-independent features of (equipment group, place of the article), fitted by "
                 "benchmarks/fit_linker.py on the gold rows of the equipment dev files "
                 "(../shared/bench/equipment, see its README), benchmarks/equipment_sentences.jsonl and, "
                 "unless --public-only, our own annotated news in benchmarks/own-news/ (see by_file).",
        "fitted": date.today().isoformat(), "split": args.split, "l2": args.l2, "ranking_problems": n,
        "by_file": per_file, "features": list(FEATURE_NAMES), "weights": [fitted[f] for f in FEATURE_NAMES],
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
