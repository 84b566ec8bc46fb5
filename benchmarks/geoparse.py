"""Score `tracker geoparse` on the annotated news corpora and time it.

    python benchmarks/geoparse.py [--bench ../shared/bench] [--corpora pooled-dev geovirus] [--split all|tune|check]
                                  [--recognizer gazetteer|spacy] [--processes N]

For each corpus it runs the real command line (`tracker geoparse CORPUS.jsonl --format jsonl`)
under /usr/bin/time when present, then the shared scorer, and prints one JSON line per corpus:
the scorer's figures plus articles/s (process start included) and peak memory.

--split keeps part of the dev data aside: `tune` is the articles whose id hashes to an even
bucket, `check` the odd ones; weights are chosen on `tune` and reported on `check` as well.
No gold answer is read by the tracker: the corpus is given to it as plain id/text rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_BENCH = ROOT.parent / "shared" / "bench"

from tracker.pipelines.geoparse import RECOGNIZERS  # noqa: E402


def split_of(article_id: str) -> str:
    return "tune" if int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 2 == 0 else "check"


def write_fitted_weights(output: Path, model: str, script: str, **fields) -> None:
    """Write fitted weights with where they come from; only named weights leave a fit."""
    from datetime import date

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({
        "about": f"Weights of {model}, fitted by benchmarks/{script} on the annotated GeoWebNews and LGL "
                 "dev corpora (GPL-3.0 annotations; see ../shared/bench/README.md).",
        "fitted": date.today().isoformat(), **fields,
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {output.relative_to(ROOT)}")


def write_inputs(corpus: Path, split: str, folder: Path) -> tuple[Path, Path, int]:
    """Text-only input for the tracker, and the matching gold subset for the scorer."""
    text_path, gold_path = folder / f"{corpus.stem}.input.jsonl", folder / f"{corpus.stem}.gold.jsonl"
    count = 0
    with corpus.open(encoding="utf-8") as source, text_path.open("w", encoding="utf-8") as text_out, \
            gold_path.open("w", encoding="utf-8") as gold_out:
        for line in source:
            if not line.strip():
                continue
            article = json.loads(line)
            if split != "all" and split_of(str(article["id"])) != split:
                continue
            text_out.write(json.dumps({"id": article["id"], "text": article["text"]}) + "\n")
            gold_out.write(line if line.endswith("\n") else line + "\n")
            count += 1
    return text_path, gold_path, count


def run_tracker(text_path: Path, prediction_path: Path, processes: int = 1,
                recognizer: str = "gazetteer") -> tuple[float, float | None]:
    """Run the CLI; returns (seconds, peak RSS in MB of the main process, or None)."""
    tracker = shutil.which("tracker") or str(Path(sys.executable).with_name("tracker"))
    command = [tracker, "geoparse", str(text_path), "--format", "jsonl", "-o", str(prediction_path),
               "--processes", str(processes), "--recognizer", recognizer]
    return timed(command)


def timed(command: list[str]) -> tuple[float, float | None]:
    """Run a command under /usr/bin/time -v when present: (seconds, peak RSS in MB or None)."""
    timer = Path("/usr/bin/time")
    if timer.exists():
        command = [str(timer), "-v", *command]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"tracker failed ({result.returncode}): {result.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return elapsed, (int(peak.group(1)) / 1024 if peak else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--corpora", nargs="+", default=["geowebnews-dev", "lgl-dev", "pooled-dev", "geovirus"])
    parser.add_argument("--split", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--keep", type=Path, help="folder to keep predictions in")
    parser.add_argument("--processes", type=int, default=1, help="tracker geoparse --processes")
    parser.add_argument("--recognizer", choices=RECOGNIZERS, default="gazetteer",
                        help="tracker geoparse --recognizer")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bench))
    import score_geoparse  # the shared scorer, unchanged

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.corpora:
            corpus = args.bench / "geoparse" / f"{name}.jsonl"
            text_path, gold_path, count = write_inputs(corpus, args.split, folder)
            prediction_path = folder / f"{name}.pred.jsonl"
            seconds, peak_mb = run_tracker(text_path, prediction_path, args.processes, args.recognizer)
            scores = score_geoparse.score(score_geoparse.load(str(gold_path)), score_geoparse.load(str(prediction_path)))
            scores.update(corpus=name, split=args.split, recognizer=args.recognizer, processes=args.processes, seconds=round(seconds, 1),
                          articles_per_s=round(count / seconds, 1),
                          peak_mb=round(peak_mb) if peak_mb else None)
            print(json.dumps(scores), flush=True)


if __name__ == "__main__":
    main()
