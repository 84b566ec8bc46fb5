"""Print, per article, the gold rows beside the predicted rows of a kept `benchmarks/equipment.py` run.

    python benchmarks/equipment.py --keep out/ --parts rows
    python benchmarks/equipment_errors.py ../shared/bench/equipment/public-domain-dev.jsonl out/public-domain-dev.geojson [--half check]

A gold row without a match is marked ``MISS``, a predicted row without one ``FALSE``; matched
rows show where count, status or actor differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from equipment import DEFAULT_BENCH, split_of  # noqa: E402


def _describe(row: dict) -> str:
    count = row.get("count")
    return (f"{row.get('category')}/{row.get('role')} {row.get('model') or '-'} n={count} {row.get('actor')} "
            f"{row.get('status')} @ {row.get('place')} ({row.get('lat')}, {row.get('lon')})"
            + (f" from {row['origin']}" if row.get("origin") else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred", type=Path)
    parser.add_argument("--half", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_equipment

    gold = score_equipment.load_gold(str(args.gold))
    pred = score_equipment.load_pred(str(args.pred))
    for article_id, rows in gold.items():
        if args.half != "all" and split_of(article_id) != args.half:
            continue
        predicted = [p for p in pred.get(article_id, []) if p.get("category") in score_equipment.CATEGORIES]
        used: set[int] = set()
        lines = []
        for row in rows:
            options = [i for i, p in enumerate(predicted) if i not in used and score_equipment.compatible(row, p)]
            options.sort(key=lambda i: (predicted[i].get("count") != row.get("count"),))
            if not options:
                lines.append(f"  MISS  {_describe(row)}  «{row.get('evidence', '')}»")
                continue
            used.add(options[0])
            match = predicted[options[0]]
            wrong = [k for k in ("count", "actor") if match.get(k) != row.get(k)]
            if score_equipment.norm_status(match.get("status")) != score_equipment.norm_status(row.get("status")):
                wrong.append("status")
            if wrong:
                lines.append(f"  DIFF  {','.join(wrong)}: gold {_describe(row)}\n              pred {_describe(match)}")
        for i, p in enumerate(predicted):
            if i not in used:
                lines.append(f"  FALSE {_describe(p)}  «{(p.get('quote') or '')[:160]}»")
        if lines:
            print(f"== {article_id}")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
