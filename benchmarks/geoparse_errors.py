"""Sort the errors of a geoparse run into kinds, for the error analysis in benchmarks/README.md.

    python benchmarks/geoparse.py --corpora pooled-dev --keep out/
    python benchmarks/geoparse_errors.py out/pooled-dev.gold.jsonl out/pooled-dev.pred.jsonl [--examples 20]

Missed gold names are split by what the gazetteer holds for them (nothing; a place within
161 km of the gold point; only places farther away; only an adjective). Names placed more than
161 km off are split by whether a candidate within 161 km existed (a ranking error) or not (a
point convention or a missing place), with countries and regions counted apart, and sites
(streets, buildings placed in their town) apart.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geoparse import DEFAULT_BENCH  # noqa: E402

from tracker.gazetteer.index import NAME_ADJECTIVE, default_gazetteer  # noqa: E402

AREA_CODES = {"PCLI", "ADM1", "CONT", "RGN"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred", type=Path)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--examples", type=int, default=10, help="examples printed for each kind")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_geoparse as scorer

    gold, pred = scorer.load(str(args.gold)), scorer.load(str(args.pred))
    gazetteer = default_gazetteer()
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)

    def near(toponym, place) -> bool:
        return scorer.haversine(toponym["lat"], toponym["lon"], place.lat, place.lon) <= 161

    for article_id, article in gold.items():
        text = article["text"]
        predicted = pred.get(article_id, {}).get("toponyms", [])
        for toponym in (t for t in article["toponyms"] if t.get("type") not in scorer.NEUTRAL_TYPES):
            overlapping = [p for p in predicted if p["start"] < toponym["end"] and toponym["start"] < p["end"]]
            candidates = gazetteer.lookup(toponym["name"])
            places = [c.place for c in candidates if c.name_kind != NAME_ADJECTIVE]
            has_point = toponym.get("lat") is not None
            if not overlapping:
                if not candidates:
                    kind = "missed: not in the gazetteer"
                elif not places:
                    kind = "missed: adjective only"
                elif has_point and any(near(toponym, p) for p in places):
                    kind = "missed: in the gazetteer"
                else:
                    kind = "missed: gazetteer has only far places"
                context = text[max(0, toponym["start"] - 40):toponym["end"] + 30].replace("\n", " ")
                detail = f"{toponym['name']!r}: …{context}…"
            else:
                found = overlapping[0]
                if not has_point:
                    continue
                if found.get("lat") is None:
                    kind = "recognised, not placed"
                elif scorer.haversine(toponym["lat"], toponym["lon"], found["lat"], found["lon"]) <= 161:
                    continue
                elif found.get("feature_code") == "SITE":
                    kind = "placed off: site in the wrong town"
                elif any(near(toponym, p) for p in places):
                    kind = "placed off: right candidate not chosen"
                elif found.get("feature_code") in AREA_CODES:
                    kind = "placed off: a country or region, none near the gold point"
                else:
                    kind = "placed off: no candidate near the gold point"
                detail = f"{toponym['name']!r} -> {found.get('name')} {found.get('feature_code')} " \
                         f"{found.get('country_code')}"
            kinds[kind] += 1
            if len(examples[kind]) < args.examples:
                examples[kind].append(detail)
    for kind, count in kinds.most_common():
        print(f"{count:5d}  {kind}")
        for detail in examples[kind]:
            print(f"         {detail}")


if __name__ == "__main__":
    main()
