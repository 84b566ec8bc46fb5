"""How the resolver scores a mention's candidate places: word-independent features and the
conditional logit model that weighs them.

Each candidate place of a mention is described by features of the kind an analyst weighs when a
name is ambiguous, and a conditional logit model (weights in ``data/resolver/ranker.json``, fitted
by ``benchmarks/fit_resolver.py`` on part of the annotated dev corpora) turns them into a score:

* prior: its size (log population, the most populous of its namesakes) and kind (a country or a
  capital beats a hamlet of the same name; an alternate spelling counts less than the place's
  own name); a namesake town for a region; money and spelling of the article;
* what the article names beside it: its country, its first-level region or its county named
  elsewhere ("Gainesville ... Texas ... Cooke County"), a qualifier written right after it
  ("Alexandria, Va."), the share of the article's places in its country and region, the other
  names that have a namesake in the same county or region (Paris beside "Henry County"), and
  how near it lies to the places the other names were given.

``confidence`` is the softmax share of the winning score among the candidates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.common.distance import km_between as _km
from tracker.common.resources import data_file, read_fitted_weights
from tracker.gazetteer.index import NAME_ALIAS, NAME_ALTERNATE, Candidate
from tracker.gazetteer.names import fold_name, normalize_name
from tracker.models import Mention, Place


QUALIFIER_GAP = re.compile(r"^\s*,\s*$")
#: Features of a candidate by itself (the first pass uses only these).
PRIOR_FEATURES = (
    "log_population", "most_populous", "country", "continent", "admin1", "admin2", "capital",
    "facility", "natural_feature", "alternate_name", "alias_name",
    "namesake_region", "local_hint",
)
#: Features of a candidate among the places chosen for the article's other names.
CONTEXT_FEATURES = (
    "focus_country", "focus_admin1", "mentions_in_country", "mentions_in_admin1", "named_country",
    "named_admin1", "named_admin2", "qualifier", "first_place_admin1", "near_first_place",
    "colocated_admin2", "colocated_admin1", "colocated_country", "near_25km", "near_100km", "near_250km",
)
FEATURE_NAMES = PRIOR_FEATURES + CONTEXT_FEATURES
#: The population a town is given when its own is unknown: GeoNames' list of towns holds every
#: one of 500 people or more, so a town without a count (a US post office town, a New England town
#: that GeoNames files as a township) is taken to be as large as the smallest listed, not empty.
UNKNOWN_TOWN_POPULATION = 500
#: Degrees of latitude (a little over 250 km) within which other places may count as near.
NEAR_BAND_DEGREES = 2.3
#: From this many towns named in one text, the nearness features look them up in a grid.
GRID_FROM_PLACES = 64
#: A namesake counts as plausible for the colocation features if its prior is within this of the best.
PLAUSIBLE_MARGIN = 5.0


@dataclass(frozen=True, slots=True)
class RankingModel:
    """Weights of the candidate features: score = sum of weight x value."""

    weights: dict[str, float]

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    @classmethod
    def load(cls, path: Path | None = None) -> RankingModel:
        return cls(read_fitted_weights(path or data_file("resolver/ranker.json"), "resolver", "fit_resolver.py")[0])


@lru_cache(maxsize=1)
def default_ranking_model() -> RankingModel:
    """The bundled ranker, read once however many resolvers are made."""
    return RankingModel.load()


@dataclass(frozen=True, slots=True)
class ScoredCandidates:
    """One mention's candidates with their features and scores, as the last pass saw them."""

    candidates: list[Candidate]
    features: list[dict[str, float]]
    scores: list[float]
    before_region_word: bool
    #: The area written after the name ("X village, Kherson") when no candidate lies inside it:
    #: the name is placed there, at precision 2 (issue 21).
    area: Place | None = None


def prior_features_of(mention: Mention, candidate: Candidate, siblings: Sequence[Candidate], region_word: bool,
                    hints: dict[str, float], largest: int) -> dict[str, float]:
    place, code = candidate.place, candidate.place.feature_code
    features = {"log_population": math.log10((place.population or (UNKNOWN_TOWN_POPULATION if place.is_settlement else 1)) + 1)}
    if place.population > 0 and place.population >= largest:
        features["most_populous"] = 1.0
    if place.is_settlement or code == "ADM2":
        features["local_hint"] = hints.get(place.country_code, 0.0)
    if place.is_country:
        features["country"] = 1.0
    elif code == "CONT":
        features["continent"] = 1.0
    elif code == "ADM1":
        features["admin1"] = 1.0
    elif code == "ADM2":
        features["admin2"] = 1.0
    elif code == "PPLC":
        features["capital"] = 1.0
    elif is_facility(place):
        features["facility"] = 1.0
    elif place.feature_class in ("L", "H", "T"):
        features["natural_feature"] = 1.0
    if candidate.name_kind == NAME_ALTERNATE and not _short_form(mention.key, place.name) \
            and not _spelling_of(mention.key, place.name):
        features["alternate_name"] = 1.0
    elif candidate.name_kind == NAME_ALIAS:
        features["alias_name"] = 1.0
    # a region word ("Latakia province") keeps only regions (``usable_candidates``); without one,
    # a region that shares its name with a town counts less
    if code in ("ADM1", "ADM2") and not region_word and has_namesake_town(place, siblings):
        features["namesake_region"] = 1.0
    return features


class ArticleContext:
    """What the places chosen for the article's other names say of a candidate.

    Tallies by country, region and county are made once per pass; a candidate's features
    subtract its own name's share, so a name never counts as its own context.
    """

    def __init__(self, mentions: Sequence[Mention], picks: Sequence[Place | None], text: str) -> None:
        self.mentions, self.picks, self.text = mentions, picks, text
        by_key: dict[str, Place] = {}
        occurrences: Counter[str] = Counter()
        for mention, place in zip(mentions, picks):
            if place is not None:
                by_key.setdefault(mention.key, place)
                occurrences[mention.key] += 1
        self.by_key, self.occurrences = by_key, occurrences
        self.total_occurrences = sum(occurrences.values())
        self.names_in: Counter = Counter()        # ("country", cc) / ("admin1", cc, a1) -> distinct names
        self.mentions_in: Counter = Counter()     # the same keys -> occurrences
        self.named: dict[tuple, set[str]] = {}    # a country, region or county named outright -> its names
        for key, place in by_key.items():
            for area in _areas(place)[:2]:
                if area[-1] == "":
                    continue  # places with no country or region do not share one
                self.names_in[area] += 1
                self.mentions_in[area] += occurrences[key]
            level = 0 if place.is_country else 1 if place.is_admin1 else 2 if place.feature_code == "ADM2" else None
            if level is not None:
                self.named.setdefault(_areas(place)[level], set()).add(key)
        #: Towns, counties and sites chosen for the article's names, in cells of a degree, for the
        #: nearness features: a candidate reads only the cells within 250 km of it (a long text
        #: names thousands of places).
        self.local_places = [(key, p) for key, p in by_key.items()
                             if p.is_settlement or p.feature_code == "ADM2" or p.feature_class == "S"]
        self.grid: dict[tuple[int, int], list[tuple[str, Place]]] = {}
        if len(self.local_places) > GRID_FROM_PLACES:
            for key, p in self.local_places:
                self.grid.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append((key, p))
        #: The place the article names first: in local news, the town the story is about.
        self.first = next(((m.key, p) for m, p in zip(mentions, picks) if p is not None), None)

    def local_near(self, place: Place) -> Iterable[tuple[str, Place]]:
        """The local places that may lie within 250 km of ``place``, nearest cells first. A news
        article names few: they are all returned; from ``GRID_FROM_PLACES`` on, those of the grid
        cells within ``NEAR_BAND_DEGREES`` of latitude and the matching longitude span."""
        return self._in_cells_near(place) if self.grid else self.local_places

    def _in_cells_near(self, place: Place) -> Iterator[tuple[str, Place]]:
        widest = math.cos(math.radians(min(89.0, abs(place.lat) + NEAR_BAND_DEGREES)))
        lon_span = min(180.0, NEAR_BAND_DEGREES / widest)
        lat_cells = range(math.floor(place.lat - NEAR_BAND_DEGREES), math.floor(place.lat + NEAR_BAND_DEGREES) + 1)
        if lon_span >= 180.0:
            lon_cells = range(-180, 180)
        else:
            lon_cells = [((cell + 180) % 360) - 180 for cell in
                         range(math.floor(place.lon - lon_span), math.floor(place.lon + lon_span) + 1)]
        own_lat, own_lon = math.floor(place.lat), math.floor(place.lon)
        # the candidate's own cell first, then outwards: a place within 25 km ends the search early
        cells = sorted(((lat_cell, lon_cell) for lat_cell in lat_cells for lon_cell in lon_cells
                        if (lat_cell, lon_cell) in self.grid),
                       key=lambda cell: abs(cell[0] - own_lat) + abs(cell[1] - own_lon))
        for cell in cells:
            yield from self.grid[cell]

    def for_mention(self, index: int) -> _MentionContext:
        """The context as one mention sees it: its own name left out."""
        key = self.mentions[index].key
        own = self.by_key.get(key)
        first = self.first[1] if self.first is not None and self.first[0] != key else None
        return _MentionContext(
            context=self, key=key, own_areas=_areas(own)[:2] if own is not None else (),
            other_names=len(self.by_key) - (own is not None),
            other_mentions=self.total_occurrences - self.occurrences[key], own_mentions=self.occurrences[key],
            first=first, qualifier=_qualifier_place(index, self.mentions, self.picks, self.text),
        )


@dataclass(frozen=True, slots=True)
class _MentionContext:
    """What the places chosen for the article's other names say of one mention's candidates."""

    context: ArticleContext
    key: str
    own_areas: tuple
    other_names: int
    other_mentions: int
    own_mentions: int
    first: Place | None
    qualifier: Place | None

    def features(self, place: Place) -> dict[str, float]:
        context, first, qualifier = self.context, self.first, self.qualifier
        features: dict[str, float] = {}
        areas = _areas(place)
        if self.other_names:
            for area, name, mentions in ((areas[0], "focus_country", "mentions_in_country"),
                                         (areas[1], "focus_admin1", "mentions_in_admin1")):
                if area[-1] == "":
                    continue  # no country (a continent, a sea, a UN region) or no region code
                mine = area in self.own_areas
                features[name] = (context.names_in[area] - mine) / self.other_names
                features[mentions] = (context.mentions_in[area] - mine * self.own_mentions) / self.other_mentions
        if first is not None and not place.is_country:
            if place.admin1_code and _areas(first)[1] == areas[1]:
                features["first_place_admin1"] = 1.0
            if not first.is_country and not first.is_admin1 and _km(first, place) <= 100:
                features["near_first_place"] = 1.0
        for area, name, applies in ((areas[0], "named_country", not place.is_country),
                                    (areas[1], "named_admin1", bool(place.admin1_code) and not place.is_admin1),
                                    (areas[2], "named_admin2", bool(place.admin2_code) and place.feature_code != "ADM2")):
            naming = context.named.get(area) if applies else None
            if naming and (len(naming) > 1 or self.key not in naming):
                features[name] = 1.0
        if qualifier is not None and (
                qualifier.place_id == place.place_id and not (place.is_country or place.is_admin1)
                or qualifier.place_id != place.place_id and (
                    (qualifier.is_country and qualifier.country_code == place.country_code)
                    or (qualifier.is_admin1 and _areas(qualifier)[1] == areas[1]))):
            features["qualifier"] = 1.0
        if context.local_places and not (place.is_country or place.is_admin1 or place.feature_code == "CONT"):
            nearest = math.inf
            for other_key, other in context.local_near(place):
                # 250 km is about 2.3 degrees of latitude: skip the trigonometry for far places
                if other_key != self.key and other.place_id != place.place_id \
                        and abs(other.lat - place.lat) < NEAR_BAND_DEGREES:
                    nearest = min(nearest, _km(place, other))
                    if nearest <= 25:
                        break  # the nearest band there is
            for limit in (25, 100, 250):
                if nearest <= limit:
                    features[f"near_{limit}km"] = 1.0
        return features


def _areas(place: Place) -> tuple[tuple, tuple, tuple]:
    """The country, first-level region and county a place lies in, as tally keys."""
    return (("country", place.country_code), ("admin1", place.country_code, place.admin1_code),
            ("admin2", place.country_code, place.admin1_code, place.admin2_code))


def is_facility(place: Place) -> bool:
    return place.feature_code in ("AIRP", "AIRB") or place.feature_class == "S"


#: Money and spelling that say which country a local story was written in: a "City Council" that
#: counts in dollars is more likely in Mansfield, Ohio than in Mansfield, England.
#: Each pattern comes with strings one of which any match contains, looked for first (cheaply).
_CURRENCY_HINTS = (
    (("$",), re.compile(r"\$\s?\d"), {"US": 1.0, "CA": 0.5, "AU": 0.5, "NZ": 0.3}),
    (("£", "pence"), re.compile(r"£\s?\d|\bpence\b"), {"GB": 1.0}),
    (("₹", "Rs", "crore", "lakh"), re.compile(r"₹\s?\d|\bRs\.?\s?\d|\bcrore\b|\blakh\b"), {"IN": 1.0}),
    (("€",), re.compile(r"€\s?\d|\d\s?€"), {"IE": 0.3, "FR": 0.3, "DE": 0.3, "IT": 0.3, "ES": 0.3, "NL": 0.3}),
)
_SPELLING_HINTS = (
    ((), re.compile(r"\b(?:[Cc]enter|[Cc]olor|[Ll]abor|[Nn]eighbor\w*|[Tt]heater|[Dd]efense|[Oo]rganiz\w+|[Cc]ounty [Cc]ommissioners|[Ss]heriff's [Oo]ffice)\b"),
     {"US": 0.5}),
    ((), re.compile(r"\b(?:[Cc]entre|[Cc]olour|[Ll]abour|[Nn]eighbour\w*|[Tt]heatre|[Dd]efence|[Oo]rganis\w+|[Cc]ouncillors?)\b"),
     {"GB": 0.5, "IE": 0.3, "AU": 0.3, "CA": 0.2, "NZ": 0.3, "IN": 0.3}),
)


def local_country_hints(text: str) -> dict[str, float]:
    """Country -> 0..1: how strongly the article's money and spelling point to it."""
    hints: dict[str, float] = {}
    for signs, pattern, countries in (*_CURRENCY_HINTS, *_SPELLING_HINTS):
        if (not signs or any(sign in text for sign in signs)) and pattern.search(text):
            for country, weight in countries.items():
                hints[country] = min(1.0, hints.get(country, 0.0) + weight)
    return hints


def _short_form(key: str, name: str) -> bool:
    """"New York" for New York City: the place's own name less a
    trailing generic word is how news writes it, not a rare alternate."""
    full = normalize_name(name)
    return full.startswith(key + " ") and full[len(key) + 1:] in ("city", "town")


@lru_cache(maxsize=1 << 16)
def _folded_key(name: str) -> str:
    return fold_name(normalize_name(name))


def _spelling_of(key: str, name: str) -> bool:
    """"Tell Abiad" for Tall Abyad, "Kharkov" for Kharkiv: another romanisation of the place's
    own name, which conflict reporting writes as often as the gazetteer's; not a rare name in
    another language ("White House" for Casablanca)."""
    return _folded_key(key) == _folded_key(name)


def has_namesake_town(region: Place, siblings: Sequence[Candidate]) -> bool:
    """A region named after its own town (Latakia governorate, New York state), or sharing its
    name with the country's capital (Washington): news means the town unless a word such as
    "province" or "state" follows the name."""
    return any(c.place.is_settlement and c.place.country_code == region.country_code
               and (c.place.admin1_code == region.admin1_code or c.place.feature_code == "PPLC")
               for c in siblings)


class Colocation:
    """How well a candidate sits with the article's other names: Paris beside "Henry County" is
    the Paris inside a Henry County (Tennessee); Gainesville beside "Georgia" is the one in Georgia.

    For every other distinct name, its plausible namesakes (prior within ``PLAUSIBLE_MARGIN`` of
    its best) are looked at: the share of those names with one in the candidate's county, in its
    first-level region (but not its county), and in its country (but not its region).
    """

    def __init__(self, mentions: Sequence[Mention], options: Sequence[list[Candidate]],
                 priors: Sequence[list[float]]) -> None:
        self.by_key: dict[str, tuple[set, set, set]] = {}
        for mention, cands, prior in zip(mentions, options, priors):
            if not cands or mention.key in self.by_key:
                continue
            top = max(prior)
            plausible = [c.place for c, p in zip(cands, prior) if p >= top - PLAUSIBLE_MARGIN]
            self.by_key[mention.key] = (
                {(p.country_code, p.admin1_code, p.admin2_code) for p in plausible if p.admin2_code},
                {(p.country_code, p.admin1_code) for p in plausible if p.admin1_code},
                {p.country_code for p in plausible if p.country_code},
            )
        # how many names have a plausible namesake in each county, region and country
        self.names_with: tuple[Counter, Counter, Counter] = (Counter(), Counter(), Counter())
        for sets in self.by_key.values():
            for tally, areas in zip(self.names_with, sets):
                tally.update(areas)

    def for_name(self, key: str) -> _NamesakesBeside:
        own = self.by_key.get(key, (set(), set(), set()))
        return _NamesakesBeside(self.names_with, own, len(self.by_key) - (key in self.by_key))


@dataclass(frozen=True, slots=True)
class _NamesakesBeside:
    """The plausible namesakes of the article's other names, as one name sees them: the
    article's tallies less the name's own namesakes."""

    names_with: tuple[Counter, Counter, Counter]
    own: tuple[set, set, set]
    others: int

    def features(self, place: Place) -> dict[str, float]:
        if not self.others:
            return {}
        names_in_county, names_in_region, names_in_country = self.names_with
        own_counties, own_regions, own_countries = self.own
        # a name counts once, at the closest level: a namesake in the county is also in its
        # region and country, one in the region also in the country
        county = region = country = 0
        if place.admin2_code:
            county_key = (place.country_code, place.admin1_code, place.admin2_code)
            county = names_in_county[county_key] - (county_key in own_counties)
        if place.admin1_code:
            region_key = (place.country_code, place.admin1_code)
            region = names_in_region[region_key] - (region_key in own_regions) - county
        if place.country_code:
            country = names_in_country[place.country_code] - (place.country_code in own_countries) - county - region
        share = 1.0 / self.others
        return {"colocated_admin2": county * share, "colocated_admin1": region * share,
                "colocated_country": country * share}


def _qualifier_place(index: int, mentions: Sequence[Mention], first: Sequence[Place | None], text: str) -> Place | None:
    """The place written right after a mention: its country or region ("Alexandria, Va.",
    "Latakia, Syria"), or another name of the town itself ("Washington, D.C.")."""
    if index + 1 >= len(mentions):
        return None
    following = mentions[index + 1]
    if not QUALIFIER_GAP.match(text[mentions[index].end:following.start]):
        return None
    return first[index + 1]


def argmax(scores: Sequence[float]) -> int:
    return max(range(len(scores)), key=scores.__getitem__)


def softmax_share(scores: Sequence[float], best: int) -> float:
    """The share of the softmax over ``scores`` that falls on ``best`` (the model's belief in it)."""
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    return round(weights[best] / sum(weights), 3)
