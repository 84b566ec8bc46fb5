"""A longer fuzz run over ingest and extraction than the test suite makes.

    python benchmarks/fuzz_ingest.py [--examples 3000]

Random bytes (and mutated real samples) are written as .txt, .html, .jsonl and .csv files and
read with tracker.read_articles, each article then extracted. Anything other than a one-line
InputError is a crash: the input is saved under tests/regressions/ (replayed by the tests) and
reported. Prints a JSON line with the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tracker.errors import InputError  # noqa: E402
from tracker.pipelines.extract import default_extractor  # noqa: E402
from tracker.sources.files import read_articles  # noqa: E402

REGRESSIONS = ROOT / "tests" / "regressions"
SAMPLE = (ROOT / "data" / "samples" / "nbc-2015-09-18-russia-syria-helicopters.txt").read_bytes()


def mutated_sample(data: st.DataObject) -> bytes:
    raw = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(0, 20))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    return bytes(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=3000)
    args = parser.parse_args()
    stats = {"inputs": 0, "articles": 0, "input_errors": 0, "crashes": 0}
    extractor = default_extractor()
    folder = Path(tempfile.mkdtemp(prefix="tracker-fuzz-"))

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data(), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv"]))
    def run(data, suffix):
        raw = data.draw(st.one_of(st.binary(max_size=2000), st.builds(lambda: b"").map(lambda _: mutated_sample(data)),
                                  st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))))
        path = folder / f"input{suffix}"
        path.write_bytes(raw)
        stats["inputs"] += 1
        errors: list[InputError] = []
        try:
            for article in read_articles([path], on_error=errors.append):
                stats["articles"] += 1
                extractor(article)
        except Exception:  # a crash: keep the input as a regression case
            stats["crashes"] += 1
            name = f"fuzz-{hashlib.sha1(raw).hexdigest()[:10]}{suffix}"
            (REGRESSIONS / name).write_bytes(raw)
            print(f"crash kept as tests/regressions/{name}:\n{traceback.format_exc(limit=3)}", file=sys.stderr)
        stats["input_errors"] += len(errors)

    run()
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
