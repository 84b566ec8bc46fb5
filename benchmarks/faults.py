"""The fault matrix of issue 17: what the tracker does to the user's files and stores when things
go wrong — concurrent writers, a full disk, read-only targets, links and devices, kill -9, locks.

    python benchmarks/faults.py [--repeat 3] [--postgres postgresql://…]

Every case runs the real command line (``python -m tracker.cli.main``) and checks the exit code
and what is left on disk: the old file intact, no temporary files, each text stored once, a store
that passes ``PRAGMA integrity_check``. Disk-full cases mount a 1 MB tmpfs and read-only cases a
read-only bind mount; both need root and are reported as skipped otherwise. Prints a Markdown
table (the one in the README) and exits 1 if any case failed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "nbc-2015-09-18-russia-syria-helicopters.txt"
TOWNS = ["Kharkiv", "Odesa", "Mariupol", "Latakia", "Homs", "Aleppo", "Tartus", "Sevastopol", "Donetsk", "Kherson"]


def tracker(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tracker.cli.main", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def corpus(path: Path, count: int, prefix: str = "a") -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            town = TOWNS[i % len(TOWNS)]
            text = f"Officials said on day {i} that {i % 9 + 2} Russian tanks arrived in {town}, near the border."
            handle.write(json.dumps({"id": f"{prefix}{i}", "text": text, "published": f"2024-03-{i % 28 + 1:02d}"}) + "\n")
    return path


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def texts_stored(location: str) -> tuple[int, int]:
    if location.startswith("postgres"):
        import psycopg

        with psycopg.connect(location) as connection:
            return connection.execute("SELECT count(*), count(DISTINCT text_hash) FROM articles").fetchone()
    with sqlite3.connect(location) as connection:
        return connection.execute("SELECT count(*), count(DISTINCT text_hash) FROM articles").fetchone()


class Skip(Exception):
    """A case that cannot run here (not root, no tmpfs, no PostgreSQL)."""


@contextmanager
def small_disk(folder: Path, free: int):
    """A 1 MB tmpfs at ``folder``, filled until about ``free`` bytes are left."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                                           capture_output=True).returncode:
        raise Skip("needs root to mount a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int) -> None:
    status = os.statvfs(folder)
    with open(folder / "filler", "wb") as handle:
        try:
            handle.write(b"\0" * max(0, status.f_bavail * status.f_frsize - leave))
        except OSError:
            pass


@contextmanager
def read_only(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True).returncode:
        raise Skip("cannot make a read-only bind mount")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# ---------------------------------------------------------------------------- cases
# Each returns (exit codes seen, what was checked, passed?).


def concurrent_outputs(work: Path, repeat: int):
    source = corpus(work / "c.jsonl", 400)
    other = corpus(work / "d.jsonl", 300, prefix="b")
    target = work / "out.jsonl"
    codes = set()
    for _ in range(repeat):
        runs = [start("geoparse", str(source), "-o", str(target)), start("geoparse", str(other), "-o", str(target))]
        for run in runs:
            run.communicate(timeout=600)
            codes.add(run.returncode)
        ids = [json.loads(line)["id"] for line in target.read_text().splitlines()]
        if {i[0] for i in ids} not in ({"a"}, {"b"}) or len(ids) not in (400, 300) or hidden(work):
            return codes, "output mixes two runs or temp files left", False
    return codes, f"{repeat}x: output is one whole run, no temp files", codes == {0}


def concurrent_ingests(work: Path, repeat: int, location: Callable[[int], str]):
    codes = set()
    for attempt in range(repeat):
        store = location(attempt)
        runs = [start("ingest", str(corpus(work / f"{p}{attempt}.jsonl", 12, prefix=p)), "--store", store,
                      "--batch-size", "4") for p in ("a", "b")]
        for run in runs:
            run.communicate(timeout=900)
            codes.add(run.returncode)
        if texts_stored(store) != (12, 12):
            return codes, f"texts stored {texts_stored(store)}, expected (12, 12)", False
    return codes, f"{repeat}x: new store created once, each text stored once", codes == {0}


def disk_full_output(work: Path, verb: str, suffix: str):
    with small_disk(work / "small", 0) as disk:
        target = disk / f"out{suffix}"
        target.write_text("old")
        fill(disk, 6 * 1024)
        source = corpus(work / "c.jsonl", 400)
        result = tracker(verb, str(source), "-o", str(target))
        kept = target.read_text() == "old"
        clean = hidden(disk) == []
        named = any(cause in result.stderr for cause in ("No space left", "disk is full", "does not read back"))
        return ({result.returncode}, f"old file kept: {kept}, no temp: {clean}, cause named: {named}",
                result.returncode == 6 and kept and clean and named)


def disk_full_store(work: Path, existing: bool):
    with small_disk(work / "small", 0) as disk:
        store = disk / "s.gpkg"
        if existing:
            tracker("ingest", str(corpus(work / "first.jsonl", 2, prefix="f")), "--store", str(store))
            fill(disk, 24 * 1024)
            source = work / "long.jsonl"
            source.write_text("".join(json.dumps({"id": f"l{i}", "text": f"Tanks in Homs, report {i}. " * 100}) + "\n"
                                      for i in range(20)))
        else:
            fill(disk, 2 * 1024)
            source = corpus(work / "c.jsonl", 4)
        result = tracker("ingest", str(source), "--store", str(store), "--batch-size", "20")
        ok = result.returncode == 7 and "Traceback" not in result.stderr
        if existing:
            with sqlite3.connect(store) as connection:
                integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            ok = ok and integrity == "ok" and "disk is full" in result.stderr
            return {result.returncode}, f"real cause named, integrity {integrity}", ok
        left = sorted(p.name for p in disk.iterdir() if p.name != "filler")
        return {result.returncode}, f"nothing left behind: {left == []}", ok and left == []


def read_only_target(work: Path):
    source = corpus(work / "c.jsonl", 3)
    with read_only(work / "ro") as folder:
        runs = {"geoparse": tracker("geoparse", str(source), "-o", str(folder / "p.jsonl")).returncode,
                "extract .gpkg": tracker("extract", str(source), "-o", str(folder / "e.gpkg")).returncode,
                "map": tracker("map", str(source), "-o", str(folder / "m.html")).returncode,
                "ingest (new store)": tracker("ingest", str(source), "--store", str(folder / "s.gpkg")).returncode}
        empty = list(folder.iterdir()) == []
    expected = {"geoparse": 6, "extract .gpkg": 6, "map": 6, "ingest (new store)": 7}
    return set(runs.values()), ", ".join(f"{k} {v}" for k, v in runs.items()), runs == expected and empty


def links_and_devices(work: Path):
    before = os.stat("/dev/null")
    results = [tracker("geoparse", str(SAMPLE), "-o", "/dev/null").returncode]
    real = work / "real.jsonl"
    real.write_text("old")
    (work / "link.jsonl").symlink_to(real)
    results.append(tracker("geoparse", str(SAMPLE), "-o", str(work / "link.jsonl")).returncode)
    fifo = work / "fifo.jsonl"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    results.append(tracker("geoparse", str(SAMPLE), "-o", str(fifo)).returncode)
    data = reader.communicate(timeout=60)[0]
    after = os.stat("/dev/null")
    ok = (stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and (work / "link.jsonl").is_symlink()
          and real.read_text().startswith('{"id"') and stat.S_ISFIFO(os.stat(fifo).st_mode) and data)
    return set(results), "/dev/null still the device, link kept and its file written, FIFO fed", ok and results == [0] * 3


def output_is_input(work: Path):
    source = corpus(work / "in.jsonl", 2)
    before = source.read_bytes()
    result = tracker("geoparse", str(source), "-o", str(source))
    return {result.returncode}, "input untouched", result.returncode == 6 and source.read_bytes() == before


def kill_output(work: Path):
    source = corpus(work / "big.jsonl", 4000)
    target = work / "out.jsonl"
    target.write_text("old")
    run = start("geoparse", str(source), "-o", str(target))
    deadline = time.time() + 120
    while time.time() < deadline and not hidden(work):
        time.sleep(0.05)
    time.sleep(0.5)
    run.send_signal(signal.SIGKILL)
    run.wait()
    kept = target.read_text() == "old"
    return {-9}, f"old file kept: {kept} (a hidden temp file stays: {bool(hidden(work))})", kept


def kill_ingest(work: Path):
    source = corpus(work / "c.jsonl", 40)
    store = work / "s.gpkg"
    run = start("ingest", str(source), "--store", str(store), "--batch-size", "2")
    deadline = time.time() + 600
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            if store.exists() and texts_stored(str(store))[0] >= 4:
                break
        except sqlite3.Error:
            continue
    run.send_signal(signal.SIGKILL)
    run.wait()
    with sqlite3.connect(store) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    rerun = tracker("ingest", str(source), "--store", str(store), "--batch-size", "2")
    return ({-9, rerun.returncode}, f"integrity {integrity}; re-run completes: {texts_stored(str(store))}",
            integrity == "ok" and rerun.returncode == 0 and texts_stored(str(store)) == (40, 40))


def locked_store(work: Path):
    store = work / "s.gpkg"
    tracker("ingest", str(corpus(work / "first.jsonl", 1, prefix="f")), "--store", str(store))
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = tracker("ingest", str(corpus(work / "c.jsonl", 2)), "--store", str(store),
                         env={"TRACKER_LOCK_TIMEOUT": "1"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return {result.returncode}, "lock named, waited 1 s", result.returncode == 7 and "locked" in result.stderr


@contextmanager
def postgres_schema(url: str | None):
    """A schema of its own in the given database (so other users of it are not touched), dropped after."""
    if not url:
        raise Skip("no --postgres URL")
    import psycopg

    schema = f"faults_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema, f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema},public"
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def concurrent_postgres_ingests(work: Path, repeat: int, url: str | None):
    import psycopg

    with postgres_schema(url) as (schema, store_url):
        def location(attempt: int) -> str:
            with psycopg.connect(url, autocommit=True) as connection:
                for table in ("articles", "deployments", "places"):
                    connection.execute(f"DROP TABLE IF EXISTS {schema}.{table} CASCADE")
            return store_url

        return concurrent_ingests(work, repeat, location)


def locked_postgres(work: Path, url: str | None):
    import psycopg

    with postgres_schema(url) as (schema, store_url):
        tracker("ingest", str(corpus(work / "first.jsonl", 1, prefix="f")), "--store", store_url)
        with psycopg.connect(url) as holder:
            holder.execute(f"LOCK TABLE {schema}.articles IN ACCESS EXCLUSIVE MODE")
            result = tracker("ingest", str(corpus(work / "c.jsonl", 2)), "--store", store_url,
                             env={"TRACKER_LOCK_TIMEOUT": "1"})
            holder.rollback()
    return ({result.returncode}, "lock named, waited 1 s",
            result.returncode == 7 and "locked by another session" in result.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each race (default: 3)")
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_TEST_POSTGRES"),
                        help="a PostgreSQL URL for the PostGIS cases (default: $TRACKER_TEST_POSTGRES)")
    args = parser.parse_args()
    cases: list[tuple[str, str, Callable[[Path], tuple]]] = [
        ("concurrent writers", "two `geoparse -o` of one file at once", lambda w: concurrent_outputs(w, args.repeat)),
        ("concurrent writers", "two `ingest` of the same texts (other ids) into a new GeoPackage",
         lambda w: concurrent_ingests(w, args.repeat, lambda i: str(w / f"s{i}.gpkg"))),
        ("concurrent writers", "the same into a new PostGIS store",
         lambda w: concurrent_postgres_ingests(w, args.repeat, args.postgres)),
        ("disk full", "`extract -o out.kml`", lambda w: disk_full_output(w, "extract", ".kml")),
        ("disk full", "`geoparse -o out.jsonl`", lambda w: disk_full_output(w, "geoparse", ".jsonl")),
        ("disk full", "`ingest` into a new store", lambda w: disk_full_store(w, existing=False)),
        ("disk full", "`ingest` into an existing store", lambda w: disk_full_store(w, existing=True)),
        ("read-only target", "geoparse, extract .gpkg, map, ingest", read_only_target),
        ("links and devices", "`-o /dev/null`, a symlink, a FIFO", links_and_devices),
        ("output is an input", "`geoparse in.jsonl -o in.jsonl`", output_is_input),
        ("kill -9", "mid `geoparse -o` over an old file", kill_output),
        ("kill -9", "mid `ingest`, then a re-run", kill_ingest),
        ("lock", "`ingest` while another writer holds the GeoPackage", locked_store),
        ("lock", "`ingest` while another session holds a PostGIS table", lambda w: locked_postgres(w, args.postgres)),
    ]
    rows, failed = [], 0
    for fault, case, run in cases:
        began = time.time()
        with tempfile.TemporaryDirectory(prefix="tracker-faults-") as folder:
            try:
                codes, checked, passed = run(Path(folder))
                verdict = "pass" if passed else "FAIL"
            except Skip as reason:
                codes, checked, verdict = set(), f"skipped: {reason}", "skip"
        failed += verdict == "FAIL"
        rows.append((fault, case, ", ".join(str(c) for c in sorted(codes)) or "–", checked, verdict,
                     f"{time.time() - began:.0f} s"))
        print(f"{verdict:4}  {fault}: {case} -> {rows[-1][2]} ({checked})", file=sys.stderr, flush=True)
    print("| fault | case | exit | checked | result | time |")
    print("|---|---|---|---|---|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
