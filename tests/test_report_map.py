"""The report's map, in its sandboxed frame, in Chromium at the size a reader opens it: land,
markers and labels drawn at one zoom (issue 23: the map was laid out before its frame had a size)."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from conftest import hand_made_deployment as deployment

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("TRACKER_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets TRACKER_REQUIRE_BROWSER=1)")

#: far apart and well inland, on five continents: each has its own marker at a world view, and
#: the borders must be drawn under every one of them
WORLDWIDE = [("Fort Riley", 39.06, -96.79), ("Mosul", 36.34, 43.13), ("Seoul", 37.57, 126.98),
             ("Alice Springs", -23.70, 133.88), ("Brasilia", -15.79, -47.88), ("Nairobi", -1.29, 36.82),
             ("Ulaanbaatar", 47.91, 106.88)]

#: run inside the map's frame: for each place, where the map puts it, whether land is painted there
#: in the borders' canvas, how far the nearest marker or cluster is, and how far its label is
PROBE = """(function (places) {
  var map = trk_view.map, box = map.getContainer().getBoundingClientRect();
  var canvas = map.getPane('trk-borders').querySelector('canvas'), area = canvas.getBoundingClientRect();
  var context = canvas.getContext('2d');
  function painted(x, y) {
    if (!area.width || !area.height || !canvas.width || !canvas.height) { return false; }
    var px = Math.floor((x - area.left) * canvas.width / area.width), py = Math.floor((y - area.top) * canvas.height / area.height);
    if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) { return false; }
    return context.getImageData(px, py, 1, 1).data[3] > 0;
  }
  function nearest(selector, x, y, name) {
    var best = 1e9;
    document.querySelectorAll(selector).forEach(function (el) {
      if (name !== undefined && el.textContent.trim() !== name) { return; }
      var r = el.getBoundingClientRect();
      var dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
      best = Math.min(best, Math.hypot(dx, dy));
    });
    return Math.round(best);
  }
  return {width: box.width, height: box.height, size: map.getSize(), zoom: map.getZoom(),
    places: places.map(function (p) {
      var c = map.latLngToContainerPoint([p[1], p[2]]), x = box.left + c.x, y = box.top + c.y;
      return {name: p[0], inside: x > box.left && x < box.right && y > box.top && y < box.bottom, land: painted(x, y),
              marker: nearest('.leaflet-marker-icon:not(.trk-label)', x, y), label: nearest('.trk-label', x, y, p[0])};
    })};
})(%s)"""


@pytest.fixture(scope="module")
def worldwide_rows():
    from tracker.pipelines.frame import deployments_frame

    # a page the size of a real report's (hundreds of rows): a small one is often laid out in time
    return deployments_frame([deployment(place=name, geonameid=None, country_code=None, precision=1, lat=lat, lon=lon,
                                         category="tank", count=4, article_id=f"a{index}",
                                         quote=f"Four tanks were seen at {name} in report {index}. " * 4)
                              for name, lat, lon in WORLDWIDE for index in range(60)])


@pytest.mark.browser
@needs_browser
def test_report_map_draws_land_markers_and_labels_at_one_zoom(worldwide_rows, tmp_path):
    from devtools import Browser
    from tracker.maps.report import build_report

    page = tmp_path / "report.html"
    page.write_text(build_report(worldwide_rows), encoding="utf-8")
    for _ in range(3):  # the frame's layout races the map's script: look more than once
        with Browser(page.as_uri(), width=1400, height=1000) as browser:
            browser.wait_for("document.body && document.body.getAttribute('data-trk-ready') === 'true'", frame=True)
            time.sleep(1.0)  # what a reader sees once the frame has settled, not a moment caught mid-layout
            assert_drawn_at_one_zoom(browser.evaluate(PROBE % json.dumps(WORLDWIDE), frame=True))


def assert_drawn_at_one_zoom(seen: dict) -> None:
    assert seen["size"] == {"x": seen["width"], "y": seen["height"]} and seen["width"] > 1000, seen
    assert seen["zoom"] >= 1, seen  # the world fills the frame's width, not a corner of it
    for place in seen["places"]:
        assert place["inside"], f"{place['name']} is off the map: {seen}"
        assert place["land"], f"no land drawn under {place['name']}: the borders are at another zoom: {seen}"
        assert place["marker"] <= 2, f"{place['name']}'s marker is not at its place: {seen}"
        assert place["label"] <= 24, f"{place['name']}'s label is not beside its place: {seen}"
