"""From a chosen place to the ``Toponym`` a mention becomes: at the place with its ACLED
precision, at the area written after a name the gazetteer lacks, a street or building at its
town, or unplaced.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from tracker.models import Mention, Place, Toponym


SITE_IN_PLACE = re.compile(r"^\s*(?:,|in|of|at|near)\s+$", re.IGNORECASE)
#: How far after a site ("Collins Avenue in Miami Beach") its town may be written.
SITE_QUALIFIER_CHARS = 12
#: A town named this close before a site is the site's town ("in Lombard. ... on Main Street").
SITE_CONTEXT_CHARS = 300


def place_sites(toponyms: list[Toponym], text: str) -> list[Toponym]:
    """Put each street, road or building in the town the article places it in.

    The gazetteer holds no streets; a street named in local news lies in the town the story is
    about. The town is the one written right after it ("Collins Avenue in Miami Beach"), else a
    town or county named shortly before it, else the one the article names most (the nearest
    of those). Precision is the town's or county's (ACLED 1 or 2); confidence is lowered, since
    the street's own point is not known.
    """
    towns = [t for t in toponyms if t.mention == "name" and t.lat is not None
             and (t.precision == 1 or t.feature_code == "ADM2")]
    if not towns:
        return toponyms
    counts = Counter((t.lat, t.lon) for t in towns)
    placed = []
    for toponym in toponyms:
        if toponym.mention != "site" or toponym.lat is not None:
            placed.append(toponym)
            continue
        after = [t for t in towns if 0 <= t.start - toponym.end <= SITE_QUALIFIER_CHARS
                 and SITE_IN_PLACE.match(text[toponym.end:t.start])]
        close_before = [t for t in towns if 0 <= toponym.start - t.end <= SITE_CONTEXT_CHARS]
        if after:
            town = after[0]
        elif close_before:
            town = close_before[-1]
        else:
            town = max(towns, key=lambda t: (counts[(t.lat, t.lon)], -abs(t.start - toponym.start)))
        placed.append(dataclasses.replace(
            toponym, name=town.name, lat=town.lat, lon=town.lon, geonameid=None, feature_code="SITE",
            country_code=town.country_code, admin1_code=town.admin1_code, precision=town.precision,
            confidence=round(town.confidence * 0.5, 3)))
    return placed


#: Between a name the gazetteer lacks and the area around it: "X, Kherson region", "X village,
#: Kherson", "X in the Idlib countryside", "the village of X in Bakhmut district".
ENCLOSING_GAP = re.compile(
    r"^(?:\s+(?:village|town|settlement|hamlet|township|district|raion|subdistrict|area|ward))?\s*(?:,\s*(?:in\s+)?|\s*\(\s*|\s+in\s+|\s+of\s+)"
    r"(?:the\s+)?$", re.IGNORECASE)
#: The feature code of a name placed at the area written after it, not at a place of its own.
AT_AREA = "AREA"
#: How much of the area's confidence a name placed in it keeps.
ENCLOSED_CONFIDENCE_SHARE = 0.5


def place_in_enclosing_areas(toponyms: list[Toponym], text: str) -> list[Toponym]:
    """Place a name the gazetteer lacks at the smallest area written right after it, as ACLED
    codes it: "the village of X, Kherson region" is placed at Kherson Oblast with precision 2 (3
    when only a country follows). The name stays the village's; its GeoNames id stays null. A
    name with no area after it stays unplaced (issue 14)."""
    placed = list(toponyms)
    for index, (toponym, following) in enumerate(zip(toponyms, toponyms[1:])):
        if (toponym.is_placed or toponym.mention != "name" or not following.is_placed or following.mention != "name"
                or following.start < toponym.end or not ENCLOSING_GAP.match(text[toponym.end:following.start])):
            continue
        if following.feature_code in ("ADM1", "ADM2", "ADM3") or (following.feature_code or "").startswith("PCL"):
            placed[index] = dataclasses.replace(
                toponym, name=toponym.text, lat=following.lat, lon=following.lon, country_code=following.country_code,
                feature_code=AT_AREA,
                admin1_code=following.admin1_code, precision=3 if following.precision == 3 and following.feature_code.startswith("PCL") else 2,
                confidence=round(following.confidence * ENCLOSED_CONFIDENCE_SHARE, 3))
    return placed


def at_area(mention: Mention, area: Place) -> Toponym:
    """A name the gazetteer has no place of inside the area written after it, placed at the
    area as ACLED codes it: precision 2 (3 for a country), no GeoNames id, feature code
    ``AREA``."""
    return Toponym(start=mention.start, end=mention.end, text=mention.text, name=mention.text, lat=area.lat,
                   lon=area.lon, geonameid=None, feature_code=AT_AREA, country_code=area.country_code,
                   admin1_code=area.admin1_code, precision=3 if area.is_country else 2, confidence=0.5,
                   mention=mention.kind)


def precision_of(place: Place) -> int:
    """ACLED precision: 1 a town or point, 2 a district or part of a region, 3 a region or country."""
    if place.feature_class in ("P", "S"):
        return 1
    if place.feature_code in ("ADM2", "ADM3"):
        return 2
    return 3


def placed_toponym(mention: Mention, place: Place, confidence: float) -> Toponym:
    return Toponym(
        start=mention.start, end=mention.end, text=mention.text, name=place.name, lat=place.lat,
        lon=place.lon, geonameid=place.geonameid, feature_code=place.feature_code,
        country_code=place.country_code, admin1_code=place.admin1_code,
        precision=precision_of(place), confidence=confidence, mention=mention.kind,
    )


def unplaced_toponym(mention: Mention) -> Toponym:
    """A mention the gazetteer does not know: kept, with no coordinates and no confidence."""
    return Toponym(start=mention.start, end=mention.end, text=mention.text, name=None, lat=None, lon=None,
                   geonameid=None, feature_code=None, country_code=None, admin1_code=None,
                   precision=None, confidence=0.0, mention=mention.kind)
