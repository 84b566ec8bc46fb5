"""Rebuild ``data/basemap/countries.geojson``: country outlines that every map carries offline.

Run ``python -m tracker.maps.build_basemap`` (needs npm). Source: npm ``world-atlas`` 2.0.2,
Natural Earth 1:50m admin-0 countries (public domain), simplified to 0.05 degrees and 3 decimals.

Disputed areas. Natural Earth's de facto outlines put Crimea inside Russia. We draw Crimea as
part of Ukraine, as UN General Assembly resolution 68/262 (2014) affirms, and add it again as a
separate feature with ``disputed: true`` and a note, which the map draws with a dashed outline
("occupied by Russia since 2014"). Other disputed areas (Western Sahara, Kashmir, Taiwan,
Kosovo, Golan Heights) are drawn as Natural Earth draws them.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from tracker.gazetteer.registry_packages import fetch_npm_packages, topojson_geometries

OUTPUT = Path(__file__).resolve().parents[2] / "data" / "basemap" / "countries.geojson"
PACKAGE = "world-atlas@2.0.2"
SIMPLIFY_DEGREES = 0.05
#: Land south of the Perekop isthmus and west of the Kerch Strait.
CRIMEA_OUTLINE = [(32.3, 44.2), (36.0, 44.2), (36.5, 45.1), (36.56, 45.25), (36.72, 45.55), (35.2, 46.3),
                  (32.3, 46.3), (32.3, 44.2)]
CRIMEA_NOTE = ("Crimea: part of Ukraine (UN GA resolution 68/262); occupied by Russia since 2014")


def build(output: Path = OUTPUT) -> None:
    from shapely.geometry import Polygon, mapping

    with tempfile.TemporaryDirectory() as workdir:
        folder = fetch_npm_packages(Path(workdir), (PACKAGE,))["world-atlas"]
        topology = folder / "countries-50m.json"
        shapes = topojson_geometries(topology, "countries")
        names: dict[str, str] = {}
        for geometry in json.loads(topology.read_text(encoding="utf-8"))["objects"]["countries"]["geometries"]:
            if geometry.get("id") is not None:  # the first feature of a code is the country itself
                names.setdefault(str(geometry["id"]), geometry["properties"]["name"])
    crimea_area = Polygon(CRIMEA_OUTLINE)
    russia, ukraine = "643", "804"
    crimea = shapes[russia].intersection(crimea_area)
    shapes[russia] = shapes[russia].difference(crimea_area)
    shapes[ukraine] = shapes[ukraine].union(crimea)
    features = [{"type": "Feature", "properties": {"name": names.get(code, code), "iso_numeric": code},
                 "geometry": mapping(shape.simplify(SIMPLIFY_DEGREES, preserve_topology=True))}
                for code, shape in sorted(shapes.items())]
    features.append({"type": "Feature", "properties": {"name": "Crimea", "disputed": True, "note": CRIMEA_NOTE},
                     "geometry": mapping(crimea.simplify(SIMPLIFY_DEGREES / 5, preserve_topology=True))})
    collection = {"type": "FeatureCollection", "features": features,
                  "source": "Natural Earth 1:50m via npm world-atlas 2.0.2 (public domain); "
                            "Crimea redrawn, see tracker/maps/build_basemap.py"}
    text = json.dumps(collection, separators=(",", ":"))
    text = re.sub(r"(-?\d+\.\d{3})\d+", r"\1", text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output} ({len(features)} features, {len(text) // 1024} KB)")


if __name__ == "__main__":
    build()
