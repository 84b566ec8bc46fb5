"""Articles per second by engine, and ingest rates into GeoPackage and PostGIS.

    python benchmarks/engines.py [--corpus ../shared/bench/geoparse/geovirus.jsonl] [--postgres URL]

Runs the real command line on a real news corpus (id/text rows only):
`tracker extract` with the local engine and with Dask on 1 and 2 workers (process and cluster
start included; the outputs must be byte-identical), then `tracker ingest` into a new GeoPackage
and, given --postgres, into PostGIS. Prints one JSON line per run.
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
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "geoparse" / "geovirus.jsonl"


def tracker(*args: str) -> float:
    command = [shutil.which("tracker") or str(Path(sys.executable).with_name("tracker")), *args]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--postgres", help="postgresql:// URL of a scratch database (its tables are replaced)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus = folder / "corpus.jsonl"
        count = 0
        with args.corpus.open(encoding="utf-8") as source, corpus.open("w", encoding="utf-8") as out:
            for line in source:
                if line.strip():
                    row = json.loads(line)
                    out.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
                    count += 1
        outputs = {}
        for name, options in (("local", ["--engine", "local"]), ("dask-1", ["--engine", "dask", "--workers", "1"]),
                              ("dask-2", ["--engine", "dask", "--workers", "2"])):
            output = folder / f"{name}.geojson"
            seconds = tracker("extract", str(corpus), "-o", str(output), "--batch-size", "64", *options)
            outputs[name] = output.read_bytes()
            print(json.dumps({"run": f"extract {name}", "articles": count, "seconds": round(seconds, 1),
                              "articles_per_s": round(count / seconds, 1),
                              "same_rows_as_local": outputs[name] == outputs["local"]}), flush=True)
        store = folder / "store.gpkg"
        seconds = tracker("ingest", str(corpus), "--store", str(store), "--batch-size", "64")
        print(json.dumps({"run": "ingest gpkg", "articles": count, "seconds": round(seconds, 1),
                          "articles_per_s": round(count / seconds, 1)}), flush=True)
        seconds = tracker("ingest", str(corpus), "--store", str(store))
        print(json.dumps({"run": "re-ingest gpkg (all skipped)", "articles": count, "seconds": round(seconds, 1)}))
        if args.postgres:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as connection:
                for table in ("articles", "deployments", "places"):
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
            seconds = tracker("ingest", str(corpus), "--store", args.postgres, "--batch-size", "64")
            print(json.dumps({"run": "ingest postgis", "articles": count, "seconds": round(seconds, 1),
                              "articles_per_s": round(count / seconds, 1)}), flush=True)


if __name__ == "__main__":
    main()
