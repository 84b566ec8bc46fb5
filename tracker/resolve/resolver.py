"""Decide which place each mention means, with an ACLED-style precision and a confidence.

Each candidate place of a mention is described by word-independent features of the kind an
analyst weighs when a name is ambiguous, and a conditional logit model (weights in
``data/resolver/ranker.json``, fitted by ``benchmarks/fit_resolver.py`` on part of the annotated
dev corpora) turns them into a score:

* prior: its size (log population, the most populous of its namesakes) and kind (a country or a
  capital beats a hamlet of the same name; an alternate spelling counts less than the place's
  own name); a namesake town for a region; money and spelling of the article;
* what the article names beside it: its country, its first-level region or its county named
  elsewhere ("Gainesville ... Texas ... Cooke County"), a qualifier written right after it
  ("Alexandria, Va."), the share of the article's places in its country and region, the other
  names that have a namesake in the same county or region (Paris beside "Henry County"), and
  how near it lies to the places the other names were given.

Rules on the form of the text come before the model, each keeping part of a name's candidates
when it has any: a region word after it ("Latakia province") keeps the regions, "border" the
countries and regions, a wire dateline ("WASHINGTON (AP) —") the towns, a facility label from
the language model the facilities, and a country or region written after a town ("Tacoma,
Washington") the ones that hold a place of the town's name. Three passes: the first ranks every
mention by its prior alone; the second and third score again with the context the previous pass
chose, the mention's own name left out of it. After them a name repeated in the article means
one place, and a name that begins a longer one ("Avondale" after "Avondale Estates") lies with
it. ``confidence`` is the softmax share of the winning score among the candidates.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.gazetteer.index import NAME_ADJECTIVE, NAME_ALIAS, NAME_ALTERNATE, Candidate, Gazetteer
from tracker.gazetteer.names import fold_name, normalize_name
from tracker.models import Mention, Place, Toponym
from tracker.common.distance import km_between as _km
from tracker.common.resources import data_file, read_fitted_weights
from tracker.recognize.written_areas import areas_holding, inside_all, is_area, lies_in, written_areas

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
QUALIFIER_GAP = re.compile(r"^\s*,\s*$")
#: Words before a name that place something at a town rather than across a region: "near X",
#: "outside X", "on the outskirts of X" (strike reports write "Near X," at a line's start).
NEAR_BEFORE = re.compile(r"\b(?:near|outside|outskirts\s+of)\s+$", re.IGNORECASE)
#: What follows a dateline: "WASHINGTON (AP) —", "NEW YORK (Reuters) -", "PLEASANTON, Calif. —".
DATELINE_AFTER = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([A-Z][\w .]*\)\s*)?(?:—|–|--|-\s)")

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


class Resolver:
    """Callable: (mentions, text) -> toponyms, one per mention, in the mentions' order."""

    def __init__(self, gazetteer: Gazetteer, model: RankingModel | None = None) -> None:
        self.gazetteer = gazetteer
        self.model = model or default_ranking_model()

    def __call__(self, mentions: Sequence[Mention], text: str) -> list[Toponym]:
        toponyms = []
        scored_mentions = self.score(mentions, text)
        for mention, scored, ranked in zip(mentions, scored_mentions, self._ranked(mentions, scored_mentions, text)):
            if not ranked:
                toponyms.append(_unplaced(mention) if scored.area is None else _at_area(mention, scored.area))
                continue
            if (ranked[0][0].is_country or ranked[0][0].is_admin1) \
                    and all(c.place.place_id != ranked[0][0].place_id for c in scored.candidates):
                toponyms.append(_at_area(mention, ranked[0][0]))  # a lone place abroad, at the note's country or region
                continue
            scores = [score for _, score in ranked]
            toponyms.append(_toponym(mention, ranked[0][0], softmax_share(scores, 0)))
        return place_in_enclosing_areas(place_sites(toponyms, text), text)

    def rank(self, mentions: Sequence[Mention], text: str) -> list[list[tuple[Place, float]]]:
        """For each mention, its candidate places with their scores, best first."""
        return self._ranked(mentions, self.score(mentions, text), text)

    @staticmethod
    def _ranked(mentions: Sequence[Mention], scored_mentions: Sequence[ScoredCandidates],
                text: str) -> list[list[tuple[Place, float]]]:
        ranked = [sorted(zip((c.place for c in scored.candidates), scored.scores), key=lambda pair: -pair[1])
                  for scored in scored_mentions]
        region_word = [scored.before_region_word for scored in scored_mentions]
        ranked = _regions_of_reporting_over_namesake_towns(mentions, scored_mentions, ranked, text)
        ranked = _article_countries_over_namesakes_abroad(mentions, ranked, text)
        ranked = _lone_places_abroad_to_the_notes_countries(mentions, ranked, text)
        ranked = _nearest_namesakes_at_home(mentions, ranked)
        ranked = _one_sense_per_discourse(mentions, ranked, region_word)
        ranked = _capitals_over_unsupported_namesake_regions(ranked, region_word)
        return _short_forms_of_longer_names(mentions, ranked)

    def score(self, mentions: Sequence[Mention], text: str, passes: int = 3) -> list[ScoredCandidates]:
        """Every mention's candidates, features and scores after ``passes`` passes."""
        found = self.gazetteer.lookup_many(m.key for m in mentions if m.kind != "site")  # sites are placed apart
        forms = [_WrittenForm.around(m, text) for m in mentions]
        region_word = [form.region_word for form in forms]
        # "the Black Sea region", "the Sahel region", "Latakia governorate": a region named by the
        # name and the word, when no division bears the name
        region_keys = {index: (f"{m.key} region", f"{m.key} {_region_word_after(m, text) or 'region'}")
                       for index, (m, form) in enumerate(zip(mentions, forms)) if form.region_word}
        named_regions = self.gazetteer.lookup_many({key for keys in region_keys.values() for key in keys}, folded=False) \
            if region_keys else {}
        options = [_usable_candidates(m, found.get(m.key, []), form,
                                      [c for key in dict.fromkeys(region_keys.get(index, ())) for c in named_regions.get(key, [])])
                   for index, (m, form) in enumerate(zip(mentions, forms))]
        options = _named_divisions(mentions, options, text, self.gazetteer)
        options = _areas_holding_the_name_before(mentions, options, text)
        options, at_areas = _inside_written_areas(mentions, options, text)
        hints = local_country_hints(text)
        prior_features = []
        for mention, cands, word in zip(mentions, options, region_word):
            largest = max((c.place.population for c in cands), default=0)
            prior_features.append([_prior_features(mention, c, cands, word, hints, largest) for c in cands])
        priors = [[self.model.score(f) for f in feats] for feats in prior_features]
        colocation = _Colocation(mentions, options, priors)
        features, scores = prior_features, priors
        for _ in range(passes - 1):
            picks = [cands[_argmax(s)].place if cands else None for cands, s in zip(options, scores)]
            context = _Context(mentions, picks, text)
            features = []
            for index, (mention, cands, prior_feats) in enumerate(zip(mentions, options, prior_features)):
                if len(cands) <= 1:  # nothing to choose: the prior stands (confidence 1)
                    features.append(prior_feats)
                    continue
                around, beside = context.for_mention(index), colocation.for_name(mention.key)
                features.append([{**prior, **around.features(c.place), **beside.features(c.place)}
                                 for c, prior in zip(cands, prior_feats)])
            scores = [[self.model.score(f) for f in feats] for feats in features]
        return [ScoredCandidates(*columns) for columns in zip(options, features, scores, region_word, at_areas)]


def _prior_features(mention: Mention, candidate: Candidate, siblings: Sequence[Candidate], region_word: bool,
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
    elif _is_facility(place):
        features["facility"] = 1.0
    elif place.feature_class in ("L", "H", "T"):
        features["natural_feature"] = 1.0
    if candidate.name_kind == NAME_ALTERNATE and not _short_form(mention.key, place.name) \
            and not _spelling_of(mention.key, place.name):
        features["alternate_name"] = 1.0
    elif candidate.name_kind == NAME_ALIAS:
        features["alias_name"] = 1.0
    # a region word ("Latakia province") keeps only regions (``_usable_candidates``); without one,
    # a region that shares its name with a town counts less
    if code in ("ADM1", "ADM2") and not region_word and _has_namesake_town(place, siblings):
        features["namesake_region"] = 1.0
    return features


class _Context:
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

    context: _Context
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


# ---------------------------------------------------------------------------- helpers


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


@dataclass(frozen=True, slots=True)
class _WrittenForm:
    """What the words around a mention say of the kind of place it names."""

    region_word: bool   # "Latakia province", "the Kherson region"
    border_word: bool   # "the New York border"
    dateline: str       # "WASHINGTON (AP) —" (a town's) or "SYRIA --" (no comma: perhaps a country's); "" for none
    near_word: bool = False  # "near Dayr az Zawr", "outside Latakia": a town, not its region

    @classmethod
    def around(cls, mention: Mention, text: str) -> _WrittenForm:
        return cls(_before_region_word(mention, text), _before_border_word(mention, text), _is_dateline(mention, text),
                   NEAR_BEFORE.search(text, max(0, mention.start - 20), mention.start) is not None)


def _usable_candidates(mention: Mention, candidates: list[Candidate], form: _WrittenForm,
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
    if form.near_word:  # "near Dayr az Zawr": the town, not the governorate named after it
        return [c for c in names if not (c.place.feature_code in ("ADM1", "ADM2") and _has_namesake_town(c.place, names))]
    if mention.label == "FAC":  # the language model read a facility: "Hmeimim Air Base", an airport
        facilities = [c for c in names if _is_facility(c.place)]
        return facilities or names
    return names


def _areas_holding_the_name_before(mentions: Sequence[Mention], options: list[list[Candidate]],
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


def _named_divisions(mentions: Sequence[Mention], options: list[list[Candidate]], text: str,
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


def _inside_written_areas(mentions: Sequence[Mention], options: list[list[Candidate]],
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


#: A town this far from every other place of the text lies on another continent from them.
LONE_PLACE_KM = 2500.0
#: What follows a name that stands alone as a place, not before a noun it qualifies.
NAME_ENDS_PHRASE = re.compile(
    r"\s*(?:[,.;:()]|$|(?:and|or|in|on|near|at|after|before|where|while|when|village|town|city|district|township|"
    r"area|with|from|to)\b)", re.IGNORECASE)
#: A town this large abroad keeps its name against the text's countries (Kani, Japan, 102,000
#: people, is not; Paris and Sydney are).
LONE_TOWN_POPULATION = 300_000


def _lone_places_abroad_to_the_notes_countries(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
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


def _nearest_namesakes_at_home(mentions: Sequence[Mention],
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


def _at_area(mention: Mention, area: Place) -> Toponym:
    """A name the gazetteer has no place of inside the area written after it, placed at the
    area as ACLED codes it: precision 2 (3 for a country), no GeoNames id, feature code
    ``AREA``."""
    return Toponym(start=mention.start, end=mention.end, text=mention.text, name=mention.text, lat=area.lat,
                   lon=area.lon, geonameid=None, feature_code=AT_AREA, country_code=area.country_code,
                   admin1_code=area.admin1_code, precision=3 if area.is_country else 2, confidence=0.5,
                   mention=mention.kind)


def _is_facility(place: Place) -> bool:
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


def _has_namesake_town(region: Place, siblings: Sequence[Candidate]) -> bool:
    """A region named after its own town (Latakia governorate, New York state), or sharing its
    name with the country's capital (Washington): news means the town unless a word such as
    "province" or "state" follows the name."""
    return any(c.place.is_settlement and c.place.country_code == region.country_code
               and (c.place.admin1_code == region.admin1_code or c.place.feature_code == "PPLC")
               for c in siblings)


class _Colocation:
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


def _regions_of_reporting_over_namesake_towns(mentions: Sequence[Mention], scored: Sequence[ScoredCandidates],
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


#: A run of this many countries in a list ("Australia, Bahrain, Canada, Denmark, France …") is a
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


def _article_countries_over_namesakes_abroad(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
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


def _one_sense_per_discourse(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]],
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


def _capitals_over_unsupported_namesake_regions(ranked: list[list[tuple[Place, float]]],
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


def _short_forms_of_longer_names(mentions: Sequence[Mention],
                                 ranked: list[list[tuple[Place, float]]]) -> list[list[tuple[Place, float]]]:
    """A name that begins a longer name of the same article is its short form: "Avondale" after
    "Avondale Estates", "DeKalb" beside "DeKalb County", "Nenagh" beside "Nenagh Municipal
    District". When the short name has a namesake near the longer name's place, that namesake gains
    as if named beside it (the article's other places still count: a "Dublin City Council" read
    as Ireland's does not pull Dublin, Ohio away); when it has none there, it takes that place.
    Names of countries and first-level regions are left alone: "Kansas" beside "Kansas City" is
    the state."""
    by_leading_words: dict[str, Place] = {}  # "avondale" -> the place of "avondale estates"
    for mention, scored in zip(mentions, ranked):
        if mention.kind == "name" and scored and " " in mention.key:
            words = mention.key.split(" ")
            for size in range(1, len(words)):
                by_leading_words.setdefault(" ".join(words[:size]), scored[0][0])
    if not by_leading_words:
        return ranked
    aligned = []
    for mention, scored in zip(mentions, ranked):
        place = by_leading_words.get(mention.key) if mention.kind == "name" and scored else None
        if place is None or any(p.is_country or p.is_admin1 or p.feature_code == "CONT" for p, _ in scored):
            aligned.append(scored)
            continue
        if any(_km(p, place) <= SHORT_FORM_KM for p, _ in scored):
            aligned.append(sorted(((p, score + SHORT_FORM_BONUS if _km(p, place) <= SHORT_FORM_KM else score)
                                   for p, score in scored), key=lambda pair: -pair[1]))
        else:
            aligned.append(_put_first(scored, place, SHORT_FORM_BONUS))
    return aligned


def _before_region_word(mention: Mention, text: str) -> bool:
    """ "Latakia province", "the Kherson region", "the state of Washington": the name is the region's."""
    return (REGION_WORDS.match(text, mention.end, mention.end + 40) is not None
            or REGION_OF.search(text, max(0, mention.start - 30), mention.start) is not None)


def _region_word_after(mention: Mention, text: str) -> str:
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


def _argmax(scores: Sequence[float]) -> int:
    return max(range(len(scores)), key=scores.__getitem__)


def softmax_share(scores: Sequence[float], best: int) -> float:
    """The share of the softmax over ``scores`` that falls on ``best`` (the model's belief in it)."""
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    return round(weights[best] / sum(weights), 3)


def precision_of(place: Place) -> int:
    """ACLED precision: 1 a town or point, 2 a district or part of a region, 3 a region or country."""
    if place.feature_class in ("P", "S"):
        return 1
    if place.feature_code in ("ADM2", "ADM3"):
        return 2
    return 3


def _toponym(mention: Mention, place: Place, confidence: float) -> Toponym:
    return Toponym(
        start=mention.start, end=mention.end, text=mention.text, name=place.name, lat=place.lat,
        lon=place.lon, geonameid=place.geonameid, feature_code=place.feature_code,
        country_code=place.country_code, admin1_code=place.admin1_code,
        precision=precision_of(place), confidence=confidence, mention=mention.kind,
    )


def _unplaced(mention: Mention) -> Toponym:
    """A mention the gazetteer does not know: kept, with no coordinates and no confidence."""
    return Toponym(start=mention.start, end=mention.end, text=mention.text, name=None, lat=None, lon=None,
                   geonameid=None, feature_code=None, country_code=None, admin1_code=None,
                   precision=None, confidence=0.0, mention=mention.kind)
