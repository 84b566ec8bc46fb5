"""Registry packages read by the data builders (never at analysis time).

``npm pack`` fetches a package tarball from the npm registry by name and version; TopoJSON
outlines (world-atlas, us-atlas) are decoded here into shapely geometries.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path


def fetch_npm_packages(workdir: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """``npm pack`` the atlases into workdir and unpack them; returns package name -> folder."""
    subprocess.run(["npm", "pack", "--silent", *packages], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    folders = {}
    for tarball in workdir.glob("*.tgz"):
        name = tarball.name.rsplit("-", 1)[0]
        target = workdir / name
        with tarfile.open(tarball) as archive:
            archive.extractall(target, filter="data")
        folders[name] = target / "package"
    return folders


def topojson_geometries(path: Path, object_name: str) -> dict[str, object]:
    """Decode one object of a quantised TopoJSON file into shapely geometries keyed by id."""
    from shapely import make_valid
    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    topology = json.loads(path.read_text(encoding="utf-8"))
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        around_pole = any(abs(y) > 85 for _, y in points)
        if not around_pole and any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
            # a ring that jumps across the antimeridian (Chukotka, Fiji): continue it east of 180
            # degrees; a ring around a pole (Antarctica) closes along the pole's edge instead
            points = [(x + 360 if x < 0 else x, y) for x, y in points]
        return points

    def polygon(rings: list[list[int]]) -> Polygon | None:
        # quantisation collapses the smallest islands and holes to fewer than four points
        shell, *holes = (ring(r) for r in rings)
        if len(shell) < 4:
            return None
        return Polygon(shell, [hole for hole in holes if len(hole) >= 4])

    shapes: dict[str, object] = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry.get("id") is None:
            continue
        if geometry["type"] == "Polygon":
            parts = [polygon(geometry["arcs"])]
        elif geometry["type"] == "MultiPolygon":
            parts = [polygon(p) for p in geometry["arcs"]]
        else:
            continue
        parts = [make_valid(part) for part in parts if part is not None]
        if not parts:
            continue
        # repair each part on its own, and merge features sharing an id: Natural Earth gives
        # Ashmore and Cartier Islands Australia's code 036, which must not replace Australia
        key = str(geometry["id"])
        shapes[key] = unary_union([*parts, *([shapes[key]] if key in shapes else [])])
    return shapes


