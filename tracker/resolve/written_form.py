"""Rules on the form of the text, read before the model: each keeps part of a name's candidates
when it has any.

A region word after a name ("Latakia province") keeps the regions, "border" the countries and
regions, a wire dateline ("WASHINGTON (AP) —") the towns, a facility label from the language
model the facilities, and a country or region written after a town ("Tacoma, Washington") the
ones that hold a place of the town's name; a district word ("Pokrovsk raion") takes the district;
the areas written after a name ("Ivanivka, Kharkiv oblast") keep its namesakes inside them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.common.distance import km_between as _km
from tracker.gazetteer.index import NAME_ADJECTIVE, Candidate, Gazetteer
from tracker.models import Mention, Place
from tracker.recognize.written_areas import areas_holding, inside_all, is_area, lies_in, written_areas
from tracker.resolve.article_rules import LONE_PLACE_KM
from tracker.resolve.ranking import QUALIFIER_GAP, has_namesake_town, is_facility


#: A region word right after a name (matched from the name's end, hence no "^").
REGION_WORDS = re.compile(
    r"\s*(?:coastal\s+)?(province|region|governorate|oblast|state|prefecture|district|county|territory)\b",
    re.IGNORECASE,
)
#: A region word before a name: "the state of Washington", "the province of Latakia".
#: ("a county of Taiwan" is a county in Taiwan: the article "the" is asked for.)
REGION_OF = re.compile(r"\bthe\s+(?:[A-Z][\w-]+\s+)?(?:province|region|governorate|oblast|state|prefecture|county)\s+of\s+$",
                       re.IGNORECASE)
#: "the New York border", "the Syria-Turkey border": what has a border is a country or region.
BORDER_WORDS = re.compile(r"(?:\s*-\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?\s*(border|frontier|state line)\b", re.IGNORECASE)
#: Words before a name that place something at a town rather than across a region: "near X",
#: "outside X", "on the outskirts of X" (strike reports write "Near X," at a line's start).
NEAR_BEFORE = re.compile(r"\b(?:near|outside|outskirts\s+of)\s+$", re.IGNORECASE)
#: What follows a dateline: "WASHINGTON (AP) —", "NEW YORK (Reuters) -", "PLEASANTON, Calif. —".
DATELINE_AFTER = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([A-Z][\w .]*\)\s*)?(?:—|–|--|-\s)")

#: The shape of the AP's abbreviations of states: "La.", "Calif.", "Wash." (not "L.A.", "LA").
STATE_ABBREVIATION = re.compile(r"[A-Z][a-z]{1,4}\.")
#: A name whose last word says water: "the Red Sea", "the Gulf of Aden" is matched by its first.
WATER_NAME = re.compile(r"(?:\b(?:Sea|Ocean|Strait|Straits|Channel)$|^(?:Gulf|Bay|Strait|Sea)\s+of\b)")


@dataclass(frozen=True, slots=True)
class WrittenForm:
    """What the words around a mention say of the kind of place it names."""

    region_word: bool   # "Latakia province", "the Kherson region"
    border_word: bool   # "the New York border"
    dateline: str       # "WASHINGTON (AP) —" (a town's) or "SYRIA --" (no comma: perhaps a country's); "" for none
    near_word: bool = False  # "near Dayr az Zawr", "outside Latakia": a town, not its region
    water_word: bool = False  # "the Red Sea": the name itself says water

    @classmethod
    def around(cls, mention: Mention, text: str) -> WrittenForm:
        return cls(_before_region_word(mention, text), _before_border_word(mention, text), _is_dateline(mention, text),
                   NEAR_BEFORE.search(text, max(0, mention.start - 20), mention.start) is not None,
                   WATER_NAME.search(mention.text) is not None)


def usable_candidates(mention: Mention, candidates: list[Candidate], form: WrittenForm,
                       named_regions: Sequence[Candidate] = ()) -> list[Candidate]:
    """The candidates the mention's form allows: adjectives for "Syrian", names for "Syria"; for
    "Latakia province" only the regions, for "the New York border" only the countries and
    regions, for a dateline ("WASHINGTON (AP) —") only the towns, and for a name spaCy labels a
    facility only the facilities, when the gazetteer has one of that name (the corpora cannot
    teach this: town and province lie within the scorer's 161 km, and they name few facilities,
    but the place and precision a reader sees differ). Before a region word with no division of
    the name, the region named with the word ("the Black Sea region") is taken."""
    if mention.kind == "site":
        return []
    if mention.kind == "adjective":
        return [c for c in candidates if c.name_kind == NAME_ADJECTIVE]
    names = [c for c in candidates if c.name_kind != NAME_ADJECTIVE]
    if STATE_ABBREVIATION.fullmatch(mention.text):  # "La.", "Calif.": the AP's states, not "L.A."
        states = [c for c in names if c.place.feature_code == "ADM1"]
        if states:
            return states
    if form.region_word:
        regions = [c for c in names if c.place.feature_code in ("ADM1", "ADM2", "ADM3")]
        return regions or [c for c in named_regions if c.name_kind != NAME_ADJECTIVE] or names
    if form.border_word:
        areas = [c for c in names if c.place.is_country or c.place.feature_code in ("ADM1", "ADM2")]
        return areas or names
    if form.dateline:  # a wire story's dateline names the town it was filed from
        towns = [c for c in names if c.place.is_settlement]
        if form.dateline == "country":
            # "SYRIA --", "IRAQ —": an embedded reporter's dateline names the country, not a
            # namesake town abroad; a town's dateline takes its state or country after a comma
            towns += [c for c in names if c.place.is_country]
        return towns or names
    if form.water_word:  # "the Red Sea": the sea, not the Sudanese state named after it
        water = [c for c in names if c.place.feature_class == "H"]
        return water or names
    if form.near_word:  # "near Dayr az Zawr": the town, not the governorate named after it
        return [c for c in names if not (c.place.feature_code in ("ADM1", "ADM2") and has_namesake_town(c.place, names))]
    if mention.label == "FAC":  # the language model read a facility: "Hmeimim Air Base", an airport
        facilities = [c for c in names if is_facility(c.place)]
        return facilities or names
    return names


def areas_holding_the_name_before(mentions: Sequence[Mention], options: list[list[Candidate]],
                                   text: str) -> list[list[Candidate]]:
    """A country or first-level region written right after a town ("Tacoma, Washington",
    "Amman, Jordan", "Atlanta, Georgia") is the one that holds the town: of its candidates only
    the countries and regions holding a place of the town's name are kept, when there are any
    (the state of Washington, not the capital; the country Jordan, not Jordan, Minnesota)."""
    kept = list(options)
    for index in range(1, len(mentions)):
        if not QUALIFIER_GAP.match(text[mentions[index - 1].end:mentions[index].start]):
            continue
        towns = {(c.place.country_code, c.place.admin1_code) for c in options[index - 1]
                 if not (c.place.is_country or c.place.is_admin1 or c.place.feature_code == "CONT")}
        if not towns:
            continue
        countries = {country for country, _ in towns}
        holding = [c for c in options[index]
                   if (c.place.is_country and c.place.country_code in countries)
                   or (c.place.is_admin1 and (c.place.country_code, c.place.admin1_code) in towns)]
        if holding:
            kept[index] = holding
    return kept


#: A district word after a name: "Pokrovsk raion", "Kani township" (not a region word: "Washington
#: Township" is no state).
DIVISION_WORD_AFTER = re.compile(r"\s*(raion|township)\b", re.IGNORECASE)


def named_divisions(mentions: Sequence[Mention], options: list[list[Candidate]], text: str,
                     gazetteer: Gazetteer) -> list[list[Candidate]]:
    """A name before "raion" or "township" is the district the gazetteer names with the word
    ("Pokrovsk raion" is Pokrovsk Raion, not the town), when it has one."""
    keys = {}
    for index, mention in enumerate(mentions):
        if mention.kind == "name" and (match := DIVISION_WORD_AFTER.match(text, mention.end, mention.end + 20)):
            keys[index] = f"{mention.key} {match.group(1).lower()}"
    if not keys:
        return options
    found = gazetteer.lookup_many(set(keys.values()), folded=False)
    kept = list(options)
    for index, key in keys.items():
        kept[index] = [c for c in found.get(key, []) if c.name_kind != NAME_ADJECTIVE] or options[index]
    return kept


def inside_written_areas(mentions: Sequence[Mention], options: list[list[Candidate]],
                          text: str) -> tuple[list[list[Candidate]], list[Place | None]]:
    """Keep, of a name's candidates, those inside the areas written right after it ("Ivanivka,
    Kharkiv oblast", "Novoselivka (Pokrovsk raion, Donetsk oblast)"), and read those areas as
    areas ("Kherson" after "Zelenivka village," is the oblast). When none lies inside and the
    form is firm (``WrittenAreas.firm``), the name keeps no candidate and is placed at the
    smallest area: a namesake 300-900 km away in another oblast is never the village a note
    means (issue 21). A name that is itself a country's or region's ("Lebanon, Syria and
    Jordan") is left to the ranker."""
    kept = list(options)
    at_areas: list[Place | None] = [None] * len(mentions)
    for index, own in enumerate(options):
        written = written_areas(mentions, options, index, text)
        if written is None:
            continue
        # "Becker, Clay and Douglas counties", "Lebanon, Syria": areas of one rank listed
        largest_written = min(_area_rank(c.place) for c in written.areas[0])
        if any(is_area(c.place) and _area_rank(c.place) <= largest_written for c in own):
            continue
        holding = areas_holding(written.areas)
        # a district is held by its point and a radius; when no namesake lies in it, one in the
        # larger area after it ("X (Kramatorsk raion, Donetsk oblast)") is still the village
        inside = next((kept_here for level in range(len(holding))
                       if (kept_here := [c for c in own if inside_all(c, holding[level:])])), [])
        if inside:
            kept[index] = inside
            if written.firm:
                for position, candidates in zip(written.indices, holding):
                    kept[position] = [c for c in candidates if any(lies_in(i.place, c.place) for i in inside)] \
                        or list(candidates)
        elif written.firm and (not written.listed or not own or _all_far_from(own, holding[-1])) \
                and (written.strong or not any(c.place.is_country for c in holding[0])):
            kept[index] = []
            at_areas[index] = _main_area(holding[0])
            for position, candidates in zip(written.indices, holding):
                kept[position] = list(candidates)
    return kept, at_areas


def _all_far_from(candidates: Sequence[Candidate], areas: Sequence[Candidate]) -> bool:
    """Every candidate lies on another continent from the areas ("Al Bara and Kansafra in Jabal
    al-Zawiya, Idlib": Al Bara is no town in Sudan)."""
    return all(_km(c.place, area.place) > LONE_PLACE_KM for c in candidates for area in areas)


def _area_rank(place: Place) -> int:
    """0 a country, 1 a first-level region, 2 a district, 3 below."""
    return 0 if place.is_country else 1 if place.is_admin1 else 2 if place.feature_code == "ADM2" else 3


def _main_area(candidates: Sequence[Candidate]) -> Place:
    """Of an area name's readings, the one it names by its own name, then the most populous."""
    return min(candidates, key=lambda c: (c.name_kind != 0, -c.place.population)).place


def _before_region_word(mention: Mention, text: str) -> bool:
    """ "Latakia province", "the Kherson region", "the state of Washington": the name is the region's."""
    return (REGION_WORDS.match(text, mention.end, mention.end + 40) is not None
            or REGION_OF.search(text, max(0, mention.start - 30), mention.start) is not None)


def region_word_after(mention: Mention, text: str) -> str:
    """The region word written right after a name ("raion" in "Pokrovsk raion"), lowercase; ""
    when it comes before the name ("the province of Latakia")."""
    match = REGION_WORDS.match(text, mention.end, mention.end + 40)
    return match.group(1).lower() if match else ""


def _is_dateline(mention: Mention, text: str) -> str:
    """"town" when the name opens a line, in capitals or before a news agency, and a dash follows:
    "WASHINGTON (AP) —", "New York (Reuters) -", "PLEASANTON, Calif. —"; "country" when nothing
    qualifies it ("SYRIA --"), "" when it is no dateline."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    if text[line_start:mention.start].strip():
        return ""
    after = DATELINE_AFTER.match(text, mention.end, mention.end + 60)
    # written in capitals, or with the agency: "Syria - the war goes on" is a heading, not a dateline
    if after is None or not (mention.text.isupper() or "(" in after.group()):
        return ""
    return "town" if after.group().lstrip().startswith(",") else "country"


def _before_border_word(mention: Mention, text: str) -> bool:
    """ "the New York border", "the Syria-Turkey border": the name is a country's or region's."""
    return BORDER_WORDS.match(text, mention.end, mention.end + 40) is not None
