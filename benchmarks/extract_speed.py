"""Time `tracker geoparse`, `extract` and `ingest` side by side on the same news, process start included.

    python benchmarks/extract_speed.py [--articles 1020] [--processes 1 2] [--postgres URL]

The articles are the texts of the general news corpora in ../shared/bench/geoparse (625 distinct
articles: local and world news, epidemics), taken in turn until the count is reached, each with its
own id, so most articles name no military equipment, as in a day of news feeds. Each command runs
under /usr/bin/time -v, in a fresh output or store: articles/s and the peak resident memory of the
largest single process (with --processes N the workers are forks sharing the parent's pages).

`ingest` is measured into a new GeoPackage, and into PostGIS when --postgres (or
TRACKER_TEST_POSTGRES) names a server: the tables go to a schema of this run's own, dropped after.
Nothing here touches the network beyond that local server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geoparse import DEFAULT_BENCH, timed  # noqa: E402
from geoparse_speed import build_corpus  # noqa: E402


def tracker_command(*args: str) -> list[str]:
    tracker = shutil.which("tracker") or str(Path(sys.executable).with_name("tracker"))
    return [tracker, *args]


def postgres_schema(url: str) -> tuple[str, str]:
    """A fresh schema on the server: (store URL whose tables go there, schema name)."""
    import psycopg

    schema = f"tracker_speed_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        try:
            connection.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public")
        except psycopg.errors.UniqueViolation:
            pass
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema},public", schema


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--articles", type=int, default=1020)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_TEST_POSTGRES"),
                        help="a PostgreSQL/PostGIS server URL for the PostGIS ingest (default: TRACKER_TEST_POSTGRES)")
    parser.add_argument("--verbs", nargs="+", default=["geoparse", "extract", "ingest-gpkg", "ingest-postgis"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus = folder / "speed.jsonl"
        distinct = build_corpus(args.bench, args.articles, corpus)
        for processes in args.processes:
            for verb in args.verbs:
                schema = None
                if verb == "geoparse":
                    command = tracker_command("geoparse", str(corpus), "-o", str(folder / "out.jsonl"),
                                              "--processes", str(processes))
                elif verb == "extract":
                    command = tracker_command("extract", str(corpus), "-o", str(folder / "out.gpkg"),
                                              "--processes", str(processes))
                elif verb == "ingest-gpkg":
                    store = folder / f"store-{processes}.gpkg"
                    command = tracker_command("ingest", str(corpus), "--store", str(store), "--processes",
                                              str(processes))
                elif verb == "ingest-postgis":
                    if not args.postgres:
                        print(json.dumps({"verb": verb, "skipped": "no --postgres server named"}), flush=True)
                        continue
                    url, schema = postgres_schema(args.postgres)
                    command = tracker_command("ingest", str(corpus), "--store", url, "--processes", str(processes))
                else:
                    sys.exit(f"unknown verb {verb!r}")
                try:
                    seconds, peak_mb = timed(command)
                finally:
                    if schema:
                        drop_schema(args.postgres, schema)
                print(json.dumps({"verb": verb, "processes": processes, "articles": args.articles,
                                  "distinct_texts": distinct, "seconds": round(seconds, 2),
                                  "articles_per_s": round(args.articles / seconds, 1),
                                  "peak_mb": round(peak_mb) if peak_mb else None}), flush=True)


if __name__ == "__main__":
    main()
