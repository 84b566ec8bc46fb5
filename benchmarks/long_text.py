"""Time the geoparser on one long text that names thousands of places.

    python benchmarks/long_text.py [--sentences 20000] [--seed 1]

A long report, a book chapter or hostile input can name thousands of distinct places in one
"article"; the resolver's context features compare each candidate with the places chosen for the
article's other names, which grows with the square of that count unless the comparison is
bounded. The text is made here, seeded: sentences "Officials in <town> and <first word of a
town> met", the towns drawn from the bundled gazetteer's populated places with a two-word name
and more than 5,000 people. The script prints the text's size, the toponyms found, the seconds
taken in this process (the gazetteer and filter loaded beforehand) and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import time

from tracker.pipelines.geoparse import default_geoparser
from tracker.common.resources import data_file


def long_text(sentences: int, seed: int) -> str:
    with sqlite3.connect(data_file("gazetteer.sqlite")) as db:
        towns = [row[0] for row in db.execute(
            "SELECT name FROM places WHERE feature_class = 'P' AND name LIKE '% %' AND population > 5000 "
            "ORDER BY id LIMIT 3000")]
    chooser = random.Random(seed)
    return ". ".join(f"Officials in {chooser.choice(towns)} and {chooser.choice(towns).split()[0]} met"
                     for _ in range(sentences))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    text = long_text(args.sentences, args.seed)
    geoparser = default_geoparser()
    geoparser("Officials in Latakia met.")  # load the filter and the ranker before timing
    started = time.perf_counter()
    toponyms = geoparser(text)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"characters": len(text), "toponyms": len(toponyms), "seconds": round(seconds, 1),
                      "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
