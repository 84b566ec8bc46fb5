"""Score `tracker extract` on the equipment corpora in ../shared/bench/equipment, and count its
false alarms on general news.

    python benchmarks/equipment.py [--bench ../shared/bench] [--keep DIR] [--parts rows,re3d,alarms]
                                   [--extra PRIVATE.gold.jsonl ...]

1. rows: every dev file with gold deployment rows (deployments-dev.jsonl, public-domain-dev.jsonl,
   news-dev with the texts recovered into benchmarks/cache/news-dev/ (see news_dev_texts.py),
   and this folder's own sentences, equipment_sentences.jsonl), through the real command line
   (`tracker extract CORPUS.jsonl -o OUT.geojson` over the articles' id/text/published), scored by
   the shared score_equipment.py: row P/R/F1, and over matched rows count, status and actor. Each
   file is scored whole and by halves (``tune``/``check``, by a hash of the article id, as for the
   geoparser: the linker's place chooser is fitted on ``tune`` by fit_linker.py). ``origin`` is scored where the gold
   gives origins (our own sentences): the share of matched rows whose origin lies within 161 km
   of the gold origin, a missing origin on either side counting as wrong unless both miss.
   ``stray_rows`` counts the rows a map would draw on another continent: more than 2,500 km from
   every gold row of their article (or placed at all in an article without rows).
2. re3d: the gold platform-quantity links ("14 ISIL tanks") of re3d-public-domain.jsonl, of the
   MilitaryPlatform and Vehicle kinds; a link is found when an extracted row's mention overlaps
   the gold equipment span, and right when its count equals the gold quantity.
3. alarms: rows per 100 articles on the general news of ../shared/bench/geoparse (local and world
   news, epidemics): almost none of them is about military equipment, so nearly every row is a
   false alarm; also by the same halves.
Prints one JSON line per measure, with articles/s (process start included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from tracker.common.distance import great_circle_km  # noqa: E402

ROW_FILES = ("deployments-dev", "public-domain-dev")
OWN_SENTENCES = HERE / "equipment_sentences.jsonl"
GENERAL_NEWS = ("geowebnews-dev", "lgl-dev", "geovirus")


def split_of(article_id: str) -> str:
    """The half an article belongs to: the same hash as the geoparser's benchmark."""
    return "tune" if int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 2 == 0 else "check"


def run_extract(corpus: Path, output: Path) -> float:
    tracker = shutil.which("tracker") or str(Path(sys.executable).with_name("tracker"))
    started = time.perf_counter()
    result = subprocess.run([tracker, "extract", str(corpus), "-o", str(output)], capture_output=True, text=True)
    if result.returncode not in (0, 3):
        sys.exit(f"tracker extract failed ({result.returncode}): {result.stderr[-2000:]}")
    return time.perf_counter() - started


def text_corpus(source: Path, target: Path) -> int:
    """The articles' id/text/published only, so nothing of the gold reaches the tracker."""
    count = 0
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as out:
        for line in rows:
            if line.strip():
                row = json.loads(line)
                out.write(json.dumps({k: row[k] for k in ("id", "text", "published") if k in row}) + "\n")
                count += 1
    return count


def origin_accuracy(gold: dict, pred: dict, score_equipment) -> float | None:
    """Over gold rows that state an origin (or say there is none, ``origin_lat`` null with an
    ``origin`` key present): the share whose best-matching predicted row has the right origin."""
    right = total = 0
    for article_id, rows in gold.items():
        predicted = [p for p in pred.get(article_id, []) if p.get("category") in score_equipment.CATEGORIES]
        for row in rows:
            if "origin" not in row:
                continue
            matches = [p for p in predicted if score_equipment.compatible(row, p)]
            if not matches:
                continue
            total += 1
            best = matches[0]
            if row.get("origin_lat") is None:
                right += best.get("origin_lat") is None
            elif best.get("origin_lat") is not None:
                right += great_circle_km(row["origin_lat"], row["origin_lon"], best["origin_lat"], best["origin_lon"]) <= 161
    return round(right / total, 4) if total else None


def score_rows(name: str, gold_path: Path, output: Path, score_equipment) -> list[dict]:
    gold = score_equipment.load_gold(str(gold_path))
    pred = score_equipment.load_pred(str(output))
    results = []
    for half in ("all", "tune", "check"):
        chosen = {k: v for k, v in gold.items() if half == "all" or split_of(k) == half}
        scores = score_equipment.score(chosen, pred)
        origin = origin_accuracy(chosen, pred, score_equipment)
        if origin is not None:
            scores["origin_acc"] = origin
        scores["stray_rows"] = stray_rows(chosen, pred, score_equipment)
        results.append({"part": f"{name} rows", "half": half, **scores})
    return results


#: A predicted row this far from every gold row of its article is a marker on the wrong continent.
STRAY_KM = 2500.0


def stray_rows(gold: dict, pred: dict, score_equipment) -> int:
    """Predicted rows that a map would draw on a continent where the article puts no equipment:
    farther than ``STRAY_KM`` from every placed gold row of the article (every placed row of an
    article without gold rows is one)."""
    stray = 0
    for article_id, rows in gold.items():
        placed = [g for g in rows if g.get("lat") is not None]
        for row in pred.get(article_id, []):
            if row.get("category") not in score_equipment.CATEGORIES or row.get("lat") is None:
                continue
            stray += all(great_circle_km(g["lat"], g["lon"], row["lat"], row["lon"]) > STRAY_KM for g in placed)
    return stray


def recovered_news_dev(bench: Path, folder: Path) -> Path | None:
    """news-dev's gold with the texts recovered into benchmarks/cache/news-dev/ (they are not
    ours to commit; benchmarks/news_dev_texts.py says how to rebuild them), or None without them."""
    from news_dev_texts import news_dev_corpus

    articles = news_dev_corpus(bench)
    if not articles:
        print(json.dumps({"part": "news-dev rows", "skipped": "no texts in benchmarks/cache/news-dev/ "
                          "(see benchmarks/news_dev_texts.py)"}), flush=True)
        return None
    path = folder / "news-dev.gold.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def score_re3d(gold_path: Path, features: list[dict]) -> dict:
    from tracker.recognize.counts import parse_number

    by_article: dict[str, list[dict]] = {}
    for feature in features:
        by_article.setdefault(str(feature["properties"]["article_id"]), []).append(feature["properties"])
    found = right = total = 0
    for line in gold_path.open(encoding="utf-8"):
        article = json.loads(line)
        for link in article.get("equipment_quantities", []):
            start, end, _, kind = link["equipment"]
            if kind not in ("MilitaryPlatform", "Vehicle"):
                continue
            total += 1
            quantity = parse_number(link["quantity"][2].split())
            rows = [r for r in by_article.get(str(article["id"]), []) if r["start"] < end and start < r["end"]]
            if rows:
                found += 1
                right += any(r["count"] == quantity for r in rows)
    return {"part": "re3d platform-quantity links", "gold_links": total, "mention_found": round(found / total, 4),
            "count_right": round(right / total, 4), "count_right_of_found": round(right / found, 4) if found else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--keep", type=Path, help="keep the corpora and predictions in this folder")
    parser.add_argument("--parts", default="rows,re3d,alarms", help="comma-separated: rows, re3d, alarms")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], metavar="GOLD",
                        help="further gold files with their texts (a private set), scored as part of rows")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_equipment

    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)

        def extract(name: str, source: Path) -> tuple[Path, int, float]:
            corpus = folder / f"{name}.jsonl"
            count = text_corpus(source, corpus)
            output = folder / f"{name}.geojson"
            return output, count, run_extract(corpus, output)

        if "rows" in parts:
            sources = [(name, args.bench / "equipment" / f"{name}.jsonl") for name in ROW_FILES]
            sources.append(("own-sentences", OWN_SENTENCES))
            news_dev = recovered_news_dev(args.bench, folder)
            if news_dev is not None:
                sources.append(("news-dev", news_dev))
            sources += [(path.stem.removesuffix(".gold"), path) for path in args.extra]
            for name, source in sources:
                output, count, seconds = extract(name, source)
                for scores in score_rows(name, source, output, score_equipment):
                    if scores["half"] == "all":
                        scores.update(articles_per_s=round(count / seconds, 1))
                    print(json.dumps(scores), flush=True)
        if "re3d" in parts:
            name = "re3d-public-domain"
            source = args.bench / "equipment" / f"{name}.jsonl"
            output, count, seconds = extract(name, source)
            features = json.loads(output.read_text(encoding="utf-8"))["features"]
            scores = score_re3d(source, features)
            scores.update(articles=count, articles_per_s=round(count / seconds, 1))
            print(json.dumps(scores), flush=True)
        if "alarms" in parts:
            for name in GENERAL_NEWS:
                output, count, seconds = extract(name, args.bench / "geoparse" / f"{name}.jsonl")
                rows = json.loads(output.read_text(encoding="utf-8"))["features"]
                ids = [json.loads(line)["id"] for line in (folder / f"{name}.jsonl").open(encoding="utf-8")]
                for half in ("all", "tune", "check"):
                    chosen = {str(i) for i in ids if half == "all" or split_of(str(i)) == half}
                    kept = [r for r in rows if str(r["properties"]["article_id"]) in chosen]
                    result = {"part": f"{name} false alarms", "half": half, "articles": len(chosen),
                              "rows": len(kept), "rows_per_100_articles": round(100 * len(kept) / len(chosen), 1),
                              "articles_with_rows": len({r["properties"]["article_id"] for r in kept})}
                    if half == "all":
                        result["articles_per_s"] = round(count / seconds, 1)
                    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
