"""Issue 17: never lose or corrupt what the user has — outputs, inputs, stores under concurrency —
and exit codes that tell the truth.

Disk-full tests mount a small tmpfs (root only, as in CI); elsewhere they skip saying why.
Race tests repeat a race a bounded number of times, each bounded in time.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.errors import OutputError
from tracker.pipelines.extract import ExtractedArticle
from tracker.models import Article, Deployment

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "nbc-2015-09-18-russia-syria-helicopters.txt"
GOOD = "Four Russian attack helicopters arrived in Latakia on Friday."


def tracker(*args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 300,
            env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, input=stdin, env=env)


def deployment(article_id: str, index: int, **changes) -> Deployment:
    values = dict(article_id=article_id, published="2024-03-01", source=f"{article_id}.txt", title="A title",
                  category="helicopter", role="attack", model="Mi-24", count=4, count_qualifier="exact",
                  count_max=None, actor="Russia", status="arrived", place="Latakia", geonameid=173579,
                  country_code="SY", precision=2, confidence=0.9,
                  quote=f"Four Russian attack helicopters arrived in Latakia ({index}).", start=index, end=index + 4,
                  lat=35.52 + index / 1000, lon=35.79)
    values.update(changes)
    return Deployment(**values)


def extracted(count: int, *, article: str = "a", **changes) -> list[ExtractedArticle]:
    text = GOOD
    return [ExtractedArticle(Article(id=f"{article}{i}", text=text, source=f"{article}{i}.txt"), (),
                             (deployment(f"{article}{i}", i, **changes),), ()) for i in range(count)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or ".tmp" in p.name
                  or "creating" in p.name)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs, or a skip saying why there is none."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("disk-full tests mount a tmpfs and need root (CI runs them as root)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.strip() or result.returncode})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(folder / "filler", "wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
            handle.flush()
        except OSError:
            pass


# ---------------------------------------------------------------------------- 1: links, FIFOs, devices


def test_output_to_dev_null_writes_to_the_device_and_never_replaces_it(tmp_path):
    from tracker.common.atomic import atomic_stream, resolve_target

    before = os.stat("/dev/null")
    real, special = resolve_target("/dev/null")
    assert special and real == Path("/dev/null")
    with atomic_stream("/dev/null") as stream:
        stream.write("nothing")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    result = tracker("geoparse", str(SAMPLE), "-o", "/dev/null", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.stat("/dev/null").st_ino == before.st_ino
    stdout_link = os.lstat("/dev/stdout")
    piped = tracker("geoparse", str(SAMPLE), "-o", "/dev/stdout", cwd=tmp_path)  # stdout is a pipe here
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout.splitlines()[0])["id"] == SAMPLE.name
    assert os.lstat("/dev/stdout").st_ino == stdout_link.st_ino


def test_output_through_a_symlink_writes_the_file_it_points_at(tmp_path):
    from tracker.pipelines.frame import write_extraction

    real = tmp_path / "real" / "out.geojson"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.geojson"
    link.symlink_to(real)
    write_extraction(extracted(2), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(json.loads(real.read_text())["features"]) == 2
    lines = tmp_path / "lines.jsonl"
    lines.symlink_to(real)
    result = tracker("geoparse", str(SAMPLE), "-o", str(lines), cwd=tmp_path)
    assert result.returncode == 0 and lines.is_symlink()
    assert json.loads(real.read_text().splitlines()[0])["id"] == SAMPLE.name


def test_output_to_a_fifo_writes_into_it_and_keeps_the_fifo(tmp_path):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = tracker("geoparse", str(SAMPLE), "-o", str(fifo), cwd=tmp_path, timeout=120)
    data, _ = reader.communicate(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(data.decode().splitlines()[0])["id"] == SAMPLE.name


def test_gdal_outputs_go_through_links_and_into_devices(tmp_path):
    from tracker.pipelines.frame import write_extraction

    real = tmp_path / "target.kml"
    real.write_text("old")
    link = tmp_path / "link.kml"
    link.symlink_to(real)
    write_extraction(extracted(3), link)
    assert link.is_symlink() and real.read_text().count("<Placemark") == 3
    device = tmp_path / "null.gpkg"
    device.symlink_to("/dev/null")
    write_extraction(extracted(3), device)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and device.is_symlink()


# ---------------------------------------------------------------------------- 2: -o equal to an input


@pytest.mark.parametrize("verb, name", [("geoparse", "in.jsonl"), ("extract", "in.csv"), ("report", "in.html"),
                                        ("map", "in.html")])
def test_output_equal_to_an_input_is_refused_before_reading(tmp_path, verb, name):
    source = tmp_path / name
    if name.endswith(".jsonl"):
        content = json.dumps({"id": "x", "text": GOOD}) + "\n"
    elif name.endswith(".csv"):
        content = f"id,text\nx,{GOOD}\n"
    else:
        content = f"<html><body><article><p>{GOOD}</p></article></body></html>"
    source.write_text(content)
    result = tracker(verb, str(source), "-o", str(source), cwd=tmp_path)
    assert result.returncode == 6, result.stderr
    assert "is also an input" in result.stderr
    assert source.read_text() == content


def test_a_report_over_the_store_it_reads_is_refused(tmp_path):
    from tracker.store.database import open_store

    store = tmp_path / "s.gpkg"
    open_store(store, create=True).close()
    before = store.read_bytes()
    result = tracker("report", "--store", str(store), "-o", str(store), cwd=tmp_path)
    assert result.returncode == 6 and "is also an input" in result.stderr and store.read_bytes() == before


def test_output_that_an_input_folder_would_read_is_refused(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "places.jsonl").write_text("precious\n")
    result = tracker("geoparse", str(folder), "-o", str(folder / "places.jsonl"), cwd=tmp_path)
    assert result.returncode == 6 and (folder / "places.jsonl").read_text() == "precious\n"
    hard = tmp_path / "hard.txt"
    os.link(folder / "a.txt", hard)
    result = tracker("geoparse", str(hard), "-o", str(folder / "a.txt"), cwd=tmp_path)
    assert result.returncode == 6 and (folder / "a.txt").read_text() == GOOD


# ---------------------------------------------------------------------------- 3, 13: disk full, read-only


@pytest.mark.parametrize("suffix", [".kml", ".gpkg", ".geojson", ".csv"])
def test_disk_full_during_an_export_keeps_the_old_file_and_leaves_no_temp(small_disk, suffix):
    from tracker.pipelines.frame import write_extraction

    target = small_disk / f"out{suffix}"
    write_extraction(extracted(2), target)
    old = target.read_bytes()
    fill(small_disk, 16 * 1024)
    many = extracted(400)
    with pytest.raises(OutputError, match="cannot be written"):
        write_extraction(many, target)
    assert target.read_bytes() == old
    assert leftovers(small_disk) == []


def test_disk_full_exits_6_for_geoparse_and_report(small_disk, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"r{i}", "text": f"Troops in Latakia and Aleppo, report {i}."}) + "\n"
                              for i in range(300)))
    target = small_disk / "places.jsonl"
    target.write_text("old\n")
    fill(small_disk, 8 * 1024)
    result = tracker("geoparse", str(corpus), "-o", str(target), cwd=tmp_path)
    assert result.returncode == 6, result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "old\n" and leftovers(small_disk) == []


def test_read_only_folder_exits_6_and_leaves_nothing(tmp_path):
    from tracker.pipelines.frame import write_extraction

    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        # root ignores mode bits: a read-only bind mount is the honest read-only folder
        if subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True).returncode:
            pytest.skip("cannot make a read-only folder as root here (mount --bind -o ro)")
        cleanup = lambda: subprocess.run(["umount", "-l", str(folder)], capture_output=True)  # noqa: E731
    else:
        folder.chmod(0o555)
        cleanup = lambda: folder.chmod(0o755)  # noqa: E731
    try:
        for suffix in (".gpkg", ".kml", ".csv", ".geojson"):
            with pytest.raises(OutputError, match="cannot be written"):
                write_extraction(extracted(1), folder / f"out{suffix}")
        result = tracker("geoparse", str(SAMPLE), "-o", str(folder / "p.jsonl"), cwd=tmp_path)
        assert result.returncode == 6, result.stderr
        result = tracker("map", str(SAMPLE), "-o", str(folder / "m.html"), cwd=tmp_path)
        assert result.returncode == 6, result.stderr
        result = tracker("ingest", str(SAMPLE), "--store", str(folder / "s.gpkg"), cwd=tmp_path)
        assert result.returncode == 7 and "cannot be created" in result.stderr, result.stderr
        assert list(folder.iterdir()) == []
    finally:
        cleanup()


# ---------------------------------------------------------------------------- 7: unique temp names


def test_two_writers_of_one_output_never_mix(tmp_path):
    """Bounded race: both writers run at once, five times; the result is always one whole run."""
    target = tmp_path / "out.geojson"
    script = ("import sys; from tests.test_faults import extracted; from tracker.pipelines.frame import write_extraction\n"
              "for _ in range(int(sys.argv[2])): write_extraction(extracted(int(sys.argv[3]), article=sys.argv[1]), "
              f"{str(target)!r})\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for _ in range(5):
        writers = [subprocess.Popen([sys.executable, "-c", script, name, "20", size], env=env, cwd=ROOT,
                                    stderr=subprocess.PIPE)
                   for name, size in (("x", "300"), ("y", "200"))]
        for writer in writers:
            _, error = writer.communicate(timeout=120)
            assert writer.returncode == 0, error.decode()
        features = json.loads(target.read_text())["features"]
        owners = {f["properties"]["article_id"][0] for f in features}
        assert len(owners) == 1 and len(features) == (300 if owners == {"x"} else 200)
        assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------- 17: modes, KML ids


def test_new_outputs_follow_the_umask_and_existing_ones_keep_their_mode(tmp_path):
    from tracker.common.atomic import write_text
    from tracker.pipelines.frame import write_extraction

    old = os.umask(0o027)
    try:
        write_text(tmp_path / "a.html", "x")
        write_extraction(extracted(1), tmp_path / "b.kml")
        write_extraction(extracted(1), tmp_path / "c.csv")
    finally:
        os.umask(old)
    for name in ("a.html", "b.kml", "c.csv"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o640, name
    (tmp_path / "a.html").chmod(0o604)
    write_text(tmp_path / "a.html", "y")
    assert stat.S_IMODE(os.stat(tmp_path / "a.html").st_mode) == 0o604
    result = tracker("geoparse", str(SAMPLE), "-o", str(tmp_path / "g.jsonl"), cwd=tmp_path)
    assert result.returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "g.jsonl").st_mode) == 0o666 & ~old


def test_kml_carries_no_temporary_name(tmp_path):
    from tracker.pipelines.frame import write_extraction

    target = tmp_path / "deployments.kml"
    write_extraction(extracted(2), target)
    text = target.read_text()
    assert ".tmp" not in text and "creating" not in text
    assert "<Folder><name>deployments</name>" in text


# ---------------------------------------------------------------------------- 4: ids from relative paths


def test_files_of_one_name_in_two_folders_get_two_ids(tmp_path):
    from tracker.sources.files import read_articles

    for folder, town in (("d1", "Latakia"), ("d2", "Aleppo")):
        (tmp_path / "corpus" / folder).mkdir(parents=True)
        (tmp_path / "corpus" / folder / "story.txt").write_text(f"Tanks arrived in {town}.")
    ids = [a.id for a in read_articles([tmp_path / "corpus"])]
    assert ids == ["d1/story.txt", "d2/story.txt"]
    again = [a.id for a in read_articles([str(tmp_path / "corpus") + "/"])]
    assert again == ids
    assert [a.id for a in read_articles([tmp_path / "corpus" / "d1" / "story.txt"])] == ["story.txt"]


def test_an_id_stored_with_another_text_is_named_not_silently_skipped(tmp_path):
    from tracker.store.database import ingest, open_store

    store = open_store(tmp_path / "s.gpkg", create=True)
    warnings: list[str] = []
    first = Article(id="story.txt", text="Tanks arrived in Latakia.", source="d1/story.txt")
    second = Article(id="story.txt", text="Jets landed in Aleppo.", source="d2/story.txt")
    counts = ingest(store, [first, second], fake_engine, on_warning=warnings.append)
    store.close()
    assert (counts.articles, counts.skipped) == (1, 1)
    assert len(warnings) == 1 and "d2/story.txt" in warnings[0] and "another text" in warnings[0]


# ---------------------------------------------------------------------------- stores: 6, 10, 11, 12

POSTGRES = os.environ.get("TRACKER_TEST_POSTGRES")
needs_postgres = pytest.mark.skipif(not POSTGRES and not os.environ.get("TRACKER_REQUIRE_POSTGRES"),
                                    reason="no PostgreSQL server (set TRACKER_TEST_POSTGRES=postgresql://...)")


def fake_engine(batch):
    """Stands in for the language model: one deployment per article, instantly."""
    return [ExtractedArticle(a, (), (deployment(a.id, 0),), ()) for a in batch]


def slow_engine(batch):
    time.sleep(0.2)  # widens the window between reading what is stored and writing
    return fake_engine(batch)


def articles_with_ids(prefix: str, count: int) -> list[Article]:
    return [Article(id=f"{prefix}{i}", text=f"Text number {i}: tanks arrived in Latakia.", source="x")
            for i in range(count)]


RACE_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from tests.test_faults import articles_with_ids, slow_engine
from tracker.store.database import ingest, open_store
start = float(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
store = open_store(sys.argv[1], create=True)
try:
    counts = ingest(store, articles_with_ids(sys.argv[2], 12), slow_engine, batch_size=4)
finally:
    store.close()
print(counts.articles, counts.skipped)
"""


def race(location: str, prefixes: tuple[str, str], *, timeout: float = 120) -> list[tuple[int, int]]:
    """Two ingests of the same twelve texts, started at the same instant; returns (added, skipped)."""
    script = RACE_SCRIPT.format(root=str(ROOT))
    start = str(time.time() + 1.5)
    processes = [subprocess.Popen([sys.executable, "-c", script, location, prefix, start], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for prefix in prefixes]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err
        results.append(tuple(int(x) for x in out.split()))
    return results


def stored_texts(location: str) -> tuple[int, int]:
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location) as connection:
            return connection.execute("SELECT count(*), count(DISTINCT text_hash) FROM articles").fetchone()
    import sqlite3

    with sqlite3.connect(location) as connection:
        return connection.execute("SELECT count(*), count(DISTINCT text_hash) FROM articles").fetchone()


def test_two_ingests_at_once_store_each_text_once_in_a_geopackage(tmp_path):
    for attempt in range(3):
        location = str(tmp_path / f"race{attempt}.gpkg")
        results = race(location, ("a", "b"))
        assert stored_texts(location) == (12, 12)
        assert sum(added for added, _ in results) == 12 and sum(skipped for _, skipped in results) == 12
        assert leftovers(tmp_path) == []


def test_two_ingests_of_the_same_ids_at_once_skip_instead_of_failing(tmp_path):
    location = str(tmp_path / "same.gpkg")
    from tracker.store.database import open_store

    open_store(location, create=True).close()
    for _ in range(3):
        Path(location).unlink()
        open_store(location, create=True).close()
        results = race(location, ("s", "s"))
        assert stored_texts(location) == (12, 12) and sum(a for a, _ in results) == 12


def test_an_old_store_gets_the_unique_text_index_on_first_write(tmp_path):
    import sqlite3

    from tracker.store.database import ingest, open_store

    location = tmp_path / "old.gpkg"
    open_store(location, create=True).close()
    with sqlite3.connect(location) as connection:
        connection.execute("DROP INDEX articles_text_hash_unique")
    store = open_store(location)
    ingest(store, articles_with_ids("a", 2), fake_engine)
    twin = [Article(id="other", text=articles_with_ids("a", 1)[0].text, source="x")]
    counts = store.write_batch(fake_engine(twin))  # bypassing the check in Python: the index holds
    store.close()
    assert (counts.articles, counts.skipped) == (0, 1) and stored_texts(str(location)) == (2, 2)


CREATE_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from tracker.store.database import open_store
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.002)
open_store(sys.argv[1], create=True).close()
"""


def create_at_once(location: str, processes: int = 3) -> list[subprocess.CompletedProcess]:
    start = str(time.time() + 1.5)
    running = [subprocess.Popen([sys.executable, "-c", CREATE_SCRIPT.format(root=str(ROOT)), location, start],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in running]


def test_creating_one_geopackage_from_several_processes_at_once(tmp_path):
    for attempt in range(4):
        location = tmp_path / f"new{attempt}.gpkg"
        for result in create_at_once(str(location)):
            assert result.returncode == 0, result.stderr
        from tracker.store.database import open_store

        open_store(location).close()
        assert leftovers(tmp_path) == []


def test_a_locked_geopackage_exits_7_naming_the_lock(tmp_path):
    import sqlite3

    from tracker.store.database import open_store

    location = tmp_path / "locked.gpkg"
    open_store(location, create=True).close()
    source = tmp_path / "c.jsonl"
    source.write_text(json.dumps({"id": "x", "text": GOOD}) + "\n")
    holder = sqlite3.connect(location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = tracker("ingest", str(source), "--store", str(location), cwd=tmp_path,
                         env={**os.environ, "TRACKER_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 7, result.stderr
    assert "locked by another writer" in result.stderr and "waited 0.5 s" in result.stderr


def test_disk_full_mid_ingest_exits_7_with_the_real_cause(small_disk):
    from tracker.store.database import StoreError, ingest, open_store

    location = small_disk / "full.gpkg"
    store = open_store(location, create=True)
    ingest(store, articles_with_ids("a", 2), fake_engine)
    fill(small_disk, 4 * 1024)
    many = [Article(id=f"b{i}", text=f"Long text {i} " + "word " * 400, source="x") for i in range(200)]
    with pytest.raises(StoreError, match="database or disk is full") as caught:
        ingest(store, many, fake_engine, batch_size=200)
    assert "no transaction is active" not in str(caught.value) and caught.value.exit_code == 7
    assert store.integrity() == "ok"
    store.close()
    assert stored_texts(str(location)) == (2, 2)


def test_a_new_store_on_a_full_disk_exits_7_and_leaves_nothing(small_disk, tmp_path):
    source = tmp_path / "c.jsonl"
    source.write_text(json.dumps({"id": "x", "text": GOOD}) + "\n")
    fill(small_disk, 2 * 1024)
    result = tracker("ingest", str(source), "--store", str(small_disk / "new.gpkg"), cwd=tmp_path)
    assert result.returncode == 7, result.stderr
    assert "cannot be created" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


@pytest.fixture
def postgres_schema():
    """A fresh schema of the test database, so parallel runs do not meet."""
    import psycopg

    name = f"t17_{os.getpid()}_{int(time.time() * 1000) % 100000}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in POSTGRES else "?"
    try:
        yield name, f"{POSTGRES}{separator}options=-csearch_path%3D{name},public"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@needs_postgres
def test_postgis_creation_races_and_concurrent_ingests_store_each_text_once(postgres_schema):
    import psycopg

    name, url = postgres_schema
    for attempt in range(3):
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            for table in ("articles", "deployments", "places"):
                connection.execute(f"DROP TABLE IF EXISTS {name}.{table} CASCADE")
        for result in create_at_once(url):
            assert result.returncode == 0, result.stderr
    for attempt in range(2):
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            for table in ("articles", "deployments", "places"):
                connection.execute(f"TRUNCATE {name}.{table}")
        results = race(url, ("a", "b"))
        assert stored_texts(url) == (12, 12)
        assert sum(a for a, _ in results) == 12 and sum(s for _, s in results) == 12


@needs_postgres
def test_a_postgis_lock_times_out_with_a_message(postgres_schema, tmp_path):
    import psycopg

    name, url = postgres_schema
    from tracker.store.database import open_store

    open_store(url).close()
    source = tmp_path / "c.jsonl"
    source.write_text(json.dumps({"id": "x", "text": GOOD}) + "\n")
    with psycopg.connect(POSTGRES) as holder:
        holder.execute(f"LOCK TABLE {name}.articles IN ACCESS EXCLUSIVE MODE")
        started = time.time()
        result = tracker("ingest", str(source), "--store", url, cwd=tmp_path, timeout=120,
                         env={**os.environ, "TRACKER_LOCK_TIMEOUT": "1"})
        holder.rollback()
    assert result.returncode == 7, result.stderr
    assert "locked by another session" in result.stderr and time.time() - started < 90


# ---------------------------------------------------------------------------- 5: longer than spaCy's max_length


def test_an_article_over_max_length_is_parsed_in_sections_with_the_same_rows():
    from tracker.pipelines.extract import Extractor
    from tracker.recognize.sections import sections

    text = (SAMPLE.read_text(encoding="utf-8") + "\n\n") * 3
    assert "".join(sections(text, 1000)) == text and max(map(len, sections(text, 1000))) <= 1000
    extractor = Extractor.default()
    article = Article(id="long", text=text, source="long.txt")
    whole = extractor(article)
    limit = extractor.nlp.max_length
    extractor.nlp.max_length = len(text) // 2
    try:
        sectioned = extractor(article)
        after = extractor(Article(id="next", text=GOOD, source="n.txt"))
    finally:
        extractor.nlp.max_length = limit
    assert sectioned.deployments == whole.deployments and sectioned.toponyms == whole.toponyms
    assert all(text[d.start:d.end] for d in sectioned.deployments) and after.deployments


def test_the_spacy_recogniser_reads_an_article_over_max_length():
    from tracker.pipelines.geoparse import Geoparser

    parser = Geoparser.default(recognizer="spacy")
    text = (SAMPLE.read_text(encoding="utf-8") + "\n\n") * 2
    whole = list(parser.parse_articles([Article(id="a", text=text, source="a")]))[0].toponyms
    limit = parser.recognizer.nlp.max_length
    parser.recognizer.nlp.max_length = len(text) // 2
    try:
        results = list(parser.parse_articles([Article(id=str(i), text=t, source="a") for i, t in
                                              enumerate([GOOD, text, GOOD])]))
    finally:
        parser.recognizer.nlp.max_length = limit
    assert [r.article.id for r in results] == ["0", "1", "2"] and results[1].toponyms == whole


# ---------------------------------------------------------------------------- 8: CSV formula injection


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    import csv

    from tracker.pipelines.frame import write_extraction

    hostile = [ExtractedArticle(Article(id="=cmd|' /C calc'!A0", text=GOOD, source="@SUM(1+1)"), (),
                                (deployment("=cmd|' /C calc'!A0", 0, title="+HYPERLINK(\"http://x\")",
                                            source="@SUM(1+1)", quote="-2+3+cmd|' /C calc'!A0",
                                            place="\tTAB", model="\rCR", lat=-33.86, lon=-151.2),
                                 deployment("plain", 1, title="-12", quote="-4.5e3")), ())]
    target = tmp_path / "out.csv"
    write_extraction(hostile, target)
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
    first, second = rows
    assert first["article_id"] == "'=cmd|' /C calc'!A0" and first["title"] == "'+HYPERLINK(\"http://x\")"
    assert first["source"] == "'@SUM(1+1)" and first["quote"] == "'-2+3+cmd|' /C calc'!A0"
    assert first["place"] == "'\tTAB" and first["model"] == "'\rCR"
    assert first["lat"] == "-33.86" and first["lon"] == "-151.2"  # negative numbers stay numbers
    assert second["title"] == "-12" and second["quote"] == "-4.5e3" and second["article_id"] == "plain"


# ---------------------------------------------------------------------------- 9: "unknown" actor


def test_stats_shows_a_missing_owner_as_unknown_and_finds_it(tmp_path):
    from tracker.store.database import ingest, open_store

    location = tmp_path / "s.gpkg"
    store = open_store(location, create=True)
    ingest(store, articles_with_ids("a", 3), lambda batch: [
        ExtractedArticle(a, (), (deployment(a.id, 0, actor="Russia" if a.id == "a0" else None,
                                            geonameid=100 + int(a.id[1:])),), ()) for a in batch])
    store.close()
    result = tracker("stats", "--store", str(location), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["by_actor"] == {"unknown": 2, "Russia": 1}
    found = tracker("stats", "--store", str(location), "--format", "json", "--actor", "unknown", cwd=tmp_path)
    assert json.loads(found.stdout)["groups"] == 2 and "nan" not in found.stdout


# ---------------------------------------------------------------------------- 15: byte order marks, encodings


@pytest.mark.parametrize("codec, option", [("utf-16", []), ("utf-16-le", ["--encoding", "utf-16"]),
                                           ("utf-32", []), ("utf-8-sig", []), ("utf-16-be", ["--encoding", "utf-16-be"])])
def test_byte_order_marks_and_wide_encodings_are_read(tmp_path, codec, option):
    from tracker.sources.files import read_articles

    text = "Russian tanks arrived in Latakia, Syria."
    (tmp_path / "a.txt").write_bytes(text.encode(codec))
    articles = list(read_articles([tmp_path / "a.txt"], encoding=option[1] if option else "utf-8"))
    assert [a.text for a in articles] == [text]
    corpus = "".join(json.dumps({"id": f"r{i}", "text": text}) + "\n" for i in range(2))
    (tmp_path / "c.jsonl").write_bytes(corpus.encode(codec))
    rows = list(read_articles([tmp_path / "c.jsonl"], encoding=option[1] if option else "utf-8"))
    assert [(a.id, a.text) for a in rows] == [("r0", text), ("r1", text)]


def test_utf16_through_the_command_line(tmp_path):
    (tmp_path / "a.txt").write_bytes("Russian tanks arrived in Latakia, Syria.".encode("utf-16-le"))
    result = tracker("geoparse", "a.txt", "--encoding", "utf-16", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Latakia" in result.stdout


def test_auto_encoding_reads_a_legacy_jsonl_and_json_errors_read_well(tmp_path):
    from tracker.errors import InputError
    from tracker.sources.files import read_articles

    (tmp_path / "c.jsonl").write_bytes('{"id": "a", "text": "Tanks in Z\u00fcrich."}\n'.encode("cp1252"))
    assert [a.text for a in read_articles([tmp_path / "c.jsonl"], encoding="auto")] == ["Tanks in Z\u00fcrich."]
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "unterminated\n')
    errors: list[InputError] = []
    list(read_articles([tmp_path / "bad.jsonl"], on_error=errors.append))
    assert errors and "at at" not in str(errors[0]) and "column" in str(errors[0])


# ---------------------------------------------------------------------------- 16: usage errors


@pytest.mark.parametrize("arguments", [
    ["stats", "--store", "s.gpkg", "--since", "yesterday"],
    ["stats", "--store", "s.gpkg", "--since", "2015-13-45"],
    ["stats", "--store", "s.gpkg", "--until", "2015-02-30"],
    ["map"],
    ["map", "a.txt", "--store", "s.gpkg"],
    ["report", "-o", "r.html"],
    ["geoparse", "a.txt", "--encoding", "nosuch"],
    ["geoparse", "a.txt", "--batch-size", "0"],
    ["extract", "a.txt", "--batch-size", "-3"],
    ["ingest", "a.txt", "--batch-size", "0"],
    ["ingest", "a.txt", "--workers", "0"],
])
def test_usage_errors_exit_2_before_any_work(tmp_path, arguments):
    (tmp_path / "a.txt").write_text(GOOD)
    result = tracker(*arguments, cwd=tmp_path, timeout=120)
    assert result.returncode == 2, (arguments, result.stderr)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.gpkg").exists() and not (tmp_path / "tracker.gpkg").exists()


# ---------------------------------------------------------------------------- 17: control characters in messages


def test_control_characters_in_file_names_are_escaped_in_messages(tmp_path):
    name = "\x1b]0;owned\x07\u202eevil.txt"
    (tmp_path / name).write_bytes(b"\x00\x01binary")
    result = tracker("geoparse", name, str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 3
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b]0;owned\\x07\\u202eevil.txt" in result.stderr
    out = tmp_path / "o\x1b[31m.geojson"
    result = tracker("geoparse", str(SAMPLE), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0 and "\x1b" not in result.stderr


# ---------------------------------------------------------------------------- 14: online geocoder failures


class RaisingGeocoder:
    """A geopy-like geocoder that fails every request, as one without a network does."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def geocode(self, query, **_):
        self.calls += 1
        raise self.error


def test_a_failing_geocoder_warns_once_per_name_without_tracebacks(gazetteer, capfd):
    from geopy.exc import GeocoderServiceError, GeocoderUnavailable

    from tracker.resolve.online import GeocoderResolver
    from tracker.resolve.resolver import Resolver
    from tracker.recognize.gazetteer_toponyms import GazetteerRecognizer

    recognizer = GazetteerRecognizer.default(gazetteer)
    text = "Tanks in Latakia. More tanks in Latakia and Aleppo. Jets over Aleppo and Homs."
    mentions = recognizer(text)
    assert len(mentions) >= 5
    for error in (GeocoderUnavailable("Failed to establish a new connection"), GeocoderServiceError("HTTP 500")):
        geocoder = RaisingGeocoder(error)
        warnings: list[str] = []
        resolver = GeocoderResolver(geocoder, fallback=Resolver(gazetteer), min_delay_seconds=0,
                                    error_wait_seconds=0, on_warning=warnings.append)
        resolver._sleep = lambda seconds: None
        for _ in range(3):  # three articles naming the same places
            toponyms = resolver(mentions, text)
        assert [t.geonameid for t in toponyms] == [t.geonameid for t in Resolver(gazetteer)(mentions, text)]
        names = {m.text for m in mentions}
        assert len(warnings) == len(names) and all("\n" not in w for w in warnings)
        assert geocoder.calls <= 2 * len(names)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out


def test_a_geocoder_down_for_every_name_is_given_up_with_one_summary(gazetteer):
    from geopy.exc import GeocoderUnavailable

    from tracker.resolve.online import GeocoderResolver
    from tracker.models import Mention
    from tracker.resolve.resolver import Resolver

    towns = ["Latakia", "Aleppo", "Homs", "Kharkiv", "Odesa", "Mariupol", "Kherson", "Donetsk", "Tartus"]
    text = ", ".join(towns)
    mentions, position = [], 0
    for town in towns:
        start = text.index(town, position)
        mentions.append(Mention(start=start, end=start + len(town), text=town, key=town.lower(), kind="name",
                                label="GPE"))
        position = start + len(town)
    geocoder = RaisingGeocoder(GeocoderUnavailable("no network"))
    warnings: list[str] = []
    resolver = GeocoderResolver(geocoder, fallback=Resolver(gazetteer), min_delay_seconds=0, error_wait_seconds=0,
                                on_warning=warnings.append, give_up_after=3)
    resolver._sleep = lambda seconds: None
    resolver(mentions, text)
    assert len(warnings) == 4 and "in a row" in warnings[-1] and geocoder.calls == 6


# ---------------------------------------------------------------------------- 18: not English


def test_articles_not_in_english_are_warned_once_each(tmp_path):
    rows = [("ru", "Российские ударные вертолёты прибыли в Латакию, сообщило министерство обороны в пятницу."),
            ("uk", "Російські танки увійшли до Харкова, повідомив Генштаб у понеділок вранці."),
            ("ar", "وصلت طائرات هليكوبتر روسية إلى اللاذقية، بحسب ما أعلنته وزارة الدفاع يوم الجمعة"),
            ("fr", "Quatre hélicoptères d'attaque russes sont arrivés près de Lattaquié, en Syrie, selon des "
                   "responsables du ministère de la Défense, qui ont précisé vendredi que les appareils "
                   "stationnent désormais sur une base aérienne située juste au sud de la ville portuaire, "
                   "où des chars et des pièces d'artillerie ont également été observés par satellite."),
            ("en", GOOD)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in rows),
                      encoding="utf-8")
    result = tracker("geoparse", str(corpus), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "English only" in line]
    assert len(warnings) == 4
    assert [w.split("c.jsonl:")[1].split(":")[0] for w in warnings] == ["1", "2", "3", "4"]
    assert "Cyrillic" in warnings[0] and "Arabic" in warnings[2]


def test_english_news_is_never_warned_about():
    from tracker.sources.language import language_warning

    assert language_warning(SAMPLE.read_text(encoding="utf-8")) is None
    assert language_warning(GOOD) is None and language_warning("Kyiv") is None
