"""Rules read over the whole article after the model's passes, each reordering a mention's ranked
places: a region of military reporting over a small namesake town, the article's countries over a
namesake abroad, a lone place abroad to the text's countries, the nearest of a village's
namesakes at home, one sense per name per article, a capital over an unsupported namesake region,
and a short form with its longer name ("Avondale" after "Avondale Estates").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from tracker.common.distance import km_between as _km
from tracker.gazetteer.index import MILITARY_SITE_CODES, MINOR_PLACE_POPULATION
from tracker.models import Mention, Place
from tracker.resolve.ranking import ScoredCandidates


#: A town this far from every other place of the text lies on another continent from them.
LONE_PLACE_KM = 2500.0
#: What follows a name that stands alone as a place, not before a noun it qualifies.
NAME_ENDS_PHRASE = re.compile(
    r"\s*(?:[,.;:()]|$|(?:and|or|in|on|near|at|after|before|where|while|when|village|town|city|district|township|"
    r"area|with|from|to)\b)", re.IGNORECASE)
#: A town this large abroad keeps its name against the text's countries (Kani, Japan, 102,000
#: people, is not; Paris and Sydney are).
LONE_TOWN_POPULATION = 300_000


def lone_places_abroad_to_the_notes_countries(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
                                               text: str) -> list[list[tuple[Place, float]]]:
    """A small town chosen on another continent from every other place of the text, in a
    country the text does not name, is the namesake in the text's countries when it has one
    ("Kani" in a note on Sagaing is no town in Japan; a wadi in a Yemeni note is none in India).
    Without one, it is placed at the country the text names most, at precision 3 (issue 21)."""
    tops = [(m.key, scored[0][0]) for m, scored in zip(mentions, ranked) if scored]
    keys_in_country: defaultdict[str, set[str]] = defaultdict(set)
    for key, place in tops:
        if place.country_code:
            keys_in_country[place.country_code].add(key)
    if len(keys_in_country) < 2:
        return ranked  # one country, or none: nothing is abroad
    countries = Counter(place.country_code for _, place in tops if place.country_code)
    country_places = {place.country_code: place for _, place in tops if place.is_country}
    # where a lone name with no namesake at home is placed: the country the text names, else the
    # one first-level region it names there ("in Jabal al-Zawiya, Idlib")
    regions: defaultdict[str, set[int]] = defaultdict(set)
    for _, place in tops:
        if place.is_admin1:
            regions[place.country_code].add(place.place_id)
    area_places = {**{place.country_code: place for _, place in tops
                      if place.is_admin1 and len(regions[place.country_code]) == 1}, **country_places}
    aligned = []
    for mention, scored in zip(mentions, ranked):
        top = scored[0][0] if scored else None
        if (top is None or mention.kind != "name" or not (top.is_settlement or top.feature_class == "S")
                or top.population >= LONE_TOWN_POPULATION or top.country_code in country_places
                or keys_in_country[top.country_code] - {mention.key}):
            aligned.append(scored)
            continue
        others = [place for key, place in tops if key != mention.key]
        # the text's order, so that a tie between two countries goes the same way on every run
        home = list(dict.fromkeys(place.country_code for place in others if place.country_code))
        # one other name is no consensus ("Denver" read in a story on Oxford): two, or a country
        others_agree = len({key for key, _ in tops if key != mention.key}) >= 2 or any(p.is_country for p in others)
        if not home or not others_agree \
                or any(_km(top, other) <= LONE_PLACE_KM for other in others if not other.is_country):
            aligned.append(scored)
            continue
        at_home = next((p for p, _ in scored if p.country_code in home and not p.is_country), None)
        if at_home is not None:
            aligned.append(_put_first(scored, at_home))
            continue
        main_country = max((c for c in home if c in area_places), key=lambda c: countries[c], default=None)
        # a name that qualifies the noun after it ("Orion drones", "Kani police") is left as read
        stands_alone = NAME_ENDS_PHRASE.match(text, mention.end) is not None
        aligned.append(scored if main_country is None or not stands_alone
                       else [(area_places[main_country], scored[0][1] + 1.0)])
    return aligned


#: Namesakes at home are weighed by nearness when the chosen one is this far from every other
#: local place of the text and another is at most half as far.
NAMESAKE_FAR_KM = 100.0


def nearest_namesakes_at_home(mentions: Sequence[Mention],
                               ranked: list[list[tuple[Place, float]]]) -> list[list[tuple[Place, float]]]:
    """Of a village name that recurs in its country (Ivanivka, Petrivka, Novoselivka: dozens
    each in Ukraine), the one nearest the text's other towns and districts, not the most
    populous, when no area is written after it (issue 21)."""
    local = [(m.key, scored[0][0]) for m, scored in zip(mentions, ranked)
             if scored and (scored[0][0].is_settlement or scored[0][0].feature_code in ("ADM2", "ADM3"))]
    if len(local) < 2:
        return ranked
    aligned = []
    decided: dict[str, Place | None] = {}  # a name's namesake, weighed once per text
    for mention, scored in zip(mentions, ranked):
        top = scored[0][0] if scored else None
        if top is None or mention.kind != "name" or not top.is_settlement or top.population >= LARGE_TOWN_POPULATION:
            aligned.append(scored)
            continue
        if mention.key in decided:
            best = decided[mention.key]
            aligned.append(scored if best is None or best.place_id == top.place_id
                           or all(p.place_id != best.place_id for p, _ in scored) else _put_first(scored, best))
            continue
        namesakes = [p for p, _ in scored if p.country_code == top.country_code and p.is_settlement
                     and p.population < LARGE_TOWN_POPULATION]
        others = [p for key, p in local if key != mention.key]
        if len(namesakes) < 2 or not others:
            decided[mention.key] = None
            aligned.append(scored)
            continue

        def nearest(place: Place) -> float:
            return min(_km(place, other) for other in others)

        top_distance = nearest(top)
        best = min(namesakes, key=nearest) if top_distance > NAMESAKE_FAR_KM else top
        if best.place_id != top.place_id and nearest(best) <= top_distance / 2:
            decided[mention.key] = best
            aligned.append(_put_first(scored, best))
        else:
            decided[mention.key] = None
            aligned.append(scored)
    return aligned


def _put_first(scored: list[tuple[Place, float]], place: Place, bonus: float = 1.0) -> list[tuple[Place, float]]:
    """``scored`` (best first) with ``place`` moved, or added, in front, ``bonus`` above the best."""
    return [(place, scored[0][1] + bonus), *(pair for pair in scored if pair[0].place_id != place.place_id)]


#: What in the text says that a name shared by a region of reporting and a town is the town:
#: its county or region named, a qualifier ("Baltic, South Dakota"), other places near it.
TOWN_SUPPORT_FEATURES = ("qualifier", "named_admin1", "named_admin2", "near_25km", "near_100km", "colocated_admin2")
#: "the town of Levant", "Baltic city council".
TOWN_WORD_BEFORE = re.compile(r"\b(?:town|city|village|township|borough)\s+of\s+$", re.IGNORECASE)
TOWN_WORD_AFTER = re.compile(r"\s*(?:town|city|village|township|borough|residents|police|mayor|council)\b", re.IGNORECASE)
#: A town this large keeps its name against a region's: Gaza city, not the Gaza Strip, unless
#: the text says the region.
LARGE_TOWN_POPULATION = 100_000


def _is_region_of_reporting(place: Place) -> bool:
    """A region, sea, gulf, strait or peninsula (curated, with sources): "the Levant", "the
    Baltic", "the Black Sea", "the Horn of Africa"; not a country, continent or subdivision."""
    return place.feature_class in ("L", "H", "T") and place.feature_code != "CONT"


def regions_of_reporting_over_namesake_towns(mentions: Sequence[Mention], scored: Sequence[ScoredCandidates],
                                              ranked: list[list[tuple[Place, float]]],
                                              text: str) -> list[list[tuple[Place, float]]]:
    """A name shared by a region of military reporting and a small town ("the Levant" and
    Levant, Kansas; "the Baltic" and Baltic, South Dakota) is the region unless the text says the
    town: its state or county named, a qualifier after it, places near it, "the town of". The
    towns' few hundred people outweigh a region without a population in the ranker (issue 14)."""
    names_in_country: defaultdict[str, set[str]] = defaultdict(set)
    for mention, scored_places in zip(mentions, ranked):
        if scored_places and scored_places[0][0].country_code:
            names_in_country[scored_places[0][0].country_code].add(mention.key)
    aligned = []
    for mention, scored_mention, scored_places in zip(mentions, scored, ranked):
        top = scored_places[0][0] if scored_places else None
        region = next((p for p, _ in scored_places if _is_region_of_reporting(p)), None)
        # a province abroad that nothing else in the article is near counts as a town here
        # ("the Gulf" is no province of Papua New Guinea in a report on Iran)
        lone_province = top is not None and top.feature_code in ("ADM1", "ADM2") \
            and not names_in_country[top.country_code] - {mention.key}
        if (top is None or region is None or mention.kind != "name"
                or not (top.is_settlement or top.feature_class == "S" or lone_province)
                or top.population >= LARGE_TOWN_POPULATION):
            aligned.append(scored_places)
            continue
        features = next(f for c, f in zip(scored_mention.candidates, scored_mention.features)
                        if c.place.place_id == top.place_id)
        said = (any(features.get(name) for name in TOWN_SUPPORT_FEATURES)
                or TOWN_WORD_BEFORE.search(text, max(0, mention.start - 20), mention.start) is not None
                or TOWN_WORD_AFTER.match(text, mention.end, mention.end + 20) is not None)
        aligned.append(scored_places if said else _put_first(scored_places, region))
    return aligned


#: A run of this many countries in a list ("Norway, Canada, Australia, Spain, Belgium …") is a
#: roll of members or signatories, not the places an article is about.
COUNTRY_ROLL = 4
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*)(?:the\s+)?")


def _countries_in_rolls(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]], text: str) -> set[int]:
    """Indexes of the mentions that stand in a roll of countries: the coalition's members listed
    at the end of a strike report name no place the report is about."""
    rolled: set[int] = set()
    run: list[int] = []
    for index, (mention, scored) in enumerate(zip(mentions, ranked)):
        is_country = bool(scored) and scored[0][0].is_country and mention.kind == "name"
        if is_country and run and _LIST_JOIN.fullmatch(text, mentions[run[-1]].end, mention.start):
            run.append(index)
            continue
        if len(run) >= COUNTRY_ROLL:
            rolled.update(run)
        run = [index] if is_country else []
    if len(run) >= COUNTRY_ROLL:
        rolled.update(run)
    return rolled


def article_countries_over_namesakes_abroad(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
                                             text: str = "") -> list[list[tuple[Place, float]]]:
    """The countries an article is about outweigh a namesake's population abroad: in a strike
    report that names Syria, a town whose namesakes are a Syrian village and a larger American
    town is the Syrian one, when nothing else in the article lies in the United States. A
    country counts as the article's when it is named outright (its name or adjective); the
    chosen town's country must have no other name of the article in it, and the town must be
    small (London, Brussels or Santiago keep their fame against a namesake at home). A roll of
    member countries ("Australia, Bahrain, Canada, …") makes none of them the article's."""
    named_countries: set[str] = set()
    names_in_country: defaultdict[str, set[str]] = defaultdict(set)
    rolled = _countries_in_rolls(mentions, ranked, text) if text else set()
    for index, (mention, scored) in enumerate(zip(mentions, ranked)):
        if scored and index not in rolled:
            place = scored[0][0]
            if place.country_code:
                names_in_country[place.country_code].add(mention.key)
            if place.is_country:
                named_countries.add(place.country_code)
    if not named_countries:
        return ranked
    aligned = []
    for mention, scored in zip(mentions, ranked):
        top = scored[0][0] if scored else None
        if (top is None or mention.kind != "name" or not (top.is_settlement or top.feature_class == "S")
                or top.population >= LARGE_TOWN_POPULATION or not top.country_code
                or top.country_code in named_countries or names_in_country[top.country_code] - {mention.key}):
            aligned.append(scored)
            continue
        at_home = next((p for p, _ in scored if p.country_code in named_countries and not p.is_country
                        and p.population < LARGE_TOWN_POPULATION
                        and (p.is_settlement or p.feature_class == "S" or p.feature_code in ("ADM1", "ADM2", "ADM3"))),
                       None)
        aligned.append(scored if at_home is None else _put_first(scored, at_home))
    return aligned


def one_sense_per_discourse(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
                             before_region_word: Sequence[bool]) -> list[list[tuple[Place, float]]]:
    """A name repeated in one article means one place: the one its best-supported occurrence
    chose ("Paris, Texas ... the Paris police"). A name followed by "province" or "region" is
    read apart from the bare name: "the Latakia region" and "outside Latakia" are two places."""
    senses = [(m.key, m.kind, region) for m, region in zip(mentions, before_region_word)]
    best_by_key: dict[tuple[str, str, bool], tuple[Place, float]] = {}
    for sense, scored in zip(senses, ranked):
        if scored and (sense not in best_by_key or scored[0][1] > best_by_key[sense][1]):
            best_by_key[sense] = scored[0]
    aligned = []
    for sense, scored in zip(senses, ranked):
        chosen = best_by_key[sense][0] if scored else None
        # an occurrence whose form left it other candidates ("Tacoma, Washington") keeps its own
        aligned.append(_put_first(scored, chosen) if chosen and any(p.place_id == chosen.place_id for p, _ in scored)
                       else scored)
    return aligned


def capitals_over_unsupported_namesake_regions(ranked: list[list[tuple[Place, float]]],
                                                 region_word: Sequence[bool]) -> list[list[tuple[Place, float]]]:
    """A first-level region that shares its name with its country's capital ("Washington") is the
    capital unless the article supports the region: a region word ("Washington state", "the state
    of Washington"), another of the article's places inside it (Seattle, Tacoma), or other regions
    of the country beside it ("Oregon and Washington laws", a list of states). "In Washington, the
    diplomats were expelled" in foreign news is the capital, though the state has ten times its
    people."""
    places_in_region: Counter = Counter()
    regions_of_country: defaultdict[str, set[str]] = defaultdict(set)
    for scored in ranked:
        if scored:
            place = scored[0][0]
            if place.is_admin1:
                regions_of_country[place.country_code].add(place.admin1_code)
            elif not place.is_country and place.admin1_code:
                places_in_region[(place.country_code, place.admin1_code)] += 1
    aligned = []
    for scored, word in zip(ranked, region_word):
        region = scored[0][0] if scored else None
        if region is None or not region.is_admin1 or word or places_in_region[(region.country_code, region.admin1_code)] \
                or regions_of_country[region.country_code] - {region.admin1_code}:
            aligned.append(scored)
            continue
        capital = next((p for p, _ in scored if p.feature_code == "PPLC" and p.country_code == region.country_code), None)
        aligned.append(scored if capital is None else _put_first(scored, capital))
    return aligned


#: A short form lies with the longer name's place when one of its candidates is this close.
SHORT_FORM_KM = 50.0
#: What the longer name adds to the score of a short form's namesake near it.
SHORT_FORM_BONUS = 1.0


def short_forms_of_longer_names(mentions: Sequence[Mention],
                                 ranked: list[list[tuple[Place, float]]]) -> list[list[tuple[Place, float]]]:
    """A name that begins a longer name of the same article is its short form: "Avondale" after
    "Avondale Estates", "DeKalb" beside "DeKalb County", "Nenagh" beside "Nenagh Municipal
    District". When the short name has a namesake near the longer name's place, that namesake gains
    as if named beside it (the article's other places still count: a "Dublin City Council" read
    as Ireland's does not pull Dublin, Ohio away); when it has none there, it takes that place.
    A base's name ends with its town's ("Mayport" beside "Naval Station Mayport"): the short name
    takes the base only when no namesake of it is a town of note ("Pendleton" beside "Camp
    Pendleton" may be Pendleton, Oregon). Names of countries and first-level regions are left
    alone: "Kansas" beside "Kansas City" is the state."""
    by_leading_words: dict[str, Place] = {}  # "avondale" -> the place of "avondale estates"
    by_last_words: dict[str, Place] = {}  # "mayport" -> the place of "naval station mayport"
    for mention, scored in zip(mentions, ranked):
        if mention.kind == "name" and scored and " " in mention.key:
            words = mention.key.split(" ")
            for size in range(1, len(words)):
                by_leading_words.setdefault(" ".join(words[:size]), scored[0][0])
                if scored[0][0].feature_code in MILITARY_SITE_CODES:
                    by_last_words.setdefault(" ".join(words[-size:]), scored[0][0])
    if not by_leading_words:
        return ranked
    aligned = []
    for mention, scored in zip(mentions, ranked):
        place = by_leading_words.get(mention.key) if mention.kind == "name" and scored else None
        base = by_last_words.get(mention.key) if mention.kind == "name" and scored and place is None else None
        if base is not None and all(p.population < MINOR_PLACE_POPULATION for p, _ in scored):
            place = base
        if place is None or any(p.is_country or p.is_admin1 or p.feature_code == "CONT" for p, _ in scored):
            aligned.append(scored)
            continue
        if any(_km(p, place) <= SHORT_FORM_KM for p, _ in scored):
            aligned.append(sorted(((p, score + SHORT_FORM_BONUS if _km(p, place) <= SHORT_FORM_KM else score)
                                   for p, score in scored), key=lambda pair: -pair[1]))
        else:
            aligned.append(_put_first(scored, place, SHORT_FORM_BONUS))
    return aligned
