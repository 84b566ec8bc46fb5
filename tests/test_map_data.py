"""The rows a map page carries (tracker.maps.page_data), and a large page in Chromium: gzipped data,
filters that rebuild the index, the full quote read on demand."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import shutil
import time

import pytest
from conftest import hand_made_deployment as deployment

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("TRACKER_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets TRACKER_REQUIRE_BROWSER=1)")
LONG = "Satellite images reviewed by analysts showed the vehicles lined up beside the railway. " * 6


def rows_at(places, **values):
    from tracker.pipelines.frame import deployments_frame

    return deployments_frame([deployment(place=name, geonameid=None, country_code=None, precision=precision,
                                         lat=lat, lon=lon, **values) for name, lat, lon, precision in places])


def test_columns_store_articles_and_quotes_once_and_rank_places():
    from tracker.maps.page_data import QUOTE_CHARS, page_data

    frame = rows_at([("Kupiansk", 49.71, 37.61, 1), ("Kupiansk", 49.71, 37.61, 1), ("Izium", 49.21, 37.25, 1),
                     ("Ukraine", 49.0, 32.0, 3), ("Ukraine", 49.0, 32.0, 3), ("Ukraine", 49.0, 32.0, 3)],
                    source="https://news.example.org/a", title="One article", quote=LONG)
    data = page_data(frame)
    rows = data.rows
    assert rows["n"] == 6 and rows["lat"][0] == 4971000 and rows["lon"][2] == 3725000
    assert rows["articles"]["source"] == ["https://news.example.org/a"] and set(rows["article"]) == {0}
    assert len(rows["quote_values"]) == 1 and len(rows["quote_values"][0]) <= QUOTE_CHARS + 2
    assert rows["quote_values"][0].endswith(" …") and data.full_quotes == {"0": LONG}
    # three rows of Ukraine outrank two of Kupiansk, which outrank one of Izium
    assert rows["places"]["name"] == ["Ukraine", "Kupiansk", "Izium"]
    assert rows["places"]["level"] == ["region", None, None]  # no gazetteer id or country given: not a country
    assert [rows["places"]["name"][p] for p in rows["place"]] == ["Kupiansk", "Kupiansk", "Izium"] + ["Ukraine"] * 3
    assert data.category_counts == {"helicopter": 6} and data.has_areas and not data.has_moves


def test_equal_rows_rank_larger_counts_then_precise_places_first():
    from tracker.pipelines.frame import deployments_frame
    from tracker.maps.page_data import page_data

    frame = deployments_frame([deployment(place="Region", precision=3, lat=1.0, lon=1.0, count=5, geonameid=None),
                               deployment(place="Town", precision=1, lat=2.0, lon=2.0, count=5, geonameid=None),
                               deployment(place="Big", precision=1, lat=3.0, lon=3.0, count=50, geonameid=None)])
    assert page_data(frame).rows["places"]["name"] == ["Big", "Town", "Region"]


def test_a_large_block_travels_gzipped_and_a_small_one_as_escaped_json():
    from tracker.maps.page_data import data_block

    small = data_block("s", {"quote": "</script><script>alert(1)</script>"})
    assert "</script><script>" not in small and small.count("</script>") == 1 and "\\u003c/script" in small
    large = data_block("l", {"quote": ["</script>" + str(n) for n in range(200_000)]})
    assert 'data-encoding="gzip-base64"' in large
    packed = re.search(r">([A-Za-z0-9+/=]+)</script>$", large).group(1)
    assert json.loads(gzip.decompress(base64.b64decode(packed)))["quote"][3] == "</script>3"
    assert len(large) < 2_000_000


@pytest.mark.browser
@needs_browser
def test_a_gzipped_page_draws_filters_and_shows_the_full_quote(tmp_path):
    from devtools import Browser
    from tracker.pipelines.frame import deployments_frame
    from tracker.maps.render import render_map, save_map

    frame = deployments_frame([deployment(place=f"Town {n}", geonameid=None, precision=1, lat=45 + (n % 60) * 0.1,
                                          lon=30 + (n // 60) * 0.1, category="tank" if n % 3 == 0 else "artillery",
                                          article_id=f"a{n}", quote=f"Report {n}. " + LONG) for n in range(3000)])
    page = save_map(render_map(frame), tmp_path / "large.html")
    assert 'data-encoding="gzip-base64"' in page.read_text(encoding="utf-8")
    with Browser(page.as_uri()) as browser:
        browser.wait_for("document.body && document.body.getAttribute('data-trk-ready') === 'true'")
        before = browser.evaluate("trk_view.deployments.index().rowCount")
        browser.evaluate("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).filter("
                         "function (l) { return l.textContent.trim() === 'tank'; })[0].querySelector('input').click()")
        after = browser.evaluate("trk_view.deployments.index().rowCount")
        browser.evaluate("trk_view.map.openPopup(trk_view.deployments.popup(0), trk_view.map.getCenter()); true")
        browser.evaluate("document.querySelector('.leaflet-popup .trk-more').click(); true")
        time.sleep(0.5)
        quote = browser.evaluate("document.querySelector('.leaflet-popup .trk-quote').textContent")
    assert (before, after) == (3000, 2000)  # the tanks' toggle takes their thousand rows out of the index
    assert quote == "Report 0. " + LONG  # the whole sentence, read from its block only now


@pytest.mark.browser
@needs_browser
def test_an_open_popup_stays_open_when_the_map_pans(tmp_path):
    """Markers are drawn for the view on every pan: one still in view is kept, and its popup with it."""
    from devtools import Browser
    from tracker.maps.render import render_map, save_map

    frame = rows_at([("Kupiansk", 49.71, 37.61, 1), ("Izium", 49.21, 37.25, 1), ("Bakhmut", 48.6, 38.0, 1)])
    page = save_map(render_map(frame), tmp_path / "pan.html")
    with Browser(page.as_uri()) as browser:
        browser.wait_for("document.body && document.body.getAttribute('data-trk-ready') === 'true'")
        browser.evaluate("document.querySelector('.leaflet-marker-pane .trk-marker').click(); true")
        opened = browser.evaluate("document.querySelectorAll('.leaflet-popup .trk-popup').length")
        browser.evaluate("new Promise(function (done) { trk_view.map.once('trk:render', function () { done(true); });"
                         " trk_view.map.panBy([40, 30], {animate: false}); })")
        after = browser.evaluate("document.querySelectorAll('.leaflet-popup .trk-popup').length")
    assert (opened, after) == (1, 1)
