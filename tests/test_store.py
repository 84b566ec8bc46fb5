"""The store: idempotent ingest, crash safety, reading back with filters, linked reports, engines.

GeoPackage tests always run. PostGIS tests need a real server: .ci/run starts one and sets
TRACKER_TEST_POSTGRES (and TRACKER_REQUIRE_POSTGRES=1, so there they fail instead of skipping)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import geopandas
import pytest

from tracker.pipelines.engines import DaskEngine, local_engine
from tracker.sources.files import read_articles
from tracker.store.database import GeoPackageStore, Query, ingest, open_store, text_hash
from tracker.store.tracks import link_reports

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
    from tracker.pipelines.extract import default_extractor
    from tracker.pipelines.frame import deployments_frame
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
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr  # a usage error (issue 17)


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


@pytest.fixture()
def postgis_schema_url(request):
    """The test server's URL with the tables in a fresh schema of this test's own, so runs that
    share the server (parallel checkouts, CI) never see each other's tables; PostGIS stays in public."""
    import hashlib

    import psycopg

    schema = "tracker_t_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        try:
            connection.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public")
        except psycopg.errors.UniqueViolation:  # created by another run at the same moment
            pass
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES else "?"
    yield f"{POSTGRES}{separator}options=-csearch_path%3D{schema},public"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@needs_postgres
def test_postgis_store_is_idempotent_and_reads_back(tmp_path, postgis_schema_url):
    import psycopg

    url = postgis_schema_url
    source = corpus(tmp_path / "c.jsonl", 10)
    assert tracker("ingest", str(source), "--store", url).returncode == 0
    again = tracker("ingest", str(source), "--store", url)
    assert again.returncode == 0 and "skipped 10" in again.stderr
    store = open_store(url)
    try:
        deployments, places = store.read(Query(categories=("tank",)))
    finally:
        store.close()
    assert len(deployments) and set(deployments["category"]) == {"tank"} and deployments.crs.to_epsg() == 4326
    local = GeoPackageStore(tmp_path / "same.gpkg")
    ingest(local, read_articles([source]), local_engine())
    gpkg_rows, _ = local.read(Query(categories=("tank",)))
    assert sorted(deployments["article_id"]) == sorted(gpkg_rows["article_id"])
    with psycopg.connect(url) as connection:
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


# ---------------------------------------------------------------------------- moves, and stores written before

#: the deployments columns of stores written before moves were kept (no origin)
OLD_DEPLOYMENT_COLUMNS = ("article_id", "published", "source", "title", "category", "role", "model", "count",
                          "count_qualifier", "count_max", "actor", "status", "place", "geonameid", "country_code",
                          "precision", "confidence", "quote", "start", "end")
OLD_INTEGERS = {"count", "count_max", "geonameid", "precision", "start", "end", "deployment_count", "place_count"}


def moved_article(article_id: str = "move-1"):
    """One article whose rows are built by hand, one of them moved from Germany to Lithuania."""
    from tracker.pipelines.extract import ExtractedArticle
    from tracker.models import Article, Deployment

    text = "Twenty Apache attack helicopters were moved from Germany to Lithuania. Tanks stayed in Tapa."
    common = dict(article_id=article_id, published="2024-05-01", source="t", title=None, count_qualifier="exact",
                  count_max=None, actor="United States", status="arrived", confidence=0.9, quote=text)
    rows = (Deployment(category="helicopter", role="attack", model="AH-64", count=20, place="Lithuania",
                       geonameid=597427, country_code="LT", precision=3, start=0, end=33, lat=55.42, lon=24.03,
                       origin="Germany", origin_geonameid=2921044, origin_lat=51.17, origin_lon=10.45, **common),
            Deployment(category="tank", role="unknown", model=None, count=None, place="Tapa", geonameid=588335,
                       country_code="EE", precision=1, start=71, end=76, lat=59.26, lon=25.96, **common))
    return ExtractedArticle(article=Article(id=article_id, text=text, source="t", published="2024-05-01"),
                            toponyms=(), deployments=rows, untyped=())


def write_old_schema_store(path: Path) -> None:
    """A GeoPackage laid out as tracker ingest wrote it before origins: by hand, not by today's code."""
    import pandas
    import pyogrio

    from tracker.store.database import ARTICLE_COLUMNS, PLACE_COLUMNS

    def empty(columns):
        return {c: pandas.Series([], dtype="Int64" if c in OLD_INTEGERS else
                                 "float64" if c == "confidence" else "string") for c in columns}

    for layer, columns in (("deployments", OLD_DEPLOYMENT_COLUMNS), ("places", PLACE_COLUMNS)):
        frame = geopandas.GeoDataFrame(empty(columns), geometry=geopandas.GeoSeries([], crs="EPSG:4326"))
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", geometry_type="Point",
                                append=layer != "deployments", layer_options={"SPATIAL_INDEX": "NO", "FID": "fid"})
    pyogrio.write_dataframe(pandas.DataFrame(empty(ARTICLE_COLUMNS)), path, layer="articles", driver="GPKG",
                            append=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE UNIQUE INDEX articles_id ON articles (article_id)")
        point = b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<bIdd", 1, 1, 35.79, 35.52)
        connection.execute('INSERT INTO deployments (geom, article_id, category, role, count, place, status, '
                           'count_qualifier, confidence, quote, start, "end") VALUES (?, "old-1", "tank", "unknown", '
                           '3, "Latakia", "arrived", "exact", 0.8, "Three tanks arrived in Latakia.", 0, 11)', [point])
        connection.execute('INSERT INTO articles (article_id, text_hash, source) VALUES ("old-1", "h", "t")')


def columns_of(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


def test_a_new_store_keeps_origins_and_a_movements_layer(tmp_path):
    import pyogrio

    path = tmp_path / "t.gpkg"
    store = open_store(path, create=True)
    try:
        store.write_batch([moved_article()])
        deployments, _ = store.read()
    finally:
        store.close()
    moved = deployments[deployments["category"] == "helicopter"].iloc[0]
    assert moved["origin"] == "Germany" and moved["origin_geonameid"] == 2921044
    assert (moved["origin_lat"], moved["origin_lon"]) == (pytest.approx(51.17), pytest.approx(10.45))
    assert deployments[deployments["category"] == "tank"]["origin"].isna().all()
    assert dict(pyogrio.list_layers(path))["movements"] == "LineString"
    moves = geopandas.read_file(path, layer="movements")  # read by GDAL, as QGIS reads it
    assert len(moves) == 1 and moves.crs.to_epsg() == 4326
    assert list(moves.geometry.iloc[0].coords) == [(10.45, 51.17), (24.03, 55.42)]
    assert moves["place"].iloc[0] == "Lithuania" and moves["count"].iloc[0] == 20
    with sqlite3.connect(path) as connection:
        fid = connection.execute("SELECT fid FROM deployments WHERE category = 'helicopter'").fetchone()[0]
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert moves["deployment_fid"].iloc[0] == fid
    from tracker.maps.render import deployment_features

    linked = deployment_features(link_reports(deployments))["features"]  # what tracker map --store draws
    assert [f["movement"]["path"][0] for f in linked if "movement" in f] == [[51.17, 10.45]]


def test_a_store_written_before_origins_is_migrated_once(tmp_path):
    import pandas
    import pyogrio

    path = tmp_path / "old.gpkg"
    write_old_schema_store(path)
    assert "origin" not in columns_of(path, "deployments")
    for _ in range(2):  # the second open finds nothing to do
        store = open_store(path)
        store.close()
    columns = columns_of(path, "deployments")
    assert columns[-4:] == ["origin", "origin_geonameid", "origin_lat", "origin_lon"]
    assert len(columns) == len(set(columns))
    assert dict(pyogrio.list_layers(path))["movements"] == "LineString"
    store = open_store(path)
    try:
        counts = ingest(store, [moved_article().article], lambda batch: [moved_article()])
        deployments, _ = store.read()
    finally:
        store.close()
    assert counts.articles == 1
    old = deployments[deployments["article_id"] == "old-1"].iloc[0]
    assert old["place"] == "Latakia" and old["count"] == 3 and pandas.isna(old["origin"])
    assert set(deployments[deployments["article_id"] == "move-1"]["origin"].dropna()) == {"Germany"}
    back = geopandas.read_file(path, layer="deployments")
    assert back["origin_lat"].dtype == "float64" and sorted(back["origin"].dropna()) == ["Germany"]
    assert len(geopandas.read_file(path, layer="movements")) == 1


def test_a_read_only_store_written_before_is_read_as_it_is(tmp_path, monkeypatch):
    import tracker.store.database

    path = tmp_path / "old.gpkg"
    write_old_schema_store(path)
    monkeypatch.setattr(tracker.store.database.os, "access", lambda *_: False)
    store = open_store(path)
    try:
        deployments, _ = store.read()
    finally:
        store.close()
    assert "origin" not in columns_of(path, "deployments")  # nothing written
    assert list(deployments["place"]) == ["Latakia"] and deployments["origin"].isna().all()




@needs_postgres
def test_postgis_store_written_before_origins_is_migrated_and_has_a_movements_view(postgis_schema_url):
    import psycopg

    from tracker.store.database import ARTICLE_COLUMNS, PLACE_COLUMNS

    def columns(names):
        return ", ".join(f'"{c}" {"bigint" if c in OLD_INTEGERS else "double precision" if c == "confidence" else "text"}'
                         for c in names)

    with psycopg.connect(postgis_schema_url, autocommit=True) as connection:  # the old schema, by hand
        connection.execute(f"CREATE TABLE articles (fid bigserial PRIMARY KEY, {columns(ARTICLE_COLUMNS)}, "
                           "UNIQUE (article_id))")
        for table, names in (("deployments", OLD_DEPLOYMENT_COLUMNS), ("places", PLACE_COLUMNS)):
            connection.execute(f"CREATE TABLE {table} (fid bigserial PRIMARY KEY, geom geometry(Point, 4326), "
                               f"{columns(names)})")
        connection.execute("INSERT INTO deployments (geom, article_id, category, place, count) VALUES "
                           "(ST_SetSRID(ST_MakePoint(35.79, 35.52), 4326), 'old-1', 'tank', 'Latakia', 3)")
    for _ in range(2):  # idempotent
        open_store(postgis_schema_url).close()
    store = open_store(postgis_schema_url)
    try:
        store.write_batch([moved_article()])
        deployments, _ = store.read()
    finally:
        store.close()
    assert sorted(deployments["place"]) == ["Latakia", "Lithuania", "Tapa"]
    assert sorted(deployments["origin"].dropna()) == ["Germany"]
    assert deployments[deployments["place"] == "Lithuania"]["origin_geonameid"].iloc[0] == 2921044
    with psycopg.connect(postgis_schema_url) as connection:
        added = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'deployments' AND column_name LIKE 'origin%' ORDER BY ordinal_position").fetchall()
        moves = connection.execute("SELECT place, origin, GeometryType(geom), ST_SRID(geom), ST_AsText(geom) "
                                   "FROM movements").fetchall()
    assert added == [("origin", "text"), ("origin_geonameid", "bigint"), ("origin_lat", "double precision"),
                     ("origin_lon", "double precision")]
    assert moves == [("Lithuania", "Germany", "LINESTRING", 4326, "LINESTRING(10.45 51.17,24.03 55.42)")]


def test_linked_reports_keep_the_origin_a_later_report_leaves_out():
    from tracker.pipelines.frame import deployments_frame

    first = moved_article().deployments[0]
    later = first.__class__(**{**first.to_dict(), "published": "2024-05-03", "count": 24, "origin": None,
                               "origin_geonameid": None, "origin_lat": None, "origin_lon": None})
    groups = link_reports(deployments_frame([first, later]))
    assert len(groups) == 1
    group = groups.iloc[0]
    assert group["count"] == 24 and group["reports"] == 2  # the larger count, from the later report
    assert group["origin"] == "Germany" and group["origin_lon"] == pytest.approx(10.45)
