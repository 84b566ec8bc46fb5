"""Geoparse results as a GeoDataFrame and real files (GeoPackage written and read back)."""

from __future__ import annotations

import io
import json

import geopandas
import pytest

from tracker.pipelines.frame import toponyms_frame, write_geoparse
from tracker.pipelines.geoparse import GeoparsedArticle
from tracker.models import Article


@pytest.fixture(scope="module")
def results(geoparser):
    articles = [Article(id="a1", text="Ships left Sevastopol for Tartus, Syria.", source="test"),
                Article(id="a2", text="Residents of Zzyzx Creek fled to Kharkiv.", source="test")]
    return list(geoparser.parse_articles(articles))


def test_frame_is_wgs84_with_a_row_per_mention(results):
    frame = toponyms_frame(results)
    assert frame.crs.to_epsg() == 4326
    assert set(frame["article_id"]) == {"a1", "a2"}
    sevastopol = frame[frame["text"] == "Sevastopol"].iloc[0]
    assert sevastopol.geometry.x == pytest.approx(33.5, abs=0.3) and sevastopol.geometry.y == pytest.approx(44.6, abs=0.3)


def test_geopackage_round_trip(results, tmp_path):
    frame = toponyms_frame(results)
    path = tmp_path / "places.gpkg"
    frame.to_file(path, layer="places", driver="GPKG")
    back = geopandas.read_file(path, layer="places")
    assert len(back) == len(frame)
    assert list(back["text"]) == list(frame["text"])
    assert back.crs.to_epsg() == 4326


def test_geojson_and_jsonl_writers(results):
    stream = io.StringIO()
    assert write_geoparse(results, stream, "geojson") == 2
    collection = json.loads(stream.getvalue())
    placed = [f for f in collection["features"] if f["geometry"] is not None]
    assert placed and all(f["geometry"]["type"] == "Point" for f in placed)
    stream = io.StringIO()
    write_geoparse(results, stream, "jsonl")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["a1", "a2"]


def test_parse_articles_keeps_input_order_across_batches(geoparser):
    articles = [Article(id=str(i), text=f"Report {i} from Odesa.", source="test") for i in range(7)]
    results = list(geoparser.parse_articles(articles, batch_size=3))
    assert [r.article.id for r in results] == [str(i) for i in range(7)]
    assert all(isinstance(r, GeoparsedArticle) and r.toponyms for r in results)


# ---------------------------------------------------------------------------- moves in every export

from conftest import hand_made_deployment as deployment  # noqa: E402


MOVED = dict(origin="Germany", origin_geonameid=2921044, origin_lat=51.17, origin_lon=10.45)


def extraction(rows) -> list:
    from tracker.pipelines.extract import ExtractedArticle

    article = Article(id="m1", text=rows[0].quote, source="test")
    return [ExtractedArticle(article=article, toponyms=(), deployments=tuple(rows), untyped=())]


@pytest.fixture()
def moved_extraction():
    return extraction([deployment(**MOVED),
                       deployment(category="tank", role="unknown", model=None, place="Latakia", geonameid=173579,
                                  country_code="SY", precision=1, lat=35.52, lon=35.79),
                       deployment(category="ship", origin="Tartus", origin_geonameid=None, origin_lat=None,
                                  origin_lon=None)])


def test_movements_frame_has_a_line_per_row_with_both_ends_placed(moved_extraction):
    from tracker.pipelines.frame import movements_frame

    frame = movements_frame(moved_extraction[0].deployments)
    assert len(frame) == 1  # the tank has no origin, the ship's origin is unplaced
    line = frame.geometry.iloc[0]
    assert line.geom_type == "LineString"
    assert list(line.coords) == [(10.45, 51.17), (24.03, 55.42)]  # from the origin to the place
    assert frame["origin"].iloc[0] == "Germany" and frame["place"].iloc[0] == "Lithuania"


def test_geopackage_export_carries_origins_and_a_movements_layer(moved_extraction, tmp_path):
    import pyogrio

    from tracker.pipelines.frame import write_extraction

    path = tmp_path / "rows.gpkg"
    write_extraction(moved_extraction, path)
    layers = dict(pyogrio.list_layers(path))
    assert layers["movements"] == "LineString" and layers["deployments"] == "Point"
    rows = geopandas.read_file(path, layer="deployments")
    assert list(rows["origin"].fillna("")) == ["Germany", "", "Tartus"]
    assert rows["origin_geonameid"].iloc[0] == 2921044
    assert rows["origin_lat"].iloc[0] == pytest.approx(51.17) and rows["origin_lon"].iloc[0] == pytest.approx(10.45)
    moves = geopandas.read_file(path, layer="movements")
    assert len(moves) == 1 and moves["category"].iloc[0] == "helicopter" and moves["count"].iloc[0] == 20
    assert list(moves.geometry.iloc[0].coords) == [(10.45, 51.17), (24.03, 55.42)]


def test_geojson_export_writes_movements_beside_it(moved_extraction, tmp_path):
    from tracker.pipelines.frame import read_extraction, write_extraction

    path = tmp_path / "rows.geojson"
    write_extraction(moved_extraction, path)
    rows = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert rows[0]["properties"]["origin"] == "Germany" and rows[0]["properties"]["origin_lon"] == 10.45
    assert rows[1]["properties"]["origin"] is None
    moves = json.loads((tmp_path / "rows.movements.geojson").read_text(encoding="utf-8"))["features"]
    assert [m["geometry"] for m in moves] == [{"type": "LineString", "coordinates": [[10.45, 51.17], [24.03, 55.42]]}]
    assert moves[0]["properties"]["place"] == "Lithuania"
    deployments, _ = read_extraction(path)
    assert deployments["origin"].iloc[0] == "Germany"
    from tracker.errors import InputError

    with pytest.raises(InputError, match="movements file"):  # given by mistake (a glob) to tracker map
        read_extraction(tmp_path / "rows.movements.geojson")


def test_a_geojson_export_without_moves_leaves_no_old_movements_behind(moved_extraction, tmp_path):
    from tracker.pipelines.frame import write_extraction

    path = tmp_path / "rows.geojson"
    write_extraction(moved_extraction, path)
    write_extraction(extraction(moved_extraction[0].deployments[1:]), path)
    assert json.loads((tmp_path / "rows.movements.geojson").read_text(encoding="utf-8"))["features"] == []


@pytest.mark.parametrize("suffix", [".csv", ".kml"])
def test_csv_and_kml_exports_carry_the_origin_columns(moved_extraction, tmp_path, suffix):
    import pandas

    from tracker.pipelines.frame import write_extraction

    path = tmp_path / f"rows{suffix}"
    write_extraction(moved_extraction, path)
    rows = pandas.read_csv(path) if suffix == ".csv" else geopandas.read_file(path)
    assert {"origin", "origin_geonameid", "origin_lat", "origin_lon"} <= set(rows.columns)
    first = rows[rows["category"] == "helicopter"].iloc[0]
    assert first["origin"] == "Germany" and float(first["origin_lat"]) == pytest.approx(51.17)
    assert int(float(first["origin_geonameid"])) == 2921044
