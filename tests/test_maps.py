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
    from tracker.frame import deployments_frame, places_frame

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
    # open every popup the way Leaflet does (content set as HTML), then dump the DOM
    opener = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
              " trk_deployments.markers.forEach(function (m) { m.openPopup && m.getPopup() &&"
              " (document.body.appendChild(document.createElement('div')).innerHTML = m.getPopup().getContent()); });"
              " document.body.setAttribute('data-popups', String(trk_deployments.markers.length)); }, 500); });</script>")
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
    from tracker.report import build_report

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
    from tracker.report import build_report

    page = tmp_path / "r.html"
    page.write_text(build_report(*sample_rows).replace(
        "</body>", "<script>document.querySelector('table.trk-sortable th').click();"
                   "document.body.setAttribute('data-sorted', document.querySelector('table.trk-sortable th').getAttribute('aria-sort'));"
                   "</script></body>"), encoding="utf-8")
    dom = chromium("--dump-dom", html=page).stdout
    assert 'data-sorted="ascending"' in dom
