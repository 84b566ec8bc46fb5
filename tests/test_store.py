"""The store: idempotent ingest, crash safety, reading back with filters, linked reports, engines.

GeoPackage tests always run. PostGIS tests need a real server: .ci/run starts one and sets
TRACKER_TEST_POSTGRES (and TRACKER_REQUIRE_POSTGRES=1, so there they fail instead of skipping)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas
import pytest

from tracker.engines import DaskEngine, local_engine
from tracker.ingest import read_articles
from tracker.store import GeoPackageStore, Query, ingest, open_store, text_hash
from tracker.tracks import link_reports

POSTGRES = os.environ.get("TRACKER_TEST_POSTGRES")
needs_postgres = pytest.mark.skipif(not POSTGRES and not os.environ.get("TRACKER_REQUIRE_POSTGRES"),
                                    reason="no PostgreSQL server (set TRACKER_TEST_POSTGRES=postgresql://...)")
TOWNS = ["Kharkiv", "Odesa", "Mariupol", "Latakia", "Homs", "Aleppo", "Tartus", "Sevastopol", "Donetsk", "Kherson"]
KINDS = ["attack helicopters", "tanks", "howitzers", "frigates", "fighter jets", "armored vehicles"]
OWNERS = ["Russian", "Ukrainian", "Turkish", "Syrian", "American"]


def corpus(path: Path, count: int, *, start_day: int = 1) -> Path:
    """Articles of our own, all different, with dates."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            town, kind, owner = TOWNS[i % len(TOWNS)], KINDS[i % len(KINDS)], OWNERS[i % len(OWNERS)]
            text = (f"Officials said on day {i} that {i % 9 + 2} {owner} {kind} arrived in {town}. "
                    f"Satellite images showed the {kind} parked just outside {town}.")
            handle.write(json.dumps({"id": f"a{i}", "text": text,
                                     "published": f"2024-03-{(start_day + i) % 28 + 1:02d}"}) + "\n")
    return path


def rows_of(store_path: Path) -> list[tuple]:
    frame = geopandas.read_file(store_path, layer="deployments")
    return sorted(zip(frame["article_id"], frame["start"], frame["category"], frame["count"], frame["place"]))


def tracker(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def test_ingest_twice_adds_nothing_and_qgis_readers_open_it(tmp_path):
    source = corpus(tmp_path / "c.jsonl", 12)
    store = tmp_path / "t.gpkg"
    first = tracker("ingest", str(source), "--store", str(store))
    assert first.returncode == 0, first.stderr
    before = rows_of(store)
    second = tracker("ingest", str(source), "--store", str(store))
    assert second.returncode == 0 and "skipped 12" in second.stderr
    assert rows_of(store) == before and len(before) >= 12
    import pyogrio

    layers = dict(pyogrio.list_layers(store))
    assert layers.keys() >= {"articles", "deployments", "places"}
    assert geopandas.read_file(store, layer="places").crs.to_epsg() == 4326


def test_same_text_under_another_id_is_skipped(tmp_path):
    store = open_store(tmp_path / "t.gpkg", create=True)
    articles = list(read_articles([corpus(tmp_path / "c.jsonl", 2)]))
    twin = articles[0].__class__(id="other-id", text=articles[0].text.upper() + "  ", source="x")
    counts = ingest(store, [*articles, twin], local_engine(), batch_size=1)
    assert (counts.articles, counts.skipped) == (2, 1)
    assert text_hash("A  b, C!") == text_hash("a b c")


def test_kill_9_mid_ingest_leaves_a_readable_store_and_a_rerun_completes_it(tmp_path):
    source = corpus(tmp_path / "c.jsonl", 40)
    clean, crashed = tmp_path / "clean.gpkg", tmp_path / "crashed.gpkg"
    assert tracker("ingest", str(source), "--store", str(clean), "--batch-size", "2").returncode == 0
    process = subprocess.Popen([sys.executable, "-m", "tracker.cli.main", "ingest", str(source), "--store", str(crashed),
                                "--batch-size", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline:
        time.sleep(0.2)
        if crashed.exists():
            try:
                done = sqlite3.connect(crashed, timeout=1).execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                continue
            if done >= 4:
                break
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(crashed) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 4 <= stored < 40, "the kill should land mid-ingest"
    geopandas.read_file(crashed, layer="deployments")  # readable as it is
    rerun = tracker("ingest", str(source), "--store", str(crashed), "--batch-size", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert rows_of(crashed) == rows_of(clean)


def test_read_back_with_filters_and_linked_reports(tmp_path):
    store = open_store(tmp_path / "t.gpkg", create=True)
    ingest(store, read_articles([corpus(tmp_path / "c.jsonl", 30)]), local_engine())
    everything, places = store.read()
    assert len(everything) >= 30 and len(places) >= 30
    march_tanks, _ = store.read(Query(since="2024-03-05", until="2024-03-10", categories=("tank",)))
    assert len(march_tanks) and set(march_tanks["category"]) == {"tank"}
    assert all("2024-03-05" <= p[:10] <= "2024-03-10" for p in march_tanks["published"])
    russian, _ = store.read(Query(actors=("Russia",)))
    assert len(russian) and set(russian["actor"]) == {"Russia"}
    groups = link_reports(everything)
    assert groups["reports"].sum() == len(everything)


def test_reports_of_one_group_are_linked_not_summed(tmp_path):
    from tracker.extract import default_extractor
    from tracker.frame import deployments_frame
    from tracker.models import Article

    texts = [("d1", "2024-05-01", "Four Russian attack helicopters arrived in Latakia on Monday."),
             ("d2", "2024-05-03", "Russian attack helicopters are based in Latakia, officials said."),
             ("d3", "2024-07-20", "Four Russian attack helicopters arrived in Latakia again.")]
    rows = [d for aid, day, text in texts
            for d in default_extractor()(Article(id=aid, text=text, source="t", published=day)).deployments]
    groups = link_reports(deployments_frame(rows))
    may = groups[groups["first_reported"] == "2024-05-01"].iloc[0]
    assert may["reports"] == 2 and may["count"] == 4 and may["sources"] == "d1; d2"
    assert len(groups) == 2  # July is too far from May to be the same report


def test_stats_map_and_report_read_a_store(tmp_path):
    store = tmp_path / "t.gpkg"
    assert tracker("ingest", str(corpus(tmp_path / "c.jsonl", 10)), "--store", str(store)).returncode == 0
    stats = tracker("stats", "--store", str(store), "--format", "json")
    summary = json.loads(stats.stdout)
    assert summary["groups"] >= 10 and "2024-W" in "".join(summary["by_week"])
    assert tracker("map", "--store", str(store), "--actor", "Russia", "-o", str(tmp_path / "m.html")).returncode == 0
    assert tracker("report", "--store", str(store), "-o", str(tmp_path / "r.html")).returncode == 0
    missing = tracker("stats", "--store", str(tmp_path / "none.gpkg"))
    assert missing.returncode == 7 and "no such store" in missing.stderr
    bad_date = tracker("stats", "--store", str(store), "--since", "March")
    assert bad_date.returncode == 3 and "YYYY-MM-DD" in bad_date.stderr


def test_dask_engine_writes_exactly_the_local_rows(tmp_path, sample_path):
    articles = list(read_articles([sample_path, corpus(tmp_path / "c.jsonl", 8)]))
    local = local_engine()(articles)
    engine = DaskEngine(workers=2)
    try:
        distributed = engine(articles)
    finally:
        engine.close()
    assert [a.article.id for a in distributed] == [a.article.id for a in local]
    assert [a.deployments for a in distributed] == [a.deployments for a in local]
    assert [a.toponyms for a in distributed] == [a.toponyms for a in local]


@needs_postgres
def test_postgis_store_is_idempotent_and_reads_back(tmp_path):
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        for table in ("articles", "deployments", "places"):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
    source = corpus(tmp_path / "c.jsonl", 10)
    assert tracker("ingest", str(source), "--store", POSTGRES).returncode == 0
    again = tracker("ingest", str(source), "--store", POSTGRES)
    assert again.returncode == 0 and "skipped 10" in again.stderr
    store = open_store(POSTGRES)
    try:
        deployments, places = store.read(Query(categories=("tank",)))
    finally:
        store.close()
    assert len(deployments) and set(deployments["category"]) == {"tank"} and deployments.crs.to_epsg() == 4326
    local = GeoPackageStore(tmp_path / "same.gpkg")
    ingest(local, read_articles([source]), local_engine())
    gpkg_rows, _ = local.read(Query(categories=("tank",)))
    assert sorted(deployments["article_id"]) == sorted(gpkg_rows["article_id"])
    with psycopg.connect(POSTGRES) as connection:
        kind = connection.execute("SELECT GeometryType(geom), ST_SRID(geom) FROM deployments LIMIT 1").fetchone()
    assert kind == ("POINT", 4326)


def test_ingest_through_a_running_scheduler_by_address(tmp_path):
    from dask.distributed import LocalCluster

    source = corpus(tmp_path / "c.jsonl", 6)
    local_store, remote_store = tmp_path / "local.gpkg", tmp_path / "remote.gpkg"
    assert tracker("ingest", str(source), "--store", str(local_store)).returncode == 0
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1")
        result = tracker("ingest", str(source), "--store", str(remote_store), "--engine", "dask",
                         "--scheduler", cluster.scheduler_address)
    assert result.returncode == 0, result.stderr
    assert rows_of(remote_store) == rows_of(local_store)
