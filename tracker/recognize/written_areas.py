"""The area a text writes right after a place's name, and which of the name's places lie in it.

Conflict event notes name a village with the areas that hold it: "Zelenivka village, Kherson",
"Novoselivka (Pokrovsk raion, Donetsk oblast)", "Wadi Bana in Taiz governorate". A namesake
outside those areas is never the village the note means (issue 21): of a name's candidates only
those inside every area written after it are kept, and when the gazetteer has none there the
name is placed at the smallest area, as ACLED codes a village it cannot find (precision 2).

The gazetteer gives a town its country and first-level region; most towns lack a second-level
code, so a town lies in a district (raion, township) when it shares the district's region and
lies within ``DISTRICT_RADIUS_KM`` of the district's point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.common.distance import km_between as _km
from tracker.gazetteer.index import Candidate
from tracker.models import Mention, Place

#: Between a name and the first area after it: "X, Y", "X (Y", "X in Y", "X village, Y", "X in the Y".
FIRST_AREA_GAP = re.compile(
    r"^(?P<noun>\s+(?:village|town|settlement|hamlet|township|district|raion|subdistrict|area|ward|city|hromada))?"
    r"\s*(?P<link>,(?:\s*in\b)?|\(|\s+in)\s*(?:the\s+)?$", re.IGNORECASE)
#: Between one area and a larger one: "Pokrovsk raion, Donetsk", "Kani township, Sagaing".
NEXT_AREA_GAP = re.compile(
    r"^(?:\s+(?:raion|district|township|region|province|oblast|governorate|state|division|county|municipality|hromada"
    r"|territory|subdistrict))?\s*[,(]\s*(?:in\s+)?(?:the\s+)?$", re.IGNORECASE)
#: A list of places going on after a name: ", Pennsylvania", " and New Jersey".
LIST_GOES_ON = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z]")
#: Between two items of a list of places.
LIST_GAP = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or)\s+$")
#: A region word right after an area's name: it is an area, not a town of the name.
AREA_WORD_AFTER = re.compile(
    r"\s*(?:raion|district|township|region|province|oblast|governorate|state|division|county|municipality|hromada)\b",
    re.IGNORECASE)
#: How far from a district's point a town of its region may lie and count as inside it: the
#: raions of Ukraine since 2020 and the townships of Myanmar are 50-120 km across.
DISTRICT_RADIUS_KM = 60.0
#: The most areas read after one name ("X, Y raion, Z oblast, Ukraine").
MAX_AREAS = 3


@dataclass(frozen=True, slots=True)
class WrittenAreas:
    """The areas written after one mention: for each area mention (smallest first), its
    candidates that are areas; ``firm`` when the form leaves no doubt that they enclose the name
    (a settlement noun, a bracket, "in", a region word, or two areas); ``strong`` when a
    settlement noun or a bracket says so, which a country after the name needs ("St. Gregory
    of Narek in Vatican" places no village)."""

    indices: tuple[int, ...]
    areas: tuple[tuple[Candidate, ...], ...]
    firm: bool
    strong: bool
    listed: bool = False  # the areas follow a later item of the list the name is in
    linked_by_in: bool = False  # "X in Y": a list before it shares Y ("A and B in Jabal al-Zawiya, Idlib")


def is_area(place: Place) -> bool:
    """A country or an administrative division: what can enclose a village."""
    return place.is_country or place.feature_code in ("ADM1", "ADM2", "ADM3")


def lies_in(place: Place, area: Place) -> bool:
    """Whether ``place`` lies inside ``area`` as far as the gazetteer's codes and points tell."""
    if place.place_id == area.place_id or place.country_code != area.country_code:
        return False
    if area.is_country:
        return True
    if place.admin1_code != area.admin1_code or not area.admin1_code:
        return False
    if area.is_admin1:
        return True
    if place.admin2_code and area.admin2_code:
        return place.admin2_code == area.admin2_code
    return _km(place, area) <= DISTRICT_RADIUS_KM


def written_areas(mentions: Sequence[Mention], options: Sequence[Sequence[Candidate]], index: int,
                  text: str) -> WrittenAreas | None:
    """The areas written right after ``mentions[index]``, or None when no area follows."""
    mention = mentions[index]
    if mention.kind != "name" or index + 1 >= len(mentions):
        return None
    first = FIRST_AREA_GAP.match(text[mention.end:mentions[index + 1].start])
    if first is None:
        # "Bila Hora and Zelena Dolyna, Donetsk oblast": an item of a list shares the area after it
        if LIST_GAP.match(text[mention.end:mentions[index + 1].start]):
            after = written_areas(mentions, options, index + 1, text)
            if after is not None and index + 1 not in after.indices and (after.strong or after.linked_by_in
                                                                        or AREA_WORD_AFTER.match(text, mentions[after.indices[0]].end)):
                return WrittenAreas(after.indices, after.areas, after.firm, after.strong, listed=True)
        return None
    indices: list[int] = []
    areas: list[tuple[Candidate, ...]] = []
    position = index + 1
    while position < len(mentions) and len(indices) < MAX_AREAS:
        following = mentions[position]
        if following.kind != "name":
            break
        candidates = tuple(c for c in options[position] if is_area(c.place))
        further = position + 1 < len(mentions) and NEXT_AREA_GAP.match(text[following.end:mentions[position + 1].start])
        if not candidates:
            # a township or district the gazetteer lacks before a larger area: "X village,
            # Yinmabin township (Sagaing region)" is read up to Sagaing
            if options[position] or not further:
                break
            position += 1
            continue
        indices.append(position)
        areas.append(candidates)
        if not further:
            break
        position += 1
    if not indices:
        return None
    # "New York City, Long Island, New York, Pennsylvania": places listed, not areas that hold
    # one another; the chain ends where an area does not lie in the next
    listed_places = False
    for position in range(len(areas) - 1):
        if not any(inside_all(c, areas[position + 1:position + 2]) for c in areas[position]):
            indices, areas, listed_places = indices[:position + 1], areas[:position + 1], True
            break
    last = mentions[indices[-1]]
    listed_places = listed_places or LIST_GOES_ON.match(text, last.end) is not None
    link = first.group("link").replace(",", "").strip() or ","  # ", in" is "in"
    strong = first.group("noun") is not None or link == "("
    firm = strong or not listed_places and (
        link == "in" or len(indices) > 1 or AREA_WORD_AFTER.match(text, mentions[indices[0]].end) is not None
        or _ends_the_phrase(text, last.end))
    return WrittenAreas(tuple(indices), tuple(areas), firm, strong, linked_by_in=link == "in")


def _ends_the_phrase(text: str, end: int) -> bool:
    """The last area closes its phrase (a full stop, a bracket, a clause: "X, Kherson, on
    Monday"), so it is no item of a list of places ("X, Y and Z")."""
    rest = text[end:end + 40]
    return re.match(r"\s*(?:[.;)]|$|,\s+(?:on|in|at|where|killing|wounding|after|while|as)\b|\s+(?:on|at)\b)", rest) is not None


def inside_all(candidate: Candidate, areas: Sequence[Sequence[Candidate]]) -> bool:
    """The candidate lies in one of the candidates of every area."""
    return all(any(lies_in(candidate.place, area.place) for area in candidates) for candidates in areas)


def areas_holding(areas: Sequence[Sequence[Candidate]]) -> list[tuple[Candidate, ...]]:
    """Each area's candidates that agree with the larger areas after it ("Pokrovsk raion,
    Donetsk oblast": the raion in Donetsk oblast), all of them when none agrees."""
    kept = []
    for position, candidates in enumerate(areas):
        larger = areas[position + 1:]
        agreeing = tuple(c for c in candidates if inside_all(c, larger))
        kept.append(agreeing or candidates)
    return kept
