"""Maps: rendered HTML checked as text, and opened in headless Chromium with the network refused."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tracker
from tracker.maps.render import render_map, save_map
from tracker.models import Article

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("TRACKER_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI installs it and sets TRACKER_REQUIRE_BROWSER=1)")
NO_NETWORK = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
PAYLOADS = ["<script>document.body.setAttribute('data-pwned','1')</script>",
            "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
            "</script><script>document.body.setAttribute('data-pwned','1')</script>",
            "`${document.body.setAttribute('data-pwned','1')}` 'quoted' \"double\""]


@pytest.fixture(scope="module")
def sample_rows(sample_path):
    return tracker.extract([str(sample_path)]), tracker.extract([str(sample_path)], layer="places")


@pytest.fixture(scope="module")
def hostile_rows():
    text = ("Four Russian attack helicopters arrived in Latakia on Friday. " + " ".join(PAYLOADS) +
            " Two Turkish frigates are based in Tripoli.")
    article = Article(id="x<script>1</script>", text=text, source="javascript:alert(1)", title="<b>title</b>",
                      published="2015-09-18")
    extracted = list(tracker.Extractor.default().extract_articles([article]))
    from tracker.pipelines.frame import deployments_frame, places_frame

    frame = deployments_frame(d for item in extracted for d in item.deployments)
    frame["quote"] = frame["quote"] + " " + " ".join(PAYLOADS)
    return frame, places_frame(extracted)


def test_html_is_self_contained(sample_rows, tmp_path):
    html = save_map(render_map(*sample_rows), tmp_path / "m.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']?(?:https?:)?//", html)
    assert not re.search(r"url\([\"']?https?:", html)
    assert "GeoNames" in html and "Natural Earth" in html


def test_online_tiles_are_an_option_not_a_default(sample_rows, tmp_path):
    offline = render_map(*sample_rows).get_root().render()
    online = render_map(*sample_rows, tiles="carto").get_root().render()
    assert "basemaps.cartocdn.com" not in offline and "basemaps.cartocdn.com" in online


def test_article_text_reaches_the_page_only_as_escaped_json(hostile_rows, tmp_path):
    html = save_map(render_map(*hostile_rows, by_actor=True), tmp_path / "x.html").read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in html
    assert "<script>document.body" not in html and "onerror=\"document" not in html
    assert html.count("</script>") == html.count("<script")


def test_map_cli_default_output_and_formats(sample_path, tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "tracker.cli.main", "map", *a], capture_output=True,
                                    text=True, timeout=300, cwd=tmp_path)
    result = run(str(sample_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "maps" / f"{sample_path.stem}.html").stat().st_size > 100_000
    extracted = tmp_path / "rows.gpkg"
    subprocess.run([sys.executable, "-m", "tracker.cli.main", "extract", str(sample_path), "-o", str(extracted)],
                   check=True, capture_output=True, timeout=300)
    from_rows = run(str(extracted), "-o", "from-rows.html")
    assert from_rows.returncode == 0, from_rows.stderr
    assert "4 deployments" in from_rows.stderr
    bad = run(str(sample_path), "-o", "x.svg")
    assert bad.returncode == 6 and "unknown map format" in bad.stderr


def chromium(*arguments: str, html: Path) -> subprocess.CompletedProcess:
    profile = html.parent / "profile"
    command = [BROWSER or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *NO_NETWORK, "--virtual-time-budget=5000", *arguments, html.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.browser
@needs_browser
def test_browser_draws_markers_and_toggles_offline(sample_rows, tmp_path):
    page = save_map(render_map(*sample_rows, by_status=True), tmp_path / "m.html")
    dom = chromium("--dump-dom", html=page).stdout
    assert 'data-trk-ready="true"' in dom, "the map script did not finish"
    assert dom.count("trk-marker") + dom.count("marker-cluster") >= 2
    assert dom.count('class="leaflet-control-layers-selector"') >= 5
    assert "Latakia" in dom  # the place label


@pytest.mark.browser
@needs_browser
def test_screenshot_is_not_blank(sample_rows, tmp_path):
    from PIL import Image

    page = save_map(render_map(*sample_rows), tmp_path / "m.html")
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1000,700", html=page)
    image = Image.open(shot).convert("RGB").resize((100, 70))
    colours = set(image.get_flattened_data()) if hasattr(image, "get_flattened_data") else set(image.getdata())
    assert len(colours) > 50, "the screenshot is (nearly) one colour"


@pytest.mark.browser
@needs_browser
def test_no_script_from_article_text_runs_when_popups_open(hostile_rows, tmp_path):
    page = save_map(render_map(*hostile_rows, by_actor=True), tmp_path / "x.html")
    # build every row's popup the way Leaflet shows it (content set as HTML), then dump the DOM
    opener = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
              " var view = trk_view.deployments;"
              " for (var i = 0; i < view.count; i++) {"
              "   document.body.appendChild(document.createElement('div')).innerHTML = view.popup(i); }"
              " document.body.setAttribute('data-popups', String(view.count)); }, 500); });</script>")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", opener + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", html=page).stdout
    assert re.search(r'data-popups="[1-9]', dom), "no popup was opened"
    assert 'data-pwned="1"' not in dom
    assert "trk-quote" in dom and "&lt;script&gt;" in dom  # the payload is shown as text
    assert 'href="javascript:' not in dom


def test_render_map_returns_a_folium_map_for_jupyter(sample_rows):
    import folium

    fmap = tracker.render_map(*sample_rows)
    assert isinstance(fmap, folium.Map)
    assert "TrackerMap.deployments" in fmap._repr_html_() or "srcdoc" in fmap._repr_html_()


def test_report_has_map_table_summaries_and_escaped_sources(hostile_rows):
    from tracker.maps.report import build_report

    page = build_report(*hostile_rows, title="<i>T</i>")
    assert '<iframe class="trk-map"' in page and 'sandbox="allow-scripts"' in page
    assert 'class="trk-sortable"' in page and "Deployments per actor" in page
    assert "<i>T</i>" not in page and "&lt;i&gt;T&lt;/i&gt;" in page
    assert 'href="javascript:' not in page
    for payload in PAYLOADS:
        assert payload not in page
    fragment = build_report(*hostile_rows, output_format="fragment")
    assert fragment.startswith("<iframe") and "<table" not in fragment


@pytest.mark.browser
@needs_browser
def test_sorting_script_runs_in_the_browser(sample_rows, tmp_path):
    if BROWSER is None:
        pytest.skip("no chromium")
    from tracker.maps.report import build_report

    page = tmp_path / "r.html"
    page.write_text(build_report(*sample_rows).replace(
        "</body>", "<script>document.querySelector('table.trk-sortable th').click();"
                   "document.body.setAttribute('data-sorted', document.querySelector('table.trk-sortable th').getAttribute('aria-sort'));"
                   "</script></body>"), encoding="utf-8")
    dom = chromium("--dump-dom", html=page).stdout
    assert 'data-sorted="ascending"' in dom


# ---------------------------------------------------------------------------- moves and area-level rows

from conftest import hand_made_deployment as deployment  # noqa: E402


@pytest.fixture(scope="module")
def moved_rows():
    from tracker.pipelines.frame import deployments_frame

    return deployments_frame([
        deployment(origin="Germany", origin_geonameid=2921044, origin_lat=51.17, origin_lon=10.45),
        deployment(category="tank", role="unknown", model=None, count=4, place="Syria", geonameid=163843,
                   country_code="SY", lat=35.01, lon=38.25, quote="Four tanks were seen in Syria."),
        deployment(category="ship", role="frigate", model=None, count=2, place="Tartus", geonameid=170017,
                   country_code="SY", precision=1, lat=34.89, lon=35.89, status="planned",
                   origin=PAYLOADS[0], origin_lat=44.6, origin_lon=33.5, quote="Two frigates will sail to Tartus.")])


def test_great_circle_path_runs_from_origin_to_place_and_bends():
    from tracker.maps.movements import movement_path

    path = movement_path(51.17, 10.45, 55.42, 24.03)
    assert path.vertices[0] == (51.17, 10.45) and path.vertices[-1] == (55.42, 24.03)
    assert len(path.vertices) > 10 and 1000 < path.length_km < 1040
    middle = path.vertices[len(path.vertices) // 2]
    assert middle[0] > (51.17 + 55.42) / 2  # a great circle in the north bows poleward of the straight line
    assert 60 < path.angle < 75  # heading east-north-east as drawn on the map
    assert movement_path(10.0, 10.0, 10.0, 10.000001) is None  # no move to draw


def test_a_move_across_the_antimeridian_does_not_jump_across_the_map():
    from tracker.maps.movements import movement_path

    path = movement_path(43.1, 131.9, 61.2, -149.9)  # Vladivostok -> Anchorage
    assert path.vertices[-1] == (61.2, -149.9)  # ends on the place's marker
    steps = [abs(b[1] - a[1]) for a, b in zip(path.vertices, path.vertices[1:])]
    assert max(steps) < 5


@pytest.mark.parametrize("start, end, angle", [((0, 0), (1, 0), 0.0), ((0, 0), (0, 1), 90.0),
                                                ((0, 0), (-1, 0), 180.0), ((0, 0), (0, -1), 270.0)])
def test_arrowhead_angle_is_clockwise_from_up(start, end, angle):
    from tracker.maps.movements import mercator_angle

    assert mercator_angle(start, end) == angle


def test_page_data_carries_the_move_and_the_area_level(moved_rows):
    from tracker.maps.render import deployment_features

    features = {f["properties"]["category"]: f for f in deployment_features(moved_rows)["features"]}
    helicopter = features["helicopter"]
    assert helicopter["properties"]["origin"] == "Germany"
    assert helicopter["movement"]["path"][0] == [51.17, 10.45] and helicopter["movement"]["path"][-1] == [55.42, 24.03]
    assert helicopter["properties"]["area_level"] == "country"  # Lithuania is the whole country
    assert features["tank"]["properties"]["area_level"] == "country" and "movement" not in features["tank"]
    assert "area_level" not in features["ship"]["properties"]  # precision 1: a point


def test_area_level_tells_a_country_from_a_region():
    from tracker.maps.page_data import area_level

    assert area_level(163843, "SY", "Syria") == "country"
    assert area_level(None, "SY", "Syria") == "country"
    assert area_level(170570, "SY", "Latakia Governorate") == "region"
    assert area_level(None, None, "Middle East") == "region"


def test_map_html_has_the_move_in_its_own_layer_with_escaped_text(moved_rows, tmp_path):
    html = save_map(render_map(moved_rows), tmp_path / "moves.html").read_text(encoding="utf-8")
    assert '"path":[[511700,104500,' in html  # the move's vertices, in 1e-4 degree
    assert '"origin_values":["Germany"' in html
    assert PAYLOADS[0] not in html and "\\u003cscript\\u003edocument.body" in html  # the hostile origin, as data
    assert "overlays[\"Movements\"] = moves.addTo(map)" in html  # the runtime's toggle
    assert '"moves":true' in html and '"areas":true' in html  # the legend explains both
    plain = save_map(render_map(moved_rows[moved_rows["origin"].isna()]), tmp_path / "plain.html")
    assert '"moves":{"row":[],"path":[]' in plain.read_text(encoding="utf-8")


def test_maps_read_files_written_before_origins_existed(moved_rows):
    from tracker.maps.render import deployment_features

    old = moved_rows.drop(columns=["origin", "origin_geonameid", "origin_lat", "origin_lon"])
    features = deployment_features(old)["features"]
    assert len(features) == 3 and not any("movement" in f or "origin" in f["properties"] for f in features)


def test_report_table_shows_the_origin_when_there_is_one(moved_rows):
    from tracker.maps.report import build_report

    page = build_report(moved_rows)
    head = page[page.index('<table class="trk-sortable">'):page.index("</thead>")]
    assert '<th scope="col">place</th><th scope="col">origin</th>' in head
    assert '<td data-value="Germany">Germany</td>' in page
    assert PAYLOADS[0] not in page  # an origin from article text is escaped too
    without = build_report(moved_rows[moved_rows["origin"].isna()])
    assert '<th scope="col">origin</th>' not in without


@pytest.mark.browser
@needs_browser
def test_browser_draws_the_move_with_an_arrow_and_toggles_it(moved_rows, tmp_path):
    page = save_map(render_map(moved_rows), tmp_path / "moves.html")
    probe = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
             " var b = document.body, view = trk_view.deployments, layer = view.moves, map = trk_view.map;"
             " b.setAttribute('data-moves', String(layer.shown()) + ':' + layer.drawn());"
             " b.setAttribute('data-tooltip', layer.tooltip(0));"
             " var end = map.latLngToContainerPoint([55.42, 24.03]), start = map.latLngToContainerPoint([51.17, 10.45]);"
             " var middle = L.point((end.x + start.x) / 2, (end.y + start.y) / 2);"
             " b.setAttribute('data-hit', String(layer.nearest(start)) + ':' + String(layer.nearest(L.point(-500, -500))));"
             " for (var i = 0; i < view.count; i++) {"
             "   b.appendChild(document.createElement('div')).innerHTML = view.popup(i); }"
             " var box = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).filter("
             "   function (l) { return l.textContent.trim() === 'Movements'; })[0];"
             " box.querySelector('input').click();"
             " b.setAttribute('data-moves-after-toggle', String(map.hasLayer(layer)) + ':' +"
             "   document.querySelectorAll('canvas.trk-moves').length);"
             " }, 500); });</script>")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", html=page).stdout
    assert 'data-trk-ready="true"' in dom, "the map script did not finish"
    assert 'data-moves="2:2"' in dom  # both moves drawn, arrowheads with them, on the moves' canvas
    assert 'data-hit="0:null"' in dom  # the origin's end of the path is found under the pointer, nothing far away
    assert 'data-tooltip="from Germany to Lithuania, 1019 km"' in dom
    assert "from Germany to Lithuania" in dom
    assert "somewhere in Syria (country-level) <span class=\"trk-muted\">(confidence 0.9)" in dom
    assert 'data-moves-after-toggle="false:0"' in dom  # the Movements toggle hides lines and arrows
    assert 'data-pwned="1"' not in dom and "from &lt;script&gt;" in dom


@pytest.mark.browser
@needs_browser
def test_area_level_marker_is_hollow_and_dashed(moved_rows, tmp_path):
    from tracker.pipelines.frame import deployments_frame

    rows = deployments_frame([deployment(category="tank", role="unknown", model=None, count=4, place="Syria",
                                         geonameid=163843, country_code="SY", lat=35.01, lon=38.25),
                              deployment(category="drone", role="unknown", model=None, count=2, place="Kharkiv",
                                         geonameid=706483, country_code="UA", precision=1, lat=49.98, lon=36.25)])
    page = save_map(render_map(rows), tmp_path / "area.html")
    probe = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
             " var heat = trk_view.deployments.heat; heat.addTo(trk_view.map);"
             " document.body.setAttribute('data-heat', String(heat._latlngs.length)); }, 500); });"
             "</script>")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", html=page).stdout
    assert 'data-heat="1"' in dom  # the drones at Kharkiv heat the map, "somewhere in Syria" does not
    marker = re.search(r'class="[^"]*trk-marker trk-area[^"]*"[^>]*>\s*<div style="([^"]*)"', dom)
    assert marker, "no area-level marker drawn"
    style = marker.group(1).replace(" ", "")
    assert "dashed" in style and "background:rgba(255,255,255" in style  # hollow: white inside, coloured edge


def test_the_issue_sentence_gives_a_map_with_the_move(tmp_path):
    """End to end, through the real linker: the sentence of the issue's acceptance test."""
    from tracker.maps.render import deployment_features

    rows = tracker.extract(text="Twenty Apache attack helicopters were moved from Germany to Lithuania.")
    features = deployment_features(rows)["features"]
    assert [(f["properties"]["place"], f["properties"].get("origin")) for f in features] == [("Lithuania", "Germany")]
    path = features[0]["movement"]["path"]
    assert path[0][1] < 15 < 20 < path[-1][1]  # from Germany (west) to Lithuania (east)
    html = save_map(render_map(rows), tmp_path / "issue.html").read_text(encoding="utf-8")
    assert '"moves":{"row":[0],"path":[[' in html
