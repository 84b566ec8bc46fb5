"""How large and how slow is a map of 20,000 deployments?

    python benchmarks/map_scale.py [--rows 20000] [--moved 0.1] [--browser]

Builds N synthetic deployment rows (categories, counts, owners, statuses, dates and quotes drawn
at random, placed at random GeoNames towns of the bundled gazetteer; seeded, so every run is the
same; a share of them, --moved, moved from another random town, so the page also draws that many
great-circle lines), renders them with tracker.render_map, and reports the render time, the HTML size and, with
--browser, how long headless Chromium takes until the page says it is ready.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.maps.render import render_map, save_map  # noqa: E402
from tracker.recognize.equipment import CATEGORIES, ROLES  # noqa: E402
from tracker.resources import data_file  # noqa: E402

STATUSES = ("arrived", "present", "planned", "departed", "seized", "destroyed", "damaged")
ACTORS = ("Russia", "Ukraine", "United States", "Syria", "Turkey", "ISIL", "Iran", "Israel", "China", "NATO")


def synthetic_rows(count: int, seed: int = 7, moved: float = 0.1):
    import geopandas
    from shapely.geometry import Point

    rng = random.Random(seed)
    origins = random.Random(seed + 1)  # apart, so the other columns stay as they were without moves
    with sqlite3.connect(data_file("gazetteer.sqlite")) as connection:
        towns = connection.execute("SELECT name, lat, lon, geonameid, country_code FROM places "
                                   "WHERE feature_class = 'P' AND population > 20000").fetchall()
    rows, points = [], []
    for index in range(count):
        name, lat, lon, geonameid, country = rng.choice(towns)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--moved", type=float, default=0.1, help="share of rows that are moves (default 0.1)")
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium until the map is ready")
    args = parser.parse_args()
    frame = synthetic_rows(args.rows, moved=args.moved)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        page = save_map(render_map(frame, None, by_actor=True, by_status=True), Path(folder) / "scale.html")
        render_seconds = time.perf_counter() - started
        result = {"rows": args.rows, "render_s": round(render_seconds, 2),
                  "html_mb": round(page.stat().st_size / 1e6, 2)}
        browser = shutil.which("chromium")
        if args.browser and browser:
            started = time.perf_counter()
            dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                                  "--disable-background-networking", f"--user-data-dir={folder}/profile",
                                  "--virtual-time-budget=60000", "--dump-dom", page.as_uri()],
                                 capture_output=True, text=True, timeout=600).stdout
            result["browser_s"] = round(time.perf_counter() - started, 2)
            result["browser_ready"] = 'data-trk-ready="true"' in dom
            result["clusters_drawn"] = len(re.findall(r"marker-cluster", dom))
        print(json.dumps(result))


if __name__ == "__main__":
    main()
