"""Moves on the map: the great-circle path from a group's origin to its place, and its arrowhead.

Computed here, in Python, on the WGS 84 ellipsoid (pyproj's geodesics), so the page only draws the
points and the angle it is given: no routing or projection code of our own runs in the browser.
A straight line on a Web Mercator map exaggerates and bends long moves; the geodesic is the path
a reader expects from "flown from Germany to Lithuania".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

#: one vertex about every this many kilometres, so a move bends smoothly at the zooms it spans;
#: at most MAX_VERTICES, which keeps a page of thousands of moves a few MB (a 10,000 km move is
#: seen whole only at world zoom, where a vertex every 200 km is still smooth)
STEP_KM = 50.0
MAX_VERTICES = 48
#: below this a move has no length worth drawing (origin and place are one point)
MIN_KM = 1.0


@dataclass(frozen=True, slots=True)
class MovementPath:
    """(lat, lon) vertices from the origin to the place, and the arrowhead's screen angle.

    Longitudes are continuous (they may leave -180..180), counted from the place's longitude, so
    a move across the antimeridian is drawn across it, ending on the place's marker. ``angle`` is
    the direction of travel at the place, in degrees clockwise from up on a Web Mercator map.
    """

    vertices: tuple[tuple[float, float], ...]
    angle: float
    length_km: float


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def great_circle_vertices(origin: tuple[float, float], place: tuple[float, float]) -> list[tuple[float, float]]:
    """(lat, lon) vertices along the geodesic from ``origin`` to ``place`` (both (lat, lon)), ends included."""
    (lat1, lon1), (lat2, lon2) = origin, place
    _, _, metres = _geod().inv(lon1, lat1, lon2, lat2)
    between = min(MAX_VERTICES - 2, int(metres / 1000 / STEP_KM))
    inner = _geod().npts(lon1, lat1, lon2, lat2, between) if between > 0 else []
    vertices = [(lat1, lon1), *[(lat, lon) for lon, lat in inner], (lat2, lon2)]
    return _continuous_from_the_end(vertices)


def _continuous_from_the_end(vertices: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The same vertices with no longitude jump over 180 degrees, the last one left where it is."""
    result = [vertices[-1]]
    for lat, lon in reversed(vertices[:-1]):
        following = result[-1][1]
        lon += 360.0 * round((following - lon) / 360.0)
        result.append((lat, lon))
    return result[::-1]


def mercator_angle(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Screen direction from ``start`` to ``end`` ((lat, lon)) on a Web Mercator map, in degrees
    clockwise from up: what a marker must be rotated by to point along the line as drawn."""
    def northing(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    east = math.radians(end[1] - start[1])
    north = northing(end[0]) - northing(start[0])
    return round(math.degrees(math.atan2(east, north)) % 360.0, 1)


def _rounded(vertices: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The ends to 5 decimals, as the row gives them; inner vertices to 4 (11 m): plenty for a
    drawn path, and a fifth less page."""
    last = len(vertices) - 1
    return tuple((round(lat, 5 if i in (0, last) else 4), round(lon, 5 if i in (0, last) else 4))
                 for i, (lat, lon) in enumerate(vertices))


def movement_path(origin_lat: float, origin_lon: float, lat: float, lon: float) -> MovementPath | None:
    """The path to draw for a move, or None when origin and place are (nearly) the same point."""
    _, _, metres = _geod().inv(origin_lon, origin_lat, lon, lat)
    if metres / 1000 < MIN_KM:
        return None
    vertices = great_circle_vertices((origin_lat, origin_lon), (lat, lon))
    return MovementPath(vertices=_rounded(vertices),
                        angle=mercator_angle(vertices[-2], vertices[-1]), length_km=round(metres / 1000, 1))
