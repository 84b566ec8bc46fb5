"""Place labels at a store's density, measured in Chromium: a dense front line keeps its names
readable (issue 23: 136 labels on screen with 6,590 overlapping pairs)."""

from __future__ import annotations

import os
import random
import shutil
import time

import pytest
from conftest import hand_made_deployment as deployment

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("TRACKER_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets TRACKER_REQUIRE_BROWSER=1)")

#: every label's box on screen, and how many pairs of them overlap
LABEL_BOXES = """(function () {
  var boxes = Array.from(document.querySelectorAll('.trk-label')).map(function (el) {
    var r = el.getBoundingClientRect(); return {name: el.textContent, x: r.left, y: r.top, w: r.width, h: r.height}; });
  var overlapping = 0;
  for (var i = 0; i < boxes.length; i++) { for (var j = i + 1; j < boxes.length; j++) {
    var a = boxes[i], b = boxes[j];
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) { overlapping++; } } }
  return {count: boxes.length, overlapping: overlapping, names: boxes.map(function (b) { return b.name; }),
          zoom: trk_view.map.getZoom(), empty: boxes.filter(function (b) { return !b.w || !b.h; }).length};
})()"""


@pytest.fixture(scope="module")
def front_line_rows():
    """400 rows at 150 towns strung along a 450 km front, the first town the most reported."""
    from tracker.pipelines.frame import deployments_frame

    rng = random.Random(23)
    towns = []
    for number in range(150):
        along = number / 149
        towns.append((f"{rng.choice(['Nova', 'Staro', 'Velyka', 'Mala', ''])}town {number}",
                      50.0 - 3.4 * along + rng.uniform(-0.25, 0.25), 36.2 - 3.6 * along + rng.uniform(-0.25, 0.25)))
    picks = [towns[0]] * 20 + [rng.choice(towns) for _ in range(380)]
    return deployments_frame([deployment(place=name, geonameid=None, country_code="UA", precision=1, lat=lat, lon=lon,
                                         category=rng.choice(["tank", "artillery", "drone"]), count=rng.randint(1, 12),
                                         article_id=f"a{index}", quote=f"Seen at {name}.")
                              for index, (name, lat, lon) in enumerate(picks)])


@pytest.mark.browser
@needs_browser
def test_dense_front_line_labels_never_overlap_and_zooming_in_reveals_more(front_line_rows, tmp_path):
    from devtools import Browser
    from tracker.maps.render import render_map, save_map

    page = save_map(render_map(front_line_rows), tmp_path / "front.html")
    with Browser(page.as_uri(), width=1400, height=1000) as browser:
        browser.wait_for("document.body && document.body.getAttribute('data-trk-ready') === 'true'")
        time.sleep(0.5)
        views = [browser.evaluate(LABEL_BOXES)]
        for _ in range(2):
            browser.evaluate("new Promise(function (done) { trk_view.map.once('trk:render', function () { done(true); });"
                             " trk_view.map.zoomIn(1, {animate: false}); })")
            time.sleep(0.3)
            views.append(browser.evaluate(LABEL_BOXES))
    first, _, closest = views
    for view in views:
        assert view["count"] >= 10, views
        assert view["overlapping"] == 0, views
        assert view["empty"] == 0, views
    assert closest["zoom"] == first["zoom"] + 2
    assert closest["count"] > first["count"] or set(closest["names"]) - set(first["names"]), views
    assert "town 0" in " ".join(first["names"]), "the most reported place lost its label"


def test_labels_are_placed_by_rank_and_never_overlap_in_the_runtime():
    """The placement alone, in Node when it is there: the better-ranked of two colliding names wins."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node")
    import json
    import subprocess
    from importlib import resources

    runtime = resources.files("tracker.maps").joinpath("templates/tracker_map.js").read_text(encoding="utf-8")
    script = ("var L = {Layer: {extend: function () { return function () {}; }}};\n"  # no Leaflet needed here
              "var document = {createElement: function () { return {getContext: function () { return {"
              " measureText: function (t) { return {width: 7 * t.length}; }}; }}; }};\n" + runtime +
              "\nconsole.log(JSON.stringify(TrackerMap.placeLabels(["
              "{name: 'Best', x: 100, y: 100, radius: 10}, {name: 'Second', x: 104, y: 100, radius: 10},"
              "{name: 'Best', x: 400, y: 400, radius: 10}, {name: 'Far', x: 700, y: 100, radius: 10}], 1000, 800)));")
    placed = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    names = [box["name"] for box in placed]
    assert names[0] == "Best" and names.count("Best") == 1 and "Far" in names
    for a in placed:
        for b in placed:
            if a is not b:
                assert not (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
                            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
