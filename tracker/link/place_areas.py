"""Parts of a country the text names: "eastern Ukraine", "the waters off Venezuela".

A country's point is its centre: a group "in eastern Ukraine" drawn there sits hundreds of
kilometres from where the text puts it, and warships "off the coast of Venezuela" drawn at
Venezuela's centre sit inland. With the country outlines every map already carries
(``data/basemap/countries.geojson``), the part the text names is the centre of that half of the
country, and the waters off it the point of its outline nearest the sea the sentence names (or
the point itself where the text names no sea). Both are precision 2: a part of a region.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from tracker.models import Toponym
from tracker.common.resources import data_file

#: A direction written before a country: "in eastern Ukraine", "northern Syria".
DIRECTION_BEFORE = re.compile(r"\b(north|south|east|west|northeast|northwest|southeast|southwest|"
                              r"north-east|north-west|south-east|south-west)ern\s+$", re.IGNORECASE)
#: Words that put a ship off a coast: "off the coast of X", "in waters around X", "off X".
OFF_COAST_BEFORE = re.compile(r"\b(?:off(?:\s+the)?(?:\s+\w+)?\s+coast\s+of|coast\s+of|waters\s+(?:around|off|near|of)|"
                              r"(?<!set )(?<!take )(?<!took )(?<!cut )off)\s+(?:the\s+)?$", re.IGNORECASE)
#: Unit vectors (east, north) of each direction word.
_BEARINGS = {"north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0)}


@lru_cache(maxsize=1)
def _outlines_by_name() -> dict:
    """The outline of every country the basemap draws, by its name there ("Russia", "Ukraine")."""
    from shapely.geometry import shape

    features = json.loads(data_file("basemap", "countries.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["name"]: shape(f["geometry"]) for f in features if not f["properties"].get("disputed")}


@lru_cache(maxsize=1)
def _outlines():
    """(outline, prepared outline) of every country the basemap draws."""
    from shapely.prepared import prep

    return [(outline, prep(outline)) for outline in _outlines_by_name().values()]


def outline_of(toponym: Toponym):
    """The outline of the country ``toponym`` names (the one holding its point), or None."""
    if not (toponym.feature_code or "").startswith("PCL") or not toponym.is_placed:
        return None
    from shapely.geometry import Point

    point = Point(toponym.lon, toponym.lat)
    for outline, prepared in _outlines():
        if prepared.contains(point):
            return outline
    return None


def direction_before(text: str, toponym: Toponym) -> str | None:
    """"eastern" before a name: the direction, as "east", "north-west"; else None."""
    match = DIRECTION_BEFORE.search(text, max(0, toponym.start - 20), toponym.start)
    return match.group(1).lower().replace("-", "") if match else None


def part_of_country(toponym: Toponym, direction: str) -> tuple[float, float] | None:
    """(lat, lon) of the centre of the named part of a country: its outline cut by a line through
    its centre across the direction, and the part on the direction's side kept."""
    outline = outline_of(toponym)
    if outline is None:
        return None
    from shapely.geometry import box

    east = sum(_BEARINGS[word][0] for word in _BEARINGS if word in direction)
    north = sum(_BEARINGS[word][1] for word in _BEARINGS if word in direction)
    west_x, south_y, east_x, north_y = outline.bounds
    centre = outline.centroid
    part = outline
    if east:
        part = part.intersection(box(centre.x, south_y, east_x, north_y) if east > 0 else
                                 box(west_x, south_y, centre.x, north_y))
    if north:
        part = part.intersection(box(west_x, centre.y, east_x, north_y) if north > 0 else
                                 box(west_x, south_y, east_x, centre.y))
    if part.is_empty:
        return None
    point = part.representative_point() if not part.contains(part.centroid) else part.centroid
    return round(point.y, 4), round(point.x, 4)


def off_coast_before(text: str, toponym: Toponym) -> bool:
    """"off the coast of X", "in waters around X", "off X": a ship at sea beside X."""
    return OFF_COAST_BEFORE.search(text, max(0, toponym.start - 40), toponym.start) is not None


def waters_off(toponym: Toponym, sea: Toponym | None) -> tuple[float, float]:
    """(lat, lon) of the waters off a place: for a country, the point of its outline nearest the
    sea the text names (its own point when it names none); for a town, the town's point."""
    outline = outline_of(toponym)
    if outline is None or sea is None or not sea.is_placed:
        return toponym.lat, toponym.lon  # type: ignore[return-value]
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    _, coast = nearest_points(Point(sea.lon, sea.lat), outline.boundary)
    return round(coast.y, 4), round(coast.x, 4)


#: Words that put a group at a country's border: "on the border with Ukraine", "near Ukraine's
#: border", "along the Ukrainian border".
BORDER_WITH_BEFORE = re.compile(r"\b(?:border|borders|frontier)\s+(?:with|of)\s+(?:the\s+)?$", re.IGNORECASE)
BORDER_AFTER = re.compile(r"(?:['’]s)?\s+(?:\w+\s+)?(?:border|borders|frontier)\b", re.IGNORECASE)


def at_border(text: str, toponym: Toponym) -> bool:
    """"the border with X", "X's border", "the Ukrainian border": X's border, not X."""
    return BORDER_WITH_BEFORE.search(text, max(0, toponym.start - 30), toponym.start) is not None \
        or BORDER_AFTER.match(text, toponym.end) is not None


def border_between(home: str, other: Toponym) -> tuple[float, float] | None:
    """(lat, lon) of the middle of the border the country named ``home`` shares with the country
    ``other`` (their outlines, widened a little to bridge the simplified lines), or None when
    they share none or are one country ("Polish tanks at the Polish border")."""
    first, second = _outlines_by_name().get(home), outline_of(other)
    if first is None or second is None or first is second:
        return None
    shared = first.buffer(0.1).intersection(second.buffer(0.1))
    if shared.is_empty:
        return None
    point = shared.centroid
    return round(point.y, 4), round(point.x, 4)
