"""How large and how slow is a map of 1,000 to 1,000,000 deployments?

    python benchmarks/map_scale.py [--rows 1000 20000 100000 1000000] [--moved 0.1] [--browser]

Builds N synthetic deployment rows (categories, counts, owners, statuses, dates and quotes drawn
at random, placed at random GeoNames towns of the bundled gazetteer; seeded, so every run is the
same; a share of them, --moved, moved from another random town, so the page also draws that many
great-circle lines), renders them with tracker.render_map, and reports, for each size, the time to
write the page, its size and, with --browser, how long headless Chromium (1400x1000) takes to load
and draw it, by the page's own clock (performance.now() when it marks itself ready: from the start
of navigation, so parsing the HTML and inflating the data count), with the clustering index's build
time and the markers and labels in the first view. One JSON line per size.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.maps.render import render_map, save_map  # noqa: E402
from tracker.recognize.equipment import CATEGORIES, ROLES  # noqa: E402
from tracker.common.resources import data_file  # noqa: E402

STATUSES = ("arrived", "present", "planned", "departed", "seized", "destroyed", "damaged")
ACTORS = ("Russia", "Ukraine", "United States", "Syria", "Turkey", "ISIL", "Iran", "Israel", "China", "NATO")


def synthetic_rows(count: int, seed: int = 7, moved: float = 0.1, distinct: bool = False):
    """Rows at random towns; with ``distinct``, each row at a place of its own (the town's point
    moved by up to 0.2 degree, its name numbered), as a store of a year of news has them."""
    import geopandas
    from shapely.geometry import Point

    rng = random.Random(seed)
    origins = random.Random(seed + 1)  # apart, so the other columns stay as they were without moves
    spread = random.Random(seed + 2)
    with sqlite3.connect(data_file("gazetteer.sqlite")) as connection:
        towns = connection.execute("SELECT name, lat, lon, geonameid, country_code FROM places "
                                   "WHERE feature_class = 'P' AND population > 20000").fetchall()
    rows, points = [], []
    for index in range(count):
        name, lat, lon, geonameid, country = rng.choice(towns)
        if distinct:
            name, lat, lon = f"{name} {index}", lat + spread.uniform(-0.2, 0.2), lon + spread.uniform(-0.2, 0.2)
        category = rng.choice(CATEGORIES)
        number = rng.choice([None, 1, 2, 4, 8, 12, 30])
        rows.append({
            "article_id": f"a{index // 5}", "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "source": f"https://news.example.org/{index}", "title": f"Report {index}", "category": category,
            "role": rng.choice(ROLES.get(category, ("unknown",))), "model": None, "count": number,
            "count_qualifier": "exact" if number else "unknown", "count_max": None, "actor": rng.choice(ACTORS),
            "status": rng.choice(STATUSES), "place": name, "geonameid": geonameid, "country_code": country,
            "precision": rng.choice([1, 2, 3]), "confidence": round(rng.random(), 3),
            "quote": f"Officials said {number or 'several'} {category.replace('_', ' ')} units were seen near {name} "
                     "on the day, according to satellite imagery reviewed by analysts.",
            "start": 0, "end": 10, "origin": None, "origin_lat": None, "origin_lon": None})
        if origins.random() < moved:
            origin, origin_lat, origin_lon, _, _ = origins.choice(towns)
            rows[-1].update(origin=origin, origin_lat=origin_lat, origin_lon=origin_lon)
        points.append(Point(lon, lat))
    return geopandas.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")


def process_tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Chromium's renderer, GPU and utility processes)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, total = {root}, 0.0
    for _ in range(10):
        tree |= {pid for pid, parent in parents.items() if parent in tree}
    for pid in tree:
        try:
            rss = [line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS:")]
            total += int(rss[0].split()[1]) / 1024 if rss else 0
        except OSError:
            continue
    return round(total)


def browser_figures(page: Path, timeout: float) -> dict:
    """Load and draw time by the page's clock, through Chromium's DevTools pipe (tests/devtools.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from devtools import Browser

    started = time.perf_counter()
    with Browser(page.as_uri(), width=1400, height=1000) as browser:
        browser.wait_for("document.body && (document.body.getAttribute('data-trk-ready') === 'true' ||"
                         " document.body.getAttribute('data-trk-error'))", timeout=timeout)
        seen = browser.evaluate("({ready: document.body.getAttribute('data-trk-ready-ms'),"
                                " index: document.body.getAttribute('data-trk-index-ms'),"
                                " error: document.body.getAttribute('data-trk-error'),"
                                " markers: document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon').length,"
                                " labels: document.querySelectorAll('.trk-label').length,"
                                " heap: performance.memory ? performance.memory.usedJSHeapSize : 0})")
        memory = process_tree_rss_mb(browser._process.pid)
    return {"browser_draw_s": round(int(seen["ready"] or 0) / 1000, 2), "index_s": round(int(seen["index"] or 0) / 1000, 2),
            "wall_s": round(time.perf_counter() - started, 2), "markers_in_view": seen["markers"],
            "labels_in_view": seen["labels"], "js_heap_mb": round(seen["heap"] / 1e6),
            "chromium_rss_mb": memory, "error": seen["error"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 20_000, 100_000])
    parser.add_argument("--moved", type=float, default=0.1, help="share of rows that are moves (default 0.1)")
    parser.add_argument("--distinct-places", action="store_true",
                        help="every row at a place of its own (default: rows share the gazetteer's larger towns)")
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium until the map is drawn")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for Chromium (default 600)")
    args = parser.parse_args()
    for rows in args.rows:
        frame = synthetic_rows(rows, moved=args.moved, distinct=args.distinct_places)
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            page = save_map(render_map(frame, None, by_actor=True, by_status=True), Path(folder) / "scale.html")
            result = {"rows": rows, "distinct_places": args.distinct_places, "write_s": round(time.perf_counter() - started, 2),
                      "html_mb": round(page.stat().st_size / 1e6, 2)}
            del frame
            if args.browser and shutil.which("chromium"):
                result.update(browser_figures(page, args.timeout))
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
