#!/usr/bin/env python3
"""Score `tracker geoparse` on the event notes written for issue 21, with the shared scorer.

    python benchmarks/conflict_notes.py [--bench ../shared/bench] [--tracker PATH] [--split all|tune|check]

Runs the real command line on ``benchmarks/conflict_notes.jsonl`` (given as plain id/text rows)
and prints one JSON line for all notes and one per pattern (area named after the village, a
word of a longer name, the note's country, namesakes in the country, news-style controls), by
``../shared/bench/score_geoparse.py``, with how many found names were placed at the area written
after them (feature code ``AREA``) and how many stay unplaced. ``--tracker`` runs another checkout's command (a baseline).
The notes are written by us to exercise the rules of issue 21: they measure those rules, not
conflict reporting at large (the ACLED gold stays private).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from geoparse import split_of  # noqa: E402

NOTES = HERE / "conflict_notes.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=HERE.parent.parent / "shared" / "bench")
    parser.add_argument("--tracker", default=shutil.which("tracker") or str(Path(sys.executable).with_name("tracker")))
    parser.add_argument("--split", choices=("all", "tune", "check"), default="all")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    from score_geoparse import score  # the shared scorer

    gold = {}
    for line in NOTES.read_text(encoding="utf-8").splitlines():
        note = json.loads(line)
        if args.split == "all" or split_of(note["id"]) == args.split:
            gold[note["id"]] = note
    with tempfile.TemporaryDirectory() as scratch:
        texts, predictions = Path(scratch) / "notes.jsonl", Path(scratch) / "pred.jsonl"
        texts.write_text("".join(json.dumps({"id": i, "text": n["text"]}) + "\n" for i, n in gold.items()), encoding="utf-8")
        subprocess.run([args.tracker, "geoparse", str(texts), "--format", "jsonl", "-o", str(predictions)], check=True)
        predicted = {}
        for line in predictions.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            predicted[str(row["id"])] = row
    patterns = sorted({n["pattern"] for n in gold.values()})
    for pattern in ("all", *patterns):
        part = {i: n for i, n in gold.items() if pattern == "all" or n["pattern"] == pattern}
        found = [t for i in part for t in predicted.get(i, {}).get("toponyms", []) if t.get("mention") != "adjective"]
        at_area = sum(1 for t in found if t.get("feature_code") == "AREA")
        unplaced = sum(1 for t in found if t.get("lat") is None)
        print(json.dumps({"pattern": pattern, "split": args.split, **score(part, predicted),
                          "found_names": len(found), "placed_at_area": at_area, "unplaced": unplaced}))


if __name__ == "__main__":
    main()
