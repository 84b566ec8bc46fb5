"""Score `tracker extract` on the equipment corpora in ../shared/bench/equipment.

    python benchmarks/equipment.py [--bench ../shared/bench]

1. deployments-dev.jsonl: the real command line (`tracker extract CORPUS.jsonl -o OUT.geojson`)
   over the articles' id/text/published, scored by the shared score_equipment.py (row P/R/F1,
   count, status and actor accuracy over matched rows).
2. re3d-public-domain.jsonl: the gold platform-quantity links ("14 ISIL tanks") of the
   MilitaryPlatform and Vehicle kinds; a link is found when an extracted row's mention overlaps
   the gold equipment span, and right when its count equals the gold quantity.
Prints one JSON line per part, with articles/s (process start included).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(ROOT))


def run_extract(corpus: Path, output: Path) -> float:
    tracker = shutil.which("tracker") or str(Path(sys.executable).with_name("tracker"))
    started = time.perf_counter()
    result = subprocess.run([tracker, "extract", str(corpus), "-o", str(output)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"tracker extract failed ({result.returncode}): {result.stderr[-2000:]}")
    return time.perf_counter() - started


def text_corpus(source: Path, target: Path) -> int:
    count = 0
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as out:
        for line in rows:
            if line.strip():
                row = json.loads(line)
                out.write(json.dumps({k: row[k] for k in ("id", "text", "published") if k in row}) + "\n")
                count += 1
    return count


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
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_equipment

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in ("deployments-dev", "re3d-public-domain"):
            corpus = folder / f"{name}.jsonl"
            count = text_corpus(args.bench / "equipment" / f"{name}.jsonl", corpus)
            output = folder / f"{name}.geojson"
            seconds = run_extract(corpus, output)
            if name == "deployments-dev":
                scores = score_equipment.score(score_equipment.load_gold(str(args.bench / "equipment" / f"{name}.jsonl")),
                                               score_equipment.load_pred(str(output)))
                scores = {"part": "deployments-dev rows", **scores}
            else:
                features = json.loads(output.read_text(encoding="utf-8"))["features"]
                places = output.with_name(f"{output.stem}.places.geojson")
                scores = score_re3d(args.bench / "equipment" / f"{name}.jsonl", features)
                scores["places"] = len(json.loads(places.read_text(encoding="utf-8"))["features"])
            scores.update(articles=count, seconds=round(seconds, 1), articles_per_s=round(count / seconds, 1))
            print(json.dumps(scores), flush=True)


if __name__ == "__main__":
    main()
