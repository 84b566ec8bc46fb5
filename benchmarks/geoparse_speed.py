"""Time `tracker geoparse` on about 2,000 news articles, process start included.

    python benchmarks/geoparse_speed.py [--articles 2000] [--processes 1 2] [--recognizer gazetteer spacy]

The articles are the texts of every annotated news corpus in ../shared/bench/geoparse (625
distinct articles) taken in turn until the count is reached, each with its own id; the tracker
keeps no cache between articles, so a repeated text costs what it cost the first time. The command
runs under /usr/bin/time -v; the script prints articles/s and the peak resident memory that
time reports (the largest single process: with --processes N the workers are forks that share
the gazetteer pages with the parent).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geoparse import DEFAULT_BENCH, run_tracker  # noqa: E402

from tracker.pipelines.geoparse import RECOGNIZERS  # noqa: E402


def build_corpus(bench: Path, count: int, path: Path) -> int:
    texts = []
    for corpus in sorted((bench / "geoparse").glob("*.jsonl")):
        if corpus.stem == "pooled-dev":
            continue  # the union of the two dev corpora: their articles are read from them
        texts += [json.loads(line)["text"] for line in corpus.open(encoding="utf-8") if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(json.dumps({"id": f"speed-{index}", "text": texts[index % len(texts)]}) + "\n")
    return len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--recognizer", nargs="+", choices=RECOGNIZERS, default=["gazetteer"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "speed.jsonl"
        distinct = build_corpus(args.bench, args.articles, corpus)
        for recognizer in args.recognizer:
            for processes in args.processes:
                seconds, peak_mb = run_tracker(corpus, Path(scratch) / "out.jsonl", processes, recognizer)
                print(json.dumps({"recognizer": recognizer, "processes": processes, "articles": args.articles,
                                  "distinct_texts": distinct, "seconds": round(seconds, 2),
                                  "articles_per_s": round(args.articles / seconds, 1),
                                  "peak_mb": round(peak_mb) if peak_mb else None}), flush=True)


if __name__ == "__main__":
    main()
