"""Issue 24 end to end: a hostile feed cannot stall `tracker ingest` (nor a watch loop).

    python benchmarks/hostile_feed.py [--timeout 10] [--root PATH]

Serves, on 127.0.0.1 only, the site of ``tests/hostile_site.py`` at the issue's sizes: a feed of four
items (a page that sends a few bytes every half second for five minutes, a gzip bomb of 2 GiB of
zeros in about 2 MB, a redirect to file:///etc/passwd, and a good article about helicopters arriving
near Latakia), and an entity-bomb feed. Runs ``tracker ingest FEED --store s.gpkg --timeout 10`` on
each as a subprocess, and prints wall time, the child's peak RSS (``getrusage(RUSAGE_CHILDREN)``),
the warnings, the rows stored, and whether the issue's bounds hold (hostile feed: ≤ 90 s, < 1 GB,
no traceback, the helicopters stored; entity bomb: ≤ 30 s). ``--root`` runs another checkout of
the tracker (e.g. an older commit unpacked with ``git archive``) against the same site. Every
subprocess has a time limit and the server stops with the script; exits 1 if a bound is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_site import serve_hostile_site  # noqa: E402 (the tests' site, at the issue's sizes)
from local_server import LocalServer  # noqa: E402

BOMB_BYTES = 2 * 1024 ** 3
TRICKLE_SECONDS = 300.0
RUN_LIMIT = 900.0  # seconds: a run that takes longer is stopped and reported


def run_ingest(root: Path, feed: str, store: Path, timeout: float) -> tuple[float, int, str, int]:
    """Wall seconds, the exit code, stderr, and the child's peak RSS in bytes (Linux: ru_maxrss in KiB)."""
    environment = {**os.environ, "PYTHONPATH": str(root)}
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "tracker.cli.main", "ingest", feed, "--store", str(store),
                                 "--timeout", f"{timeout:g}"], capture_output=True, text=True, timeout=RUN_LIMIT,
                                env=environment, cwd=root)
        code, stderr = result.returncode, result.stderr
    except subprocess.TimeoutExpired as expired:
        code, stderr = -1, f"stopped after {RUN_LIMIT:g} s\n{expired.stderr or ''}"
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return wall, code, stderr, peak


def stored(store: Path) -> tuple[int, list[tuple]]:
    """Articles stored, and the deployment rows (category, count, actor, place)."""
    if not store.exists():
        return 0, []
    with sqlite3.connect(store) as connection:
        articles = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        rows = connection.execute("SELECT category, count, actor, place FROM deployments").fetchall()
    return articles, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="--timeout given to tracker ingest (default 10)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tracker checkout to run (default: this one)")
    args = parser.parse_args()

    started = time.monotonic()
    with LocalServer() as server, tempfile.TemporaryDirectory(prefix="hostile-feed-") as folder:
        serve_hostile_site(server, bomb_bytes=BOMB_BYTES, trickle_seconds=TRICKLE_SECONDS)
        bomb = server.routes["/news/bomb"].body
        print(f"site ready in {time.monotonic() - started:.1f} s: gzip bomb {len(bomb) / 1e6:.1f} MB "
              f"-> {BOMB_BYTES / 1024 ** 3:g} GiB, trickle {TRICKLE_SECONDS:g} s, {args.root}")
        failures = []
        cases = (("hostile feed", "/hostile.xml", 90.0), ("entity-bomb feed", "/entity-bomb.xml", 30.0))
        for name, path, limit in cases:
            store = Path(folder) / f"{path.strip('/').split('.')[0]}.gpkg"
            wall, code, stderr, peak = run_ingest(args.root, server.url(path), store, args.timeout)
            articles, rows = stored(store)
            print(f"\n{name}: tracker ingest {server.url(path)} --store {store.name} --timeout {args.timeout:g}")
            print(f"  wall {wall:.1f} s, exit code {code}, peak RSS of the child {peak / 1024 ** 2:.0f} MB "
                  f"(the largest child so far), {articles} articles and {len(rows)} deployment rows stored")
            for line in stderr.strip().splitlines():
                print(f"  | {line[:220]}")
            for row in rows:
                print(f"  row: {row}")
            if wall > limit:
                failures.append(f"{name}: {wall:.0f} s > {limit:g} s")
            if "Traceback" in stderr:
                failures.append(f"{name}: a traceback")
            if peak >= 1024 ** 3:
                failures.append(f"{name}: peak RSS {peak / 1024 ** 2:.0f} MB >= 1 GB")
            if path == "/hostile.xml" and not any(row[0] == "helicopter" for row in rows):
                failures.append(f"{name}: the good article's helicopters are not stored")
    print("\n" + ("all bounds of issue 24 hold" if not failures else "MISSED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
