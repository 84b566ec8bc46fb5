"""Geoparse results as a GeoDataFrame and real files (GeoPackage written and read back)."""

from __future__ import annotations

import io
import json

import geopandas
import pytest

from tracker.frame import toponyms_frame, write_geoparse
from tracker.geoparse import GeoparsedArticle
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
