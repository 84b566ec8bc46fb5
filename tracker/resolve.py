"""Decide which place each mention means, with an ACLED-style precision and a confidence.

The score of a candidate adds up what an analyst weighs when a name is ambiguous:

* prior: its size (log population) and kind (a country or a capital beats a hamlet of the same
  name; an alternate spelling counts less than the place's own name);
* document focus: the countries and first-level regions the article's other, less ambiguous
  mentions point to ("Paris" in an article about Texas);
* a qualifier written next to it ("Alexandria, Va.", "Latakia province");
* nearness to the places already placed in the article.

Two passes: the first resolves every mention from its prior alone to find the focus; the
second scores again with the focus and neighbours. ``confidence`` is the softmax share of the
winning score among the candidates.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.gazetteer.index import NAME_ADJECTIVE, NAME_ALIAS, NAME_ALTERNATE, Candidate, Gazetteer
from tracker.gazetteer.names import normalize_name
from tracker.models import Mention, Place, Toponym

REGION_WORDS = re.compile(
    r"^\s*(?:coastal\s+)?(province|region|governorate|oblast|state|prefecture|district|county|territory)\b",
    re.IGNORECASE,
)
QUALIFIER_GAP = re.compile(r"^\s*,\s*$")


@dataclass(frozen=True, slots=True)
class ResolverWeights:
    """Weights of the scoring terms; fitted by hand on part of the dev corpora, checked on the rest."""

    population: float = 1.0
    country: float = 4.0
    continent: float = 4.0
    curated_area: float = 3.5
    admin1: float = 1.5
    admin2: float = 0.5
    capital: float = 3.0
    airport: float = -2.0
    facility_label: float = 3.0
    alternate_name: float = -2.0
    alias_name: float = 1.0
    namesake_region: float = -2.5
    region_word: float = 4.0
    focus_country: float = 3.0
    focus_admin1: float = 2.0
    qualifier: float = 6.0
    colocation: float = 12.0
    colocation_same_admin2: float = 1.0
    colocation_same_admin1: float = 0.6
    colocation_same_country: float = 0.2
    plausible_margin: float = 6.0
    near_neighbour: float = 1.0
    near_km: float = 250.0
    local_hint: float = 1.0


DEFAULT_WEIGHTS = ResolverWeights()


class Resolver:
    """Callable: (mentions, text) -> toponyms, one per mention, in the mentions' order."""

    def __init__(self, gazetteer: Gazetteer, weights: ResolverWeights = DEFAULT_WEIGHTS) -> None:
        self.gazetteer = gazetteer
        self.weights = weights

    def __call__(self, mentions: Sequence[Mention], text: str) -> list[Toponym]:
        toponyms = []
        for mention, ranked in zip(mentions, self.rank(mentions, text)):
            if not ranked:
                toponyms.append(_unplaced(mention))
                continue
            scores = [score for _, score in ranked]
            toponyms.append(_toponym(mention, ranked[0][0], _softmax_share(scores, 0)))
        return place_sites(toponyms, text)

    def rank(self, mentions: Sequence[Mention], text: str) -> list[list[tuple[Place, float]]]:
        """For each mention, its candidate places with their scores, best first."""
        found = self.gazetteer.lookup_many(m.key for m in mentions)
        options = [_usable_candidates(m, found.get(m.key, [])) for m in mentions]
        hints = local_country_hints(text)
        priors = [[self._prior(m, c, cands, text, hints) for c in cands] for m, cands in zip(mentions, options)]
        first = [cands[_argmax(scores)].place if cands else None for cands, scores in zip(options, priors)]
        focus_countries, focus_admin1 = _focus(first, options)
        anchors = [place for place, cands in zip(first, options) if place is not None and len(cands) == 1]
        support = _Colocation(mentions, options, priors, self.weights)
        ranked = []
        for index, (cands, prior) in enumerate(zip(options, priors)):
            qualifier = _qualifier_place(index, mentions, first, text)
            scored = [(c.place, p + self._context(c.place, focus_countries, focus_admin1, anchors, qualifier)
                       + self.weights.colocation * support(mentions[index].key, c.place))
                      for c, p in zip(cands, prior)]
            scored.sort(key=lambda pair: -pair[1])
            ranked.append(scored)
        return _one_sense_per_discourse(mentions, ranked, text)

    def _prior(self, mention: Mention, candidate: Candidate, siblings: Sequence[Candidate], text: str,
               hints: dict[str, float]) -> float:
        w, place = self.weights, candidate.place
        score = w.population * math.log10(max(place.population, 1) + 1)
        if place.is_settlement or place.feature_code == "ADM2":
            score += w.local_hint * hints.get(place.country_code, 0.0)
        code = place.feature_code
        if place.is_country:
            score += w.country
        elif code == "CONT":
            score += w.continent
        elif code == "ADM1":
            score += w.admin1
        elif code == "ADM2":
            score += w.admin2
        elif code == "PPLC":
            score += w.capital
        elif code in ("AIRP", "AIRB") or place.feature_class == "S":
            score += w.facility_label if mention.label == "FAC" else w.airport
        elif place.feature_class in ("L", "H", "T"):
            score += w.curated_area
        if candidate.name_kind == NAME_ALTERNATE and not _short_form(mention.key, place.name):
            score += w.alternate_name
        elif candidate.name_kind == NAME_ALIAS:
            score += w.alias_name
        if code in ("ADM1", "ADM2"):
            if REGION_WORDS.match(text[mention.end:mention.end + 40]):
                score += w.region_word
            elif _has_namesake_town(place, siblings):
                score += w.namesake_region
        return score

    def _context(self, place: Place, focus_countries: dict[str, float], focus_admin1: dict[tuple[str, str], float],
                 anchors: list[Place], qualifier: Place | None) -> float:
        w = self.weights
        score = w.focus_country * focus_countries.get(place.country_code, 0.0)
        score += w.focus_admin1 * focus_admin1.get((place.country_code, place.admin1_code), 0.0)
        if qualifier is not None and qualifier.place_id != place.place_id:
            if (qualifier.is_country and qualifier.country_code == place.country_code) or (
                    qualifier.is_admin1 and (qualifier.country_code, qualifier.admin1_code)
                    == (place.country_code, place.admin1_code)):
                score += w.qualifier
        if place.is_settlement and any(
                a.place_id != place.place_id and a.is_settlement and _km(a, place) < w.near_km for a in anchors):
            score += w.near_neighbour
        return score


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
    of those). Precision is the
    town's (ACLED 1: the town itself); confidence is lowered, since the street's own point is
    not known.
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
            country_code=town.country_code, admin1_code=town.admin1_code, precision=1,
            confidence=round(town.confidence * 0.5, 3)))
    return placed


def _usable_candidates(mention: Mention, candidates: list[Candidate]) -> list[Candidate]:
    if mention.kind == "site":
        return []
    if mention.kind == "adjective":
        return [c for c in candidates if c.name_kind == NAME_ADJECTIVE]
    return [c for c in candidates if c.name_kind != NAME_ADJECTIVE]


#: Money and spelling that say which country a local story was written in: a "City Council" that
#: counts in dollars is more likely in Mansfield, Ohio than in Mansfield, England.
_CURRENCY_HINTS = (
    (re.compile(r"\$\s?\d"), {"US": 1.0, "CA": 0.5, "AU": 0.5, "NZ": 0.3}),
    (re.compile(r"£\s?\d|\bpence\b"), {"GB": 1.0}),
    (re.compile(r"₹\s?\d|\bRs\.?\s?\d|\bcrore\b|\blakh\b"), {"IN": 1.0}),
    (re.compile(r"€\s?\d|\d\s?€"), {"IE": 0.3, "FR": 0.3, "DE": 0.3, "IT": 0.3, "ES": 0.3, "NL": 0.3}),
)
_SPELLING_HINTS = (
    (re.compile(r"\b(?:[Cc]enter|[Cc]olor|[Ll]abor|[Nn]eighbor\w*|[Tt]heater|[Dd]efense|[Oo]rganiz\w+|[Cc]ounty [Cc]ommissioners|[Ss]heriff's [Oo]ffice)\b"),
     {"US": 0.5}),
    (re.compile(r"\b(?:[Cc]entre|[Cc]olour|[Ll]abour|[Nn]eighbour\w*|[Tt]heatre|[Dd]efence|[Oo]rganis\w+|[Cc]ouncillors?)\b"),
     {"GB": 0.5, "IE": 0.3, "AU": 0.3, "CA": 0.2, "NZ": 0.3, "IN": 0.3}),
)


def local_country_hints(text: str) -> dict[str, float]:
    """Country -> 0..1: how strongly the article's money and spelling point to it."""
    hints: dict[str, float] = {}
    for pattern, countries in (*_CURRENCY_HINTS, *_SPELLING_HINTS):
        if pattern.search(text):
            for country, weight in countries.items():
                hints[country] = min(1.0, hints.get(country, 0.0) + weight)
    return hints


def _short_form(key: str, name: str) -> bool:
    """"New York" for New York City: the place's own name less a
    trailing generic word is how news writes it, not a rare alternate."""
    full = normalize_name(name)
    return full.startswith(key + " ") and full[len(key) + 1:] in ("city", "town")


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

    For every other distinct name, the best match among its plausible candidates (within
    ``plausible_margin`` of its best prior) counts: same county, same first-level region, or same
    country; the support is the mean over the other names, between 0 and 1.
    """

    def __init__(self, mentions: Sequence[Mention], options: Sequence[list[Candidate]],
                 priors: Sequence[list[float]], weights: ResolverWeights) -> None:
        self.weights = weights
        self.by_key: dict[str, tuple[set, set, set]] = {}
        for mention, cands, prior in zip(mentions, options, priors):
            if not cands or mention.key in self.by_key:
                continue
            top = max(prior)
            plausible = [c.place for c, p in zip(cands, prior) if p >= top - weights.plausible_margin]
            self.by_key[mention.key] = (
                {(p.country_code, p.admin1_code, p.admin2_code) for p in plausible if p.admin2_code},
                {(p.country_code, p.admin1_code) for p in plausible if p.admin1_code},
                {p.country_code for p in plausible if p.country_code},
            )

    def __call__(self, key: str, place: Place) -> float:
        others = [sets for other, sets in self.by_key.items() if other != key]
        if not others:
            return 0.0
        w = self.weights
        total = 0.0
        for counties, regions, countries in others:
            if place.admin2_code and (place.country_code, place.admin1_code, place.admin2_code) in counties:
                total += w.colocation_same_admin2
            elif place.admin1_code and (place.country_code, place.admin1_code) in regions:
                total += w.colocation_same_admin1
            elif place.country_code in countries:
                total += w.colocation_same_country
        return total / len(others)


def _focus(first: Sequence[Place | None],
           options: Sequence[list[Candidate]]) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """Share of the article's first-pass places in each country and first-level region."""
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    for place, cands in zip(first, options):
        if place is None or not place.country_code:
            continue
        weight = 1.0 / len({c.place.country_code for c in cands})  # ambiguous names vote less
        countries[place.country_code] += weight
        if place.admin1_code:
            regions[(place.country_code, place.admin1_code)] += weight
    total = sum(countries.values()) or 1.0
    return ({k: v / total for k, v in countries.items()},
            {k: v / total for k, v in regions.items()})


def _qualifier_place(index: int, mentions: Sequence[Mention], first: Sequence[Place | None], text: str) -> Place | None:
    """The place written right after a mention, as in "Alexandria, Va." or "Latakia, Syria"."""
    if index + 1 >= len(mentions):
        return None
    following = mentions[index + 1]
    if not QUALIFIER_GAP.match(text[mentions[index].end:following.start]):
        return None
    place = first[index + 1]
    return place if place is not None and (place.is_country or place.is_admin1) else None


def _one_sense_per_discourse(mentions: Sequence[Mention], ranked: list[list[tuple[Place, float]]], text: str
                             ) -> list[list[tuple[Place, float]]]:
    """A name repeated in one article means one place: the one its best-supported occurrence
    chose ("Paris, Texas ... the Paris police"). A name followed by "province" or "region" is
    read apart from the bare name: "the Latakia region" and "outside Latakia" are two places."""
    def sense_key(mention: Mention) -> tuple[str, str, bool]:
        return mention.key, mention.kind, bool(REGION_WORDS.match(text[mention.end:mention.end + 40]))

    best_by_key: dict[tuple[str, str, bool], tuple[Place, float]] = {}
    for mention, scored in zip(mentions, ranked):
        if scored:
            key = sense_key(mention)
            if key not in best_by_key or scored[0][1] > best_by_key[key][1]:
                best_by_key[key] = scored[0]
    aligned = []
    for mention, scored in zip(mentions, ranked):
        if scored:
            chosen = best_by_key[sense_key(mention)][0]
            top = max(score for _, score in scored)
            scored = sorted(((place, top + 1.0 if place.place_id == chosen.place_id else score)
                             for place, score in scored), key=lambda pair: -pair[1])
        aligned.append(scored)
    return aligned


def _argmax(scores: Sequence[float]) -> int:
    return max(range(len(scores)), key=scores.__getitem__)


def _softmax_share(scores: Sequence[float], best: int) -> float:
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    return round(weights[best] / sum(weights), 3)


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


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
