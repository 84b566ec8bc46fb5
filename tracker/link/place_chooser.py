"""Which of an article's places a group of equipment is at: a fitted choice over every place.

A group's own sentence often names only the country ("sent to Syria", "arrived in Poland") while
the lead or an imagery paragraph names the base ("an air base near Latakia", "unloaded at the port
of Gdansk"); conventions ask for the most specific place the text ties the group to. Ordered rules
cannot weigh the sentence's country against the lead's base, so every placed name of the article
is a candidate, described by named, word-independent features (its role in the group's clause,
how far it is, whether it lies inside the country the sentence names, whether it is a base, a sea
or a capital...), and a conditional logit model picks one. The weights live in
``data/linker/place_chooser.json``, fitted by ``benchmarks/fit_linker.py`` on the tune halves of
the equipment dev files.

Rules that no data decides stay rules (see ``chooseable``): a place named in the group's clause
only as where it came from is never where it is, nor is a destination of a group that left.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.common.distance import km_between as _km
from tracker.common.resources import data_file, read_fitted_weights
from tracker.gazetteer.index import MILITARY_SITE_CODES
from tracker.models import EquipmentMention, Toponym
from tracker.resolve.ranking import RankingModel, softmax_share


@dataclass(frozen=True, slots=True)
class PlaceRole:
    """What the words around a place say it is to a group of its sentence (read by the linker,
    ``tracker.link.linker.place_role``; its cues are features here)."""

    locative: bool      # "at X", "to X", "in X", "near X"
    destination: bool   # "to X", "into X"
    origin: bool        # "from X"
    speaker: bool       # "X said", "X has sent", "officials in X"
    near: bool          # "near X", "outside X"


#: Feature codes of water a ship can be in.
SEA_CODES = frozenset({"SEA", "OCN", "GULF", "BAY", "STRT", "CHN", "CNL", "SD", "LGN", "COVE", "HBR", "INLT", "FJD"})
#: Bases, airports, ports: the places conventions ask for before the town or country around them.
FACILITY_CODES = MILITARY_SITE_CODES | {"AIRP", "AIRH", "PRT", "CMP", "HBR", "DCKY"}
#: Air bases and airports: no place of a ship.
AIRFIELD_CODES = frozenset({"AIRB", "AIRF", "AIRP", "AIRH"})
#: Broad regions: a country, its first-order divisions, curated regions and peninsulas.
BROAD_CODES = frozenset({"RGN", "PEN", "CONT", "ADM1", "ADMD", "TERR", "ISLS"})
#: How far from every other place of the article a place may lie before it looks like a namesake abroad.
FAR_KM = 300.0
_WORD = re.compile(r"\w+")
_FACILITY_NOUN = r"(?:air\s*base|airbase|air\s+field|airfield|airport|air\s+station|naval\s+base|base|port|harbou?r|"
_FACILITY_NOUN += r"naval\s+station|garrison|depot|training\s+area|range|barracks)"
_FACILITY_BEFORE = re.compile(_FACILITY_NOUN + r"\s+(?:of|at|in|near|outside|just\s+outside|close\s+to)\s+(?:the\s+)?$",
                              re.IGNORECASE)
_FACILITY_AFTER = re.compile(r"['’]?s?\s+(?:military\s+)?" + _FACILITY_NOUN + r"\b", re.IGNORECASE)
_BORDER_OF = re.compile(r"['’]s?\s+(?:\w+\s+)?(?:border|borders|frontier)\b", re.IGNORECASE)
_BORDER_WITH = re.compile(r"\b(?:border|borders|frontier|boundary)\s+with\s+(?:the\s+)?$", re.IGNORECASE)

FEATURE_NAMES = (
    "in_sentence",              # named in the group's own sentence
    "locative_in_sentence",     # "at X", "in X", "near X" in the group's sentence
    "destination_in_sentence",  # "to X", "into X"
    "same_clause",              # no clause break between the group and the place
    "after_group",              # the place follows the group in its sentence
    "nearness_in_sentence",     # exp(-characters between the group and the place / 100)
    "speaker_in_sentence",      # "X said", "officials in X", "Ankara has sent" in the sentence
    "left_from",                # a group that left, and the place it left in its sentence
    "speaker_everywhere",       # every mention of the place is a speaker's or an owner's word
    "owner_country",            # the owner's own country ("France has sent eight Rafales")
    "capital",                  # a national capital (often its government)
    "distance_away",            # log(1 + characters between the group's sentence and the place / 100)
    "same_paragraph",           # named in the group's paragraph
    "in_lead",                  # named in the headline or the lead paragraph
    "in_headline",              # named in the first line, when it is a headline (no full stop)
    "locative_elsewhere",       # the article puts something at the place in another sentence
    "groups_at",                # log(1 + other equipment sentences that put something at it)
    "other_kinds_at",           # log(1 + those of them that name no equipment of the group's kind)
    "mentions",                 # log(1 + times the article names it)
    "precision_town",           # a town, base or point (precision 1)
    "precision_broad",          # a country or broad region (precision 3)
    "country",                  # an independent country
    "facility",                 # a base, airport or port
    "sea",                      # a sea, gulf, strait or ocean
    "ship_at_sea",              # a ship group and a sea
    "land_kind_at_sea",         # a group that is no ship, and a sea
    "holds_other_place",        # a country or region holding another place of the article
    "inside_sentence_place",    # inside a country or region the group's sentence names
    "outside_sentence_place",   # not in the group's sentence, and outside every area its sentence puts it in
    "dateline",                 # the dateline's place ("KAISERSLAUTERN, Germany --")
    "bureau_dateline",          # a dateline of a news bureau ("DUBAI (Reuters) -", "MINSK —"): where the reporter is
    "confidence",               # the resolver's confidence in the place
    "far_from_others",          # a town: log(1 + km beyond 300 to the nearest other place of the article / 300)
    "far_from_theatre",         # log(1 + km beyond 300 to the nearest other place an equipment sentence puts something at / 300)
    "border_partner",           # "X's border with Y", "near India's border": the place across the line
    "planned_elsewhere",        # a planned move, and a place its sentence does not name
    "facility_words",           # "the port of X", "an air base near X", "X airfield": a base at or by it
)


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    """One place of the article as a candidate for a group: its mention nearest the group, and
    the mention in the group's sentence whose role decides the precision ("near X" lowers it)."""

    toponym: Toponym
    in_sentence: Toponym | None
    features: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class PlaceChooser:
    """The conditional logit over ``FEATURE_NAMES``: the resolver's linear model, with the linker's weights."""

    model: RankingModel

    def score(self, features: Mapping[str, float]) -> float:
        return self.model.score(features)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path | None = None) -> PlaceChooser:
        return cls(RankingModel(read_fitted_weights(path or data_file("linker/place_chooser.json"), "place chooser",
                                                    "fit_linker.py")[0]))

    def choose(self, candidates: Sequence[PlaceCandidate]) -> tuple[PlaceCandidate, float] | None:
        """The best candidate and its share of the model's belief."""
        if not candidates:
            return None
        scores = [self.score(c.features) for c in candidates]
        best = scores.index(max(scores))
        return candidates[best], softmax_share(scores, best)


@lru_cache(maxsize=1)
def default_place_chooser() -> PlaceChooser:
    return PlaceChooser.load()


@dataclass(frozen=True, slots=True)
class ArticlePlaces:
    """What the features read of an article once, whatever the group: its places by identity,
    where its paragraphs and lead end, and which places the equipment sentences use."""

    text: str
    places: tuple[Toponym, ...]
    roles: Mapping[int, PlaceRole]
    by_place: Mapping[tuple, tuple[Toponym, ...]]
    lead_end: int
    headline_end: int
    dateline: Toponym | None
    nearest_other_km: Mapping[tuple, float]
    far_from_theatre: Mapping[tuple, float]  # see ``_far_from_theatre``
    holders: frozenset[tuple]  # the places that hold another place of the article (a country, a region)
    name_ends: frozenset[int]  # where each place name of the article ends ("Otopeni| air base")


def place_key(toponym: Toponym) -> tuple:
    return (toponym.geonameid, round(toponym.lat or 0.0, 3), round(toponym.lon or 0.0, 3))


#: After a dateline, the agency that filed from there: "DUBAI (Reuters) -", "ANKARA (Xinhua) --".
_AGENCY_AFTER = re.compile(r"^(?:,[^\n(]{0,30})?\s*\((?:Reuters|AP|AFP|Xinhua|UPI|dpa|DPA|Bloomberg|CNN|TASS|"
                           r"Interfax|Anadolu|Yonhap|Kyodo|PTI|IANS|ANI|EFE|ANSA|RIA|RIA Novosti|Sputnik|"
                           r"Sputnik News|BBC|VOA|JTA|WAFA|SANA|IRNA|Al Jazeera|The Associated Press)[^)]{0,20}\)")


def _is_bureau_dateline(text: str, dateline: Toponym) -> bool:
    """A wire bureau's dateline (an agency after it) or a city that is no base: news is filed from
    capitals and bureaus, press releases from the base itself."""
    code = dateline.feature_code or ""
    return bool(_AGENCY_AFTER.match(text[dateline.end:dateline.end + 60])) or (
        code.startswith("PPL") and code not in FACILITY_CODES)


def headline_end(text: str) -> int:
    """Where the headline ends: the first line, when it is short and has no full stop; else 0."""
    first_line = re.match(r"[^\n]*", text).group()
    return len(first_line) if len(_WORD.findall(first_line)) <= 20 and not first_line.rstrip().endswith(".") else 0


def article_places(text: str, places: Sequence[Toponym], roles: Mapping[int, PlaceRole],
                   dateline: Toponym | None, equipment_sentences: Sequence[tuple[int, int]] = ()) -> ArticlePlaces:
    """What every group's candidates share, read once per article (``equipment_sentences``: the
    (start, end) of each sentence naming equipment, whose places make the article's theatre)."""
    by_place: dict[tuple, list[Toponym]] = {}
    for toponym in places:
        by_place.setdefault(place_key(toponym), []).append(toponym)
    # the lead: the first paragraph with a sentence's worth of words (a headline line counts too)
    lead_end = 0
    for paragraph in re.finditer(r"[^\n]+", text):
        lead_end = paragraph.end()
        if len(_WORD.findall(paragraph.group())) >= 12:
            break
    headline = headline_end(text)
    firsts = {key: mentions[0] for key, mentions in by_place.items()}
    nearest: dict[tuple, float] = {}
    for key, toponym in firsts.items():
        distances = [_km(toponym, other) for other_key, other in firsts.items() if other_key != key]
        nearest[key] = min(distances) if distances else 0.0
    theatre = {place_key(t): t for t in places if roles[id(t)].locative
               and any(start <= t.start < end for start, end in equipment_sentences)}
    return ArticlePlaces(text, tuple(places), roles, {k: tuple(v) for k, v in by_place.items()}, lead_end,
                         headline, dateline, nearest,
                         {key: _far_from_theatre(place, key, theatre) for key, place in firsts.items()},
                         frozenset(key for key, place in firsts.items()
                                   if any(_inside(place, other) for other_key, other in firsts.items() if other_key != key)),
                         frozenset(t.end for t in places if t.mention == "name"
                                   and not (t.feature_code or "").startswith(("PCL", "ADM"))))


def _unnamed_base_before(article: ArticlePlaces, toponym: Toponym) -> bool:
    """"an air base near X", "the port of X": a base the text ties to X without a name of its
    own. "Otopeni air base near Bucharest" names the base, which is the place itself."""
    found = _FACILITY_BEFORE.search(article.text, max(0, toponym.start - 40), toponym.start)
    return found is not None and len(article.text[:found.start()].rstrip()) not in article.name_ends


def _in_dateline(article: ArticlePlaces, toponym: Toponym) -> bool:
    """The dateline's place or the country after its comma: "DUBAI, United Arab Emirates (AP) —"."""
    dateline = article.dateline
    return dateline is not None and (toponym is dateline or 0 <= toponym.start - dateline.end <= 4
                                     and article.text[dateline.end:toponym.start].strip() == ",")


def candidates_for(article: ArticlePlaces, mention: EquipmentMention,
                   equipment_sentences: Sequence[tuple[int, int]], *, unknown_slot: bool = False,
                   kinds_by_sentence: Mapping[tuple[int, int], frozenset[str]] | None = None
                   ) -> list[PlaceCandidate]:
    """Every place of the article the group may be at, with its features. ``unknown_slot`` says
    the group's sentence puts it at a name the gazetteer lacks ("Near Qzzwib, a strike …"): then
    a town named elsewhere is no candidate, only the areas (the row is at the area, precision 3)."""
    text = article.text
    kinds = kinds_by_sentence or {}
    leaving = mention.status == "departed"
    # a dateline opens the first sentence but is no word of it: "DUBAI — Two destroyers ..."
    sentence_places = [t for t in article.places if mention.sentence_start <= t.start < mention.sentence_end
                       and not (t.start < mention.end and mention.start < t.end) and not _in_dateline(article, t)]
    sentence_ids = {id(t) for t in sentence_places}
    sentence_holders = [t for t in sentence_places if (t.feature_code or "").startswith(("PCL", "ADM"))
                        or t.feature_code in BROAD_CODES]
    located_holders = [t for t in sentence_holders if article.roles[id(t)].locative]
    if len({place_key(t) for t in located_holders}) > 1:
        # "sent six F-22s to Poland and four F-35s to Estonia": each group's own area is the one
        # its words lead to (the nearest after it, else the nearest), not every area of the sentence
        after = [t for t in located_holders if t.start >= mention.end]
        own = min(after or located_holders, key=lambda t: _gap(t, mention))
        sentence_holders = [t for t in sentence_holders if t is own or not article.roles[id(t)].locative]
        located_holders = [own]
    paragraph_start = text.rfind("\n", 0, mention.sentence_start) + 1
    paragraph_end = text.find("\n", mention.sentence_end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    # "In Kuwait, there are six F-16s; in Turkey some operate from Incirlik": a clause that names
    # a place of its own is where its group is
    own_clause_placed = any(article.roles[id(t)].locative and same_clause(text, mention, t) for t in sentence_places)
    candidates = []
    other_clause: set[tuple] = set()  # named in the sentence only in another clause
    for key, mentions in article.by_place.items():
        here = [t for t in mentions if id(t) in sentence_ids]
        if not chooseable(here, mentions, article.roles, leaving, mention) \
                or all(persons_place(text, t) for t in mentions):
            continue
        if unknown_slot and not here and (mentions[0].precision or 3) < 3:
            continue  # "Near Qzzwib, a strike …": not the town of the line before, but the area
        nearest = min(mentions, key=lambda t: _gap(t, mention))
        groups_at = [(start, end) for start, end in equipment_sentences if start != mention.sentence_start
                     and any(start <= t.start < end and article.roles[id(t)].locative for t in mentions)]
        anchor = min(here, key=lambda t: abs(t.start - mention.start)) if here else None
        toponym = anchor or nearest
        code = toponym.feature_code or ""
        roles = [article.roles[id(t)] for t in here]
        elsewhere = [t for t in mentions if id(t) not in sentence_ids]
        sea = code in SEA_CODES
        precision = toponym.precision or 3
        ship_at_sea = sea and mention.category == "ship"
        if ship_at_sea:
            precision = 2  # a ship is at sea: the sea area is as specific as the text can be
        # a sea the group's own sentence puts a ship in: how far the sea's middle lies from the
        # article's towns tells nothing of a namesake
        sea_of_its_sentence = ship_at_sea and any(article.roles[id(t)].locative for t in here)
        features = {
            "in_sentence": float(bool(here)),
            "locative_in_sentence": float(any(r.locative for r in roles)),
            "destination_in_sentence": float(any(r.destination for r in roles)),
            "same_clause": float(any(same_clause(text, mention, t) for t in here)),
            "after_group": float(any(t.start >= mention.end for t in here)),
            "nearness_in_sentence": math.exp(-min((_gap(t, mention) for t in here), default=10_000) / 100),
            "speaker_in_sentence": float(any(stands_for_sender(t, article.roles[id(t)], mention) for t in here)),
            "left_from": float(leaving and any(r.origin for r in roles)),
            "speaker_everywhere": float(all(stands_for_sender(t, article.roles[id(t)], mention) for t in mentions)),
            "owner_country": float(_is_owner_country(toponym, mention)),
            "capital": float(code == "PPLC"),
            "distance_away": 0.0 if here else math.log1p(_sentence_gap(nearest, mention) / 100),
            "same_paragraph": float(any(paragraph_start <= t.start < paragraph_end for t in mentions)),
            "in_lead": float(any(t.start < article.lead_end for t in mentions)),
            "in_headline": float(any(t.start < article.headline_end for t in mentions)),
            "locative_elsewhere": float(any(article.roles[id(t)].locative for t in elsewhere)),
            "groups_at": math.log1p(len(groups_at)),
            "other_kinds_at": math.log1p(sum(1 for sentence in groups_at
                                             if mention.category not in kinds.get(sentence, (mention.category,)))),
            "mentions": math.log1p(len(mentions)),
            "precision_town": float(precision == 1),
            "precision_broad": float(precision == 3),
            "country": float(code.startswith("PCL")),
            "facility": float(code in FACILITY_CODES),
            "sea": float(sea),
            "ship_at_sea": float(ship_at_sea),
            "land_kind_at_sea": float(sea and mention.category not in ("ship", "aircraft", "helicopter", "drone")),
            "holds_other_place": float(key in article.holders),
            "inside_sentence_place": float(not here and any(_inside(holder, toponym) for holder in sentence_holders)),
            "outside_sentence_place": float(not here and bool(located_holders) and not any(
                _inside(holder, toponym) or place_key(holder) == key for holder in located_holders)),
            "dateline": float(article.dateline is not None and place_key(article.dateline) == key),
            "bureau_dateline": float(article.dateline is not None and place_key(article.dateline) == key
                                     and _is_bureau_dateline(text, article.dateline)),
            "confidence": toponym.confidence,
            "far_from_others": 0.0 if sea_of_its_sentence else math.log1p(max(0.0, article.nearest_other_km.get(key, 0.0)
                                                                   - FAR_KM) / FAR_KM),
            "planned_elsewhere": float(mention.status == "planned" and not here),
            "facility_words": float(any(_unnamed_base_before(article, t) or _FACILITY_AFTER.match(text, t.end)
                                        for t in mentions)),
            "far_from_theatre": 0.0 if sea_of_its_sentence else article.far_from_theatre.get(key, 0.0),
            "border_partner": float(bool(here) and all(_BORDER_WITH.search(text, max(0, t.start - 40), t.start)
                                                        or _BORDER_OF.match(text, t.end) for t in here)),
        }
        if own_clause_placed and here and not any(same_clause(text, mention, t) for t in here):
            other_clause.add(key)
        candidates.append(PlaceCandidate(toponym, anchor, features))
    # conventions: the officials' country, a capital for its government and the owner's own
    # country are no place of the group unless the text puts it there, or names no other place;
    # nor is a place of another clause of its sentence when its own clause names one
    placed = [c for c in candidates if not c.features["speaker_everywhere"] and place_key(c.toponym) not in other_clause]
    if mention.category == "ship":  # a ship is never at an air base or an airport
        placed = [c for c in placed if (c.toponym.feature_code or "") not in AIRFIELD_CODES]
    # a capital the text never puts anything in ("Baku and Yerevan have been waging", "Moscow
    # tried") stands for its government, while the text puts something in another place
    if any(c.features["locative_in_sentence"] or c.features["locative_elsewhere"] for c in placed):
        placed = [c for c in placed if not c.features["capital"]
                  or c.features["locative_in_sentence"] or c.features["locative_elsewhere"]]
    # a news bureau's dateline ("KYIV —", "ISTANBUL (Reuters) -") is where the reporter files from:
    # no place of a group whose own sentence puts it somewhere
    if any(c.features["locative_in_sentence"] or c.features["locative_elsewhere"] for c in placed
           if not c.features["bureau_dateline"]):
        placed = [c for c in placed if not c.features["bureau_dateline"]
                  or c.features["locative_in_sentence"] or c.features["locative_elsewhere"]]
    return placed or candidates


def _far_from_theatre(toponym: Toponym, key: tuple, theatre: Mapping[tuple, Toponym]) -> float:
    """How far a place lies from the article's theatre: the other places that its equipment
    sentences put something at ("arrived at X", "in Y"). A home base named as where the group
    came from, or a namesake abroad, lies far from all of them."""
    # a place inside a country of the theatre is in the theatre, however far the country's point
    distances = [0.0 if _inside(t, toponym) and (t.feature_code or "").startswith("PCL") else _km(toponym, t)
                 for other, t in theatre.items() if other != key]
    if not distances:
        return 0.0
    return math.log1p(max(0.0, min(distances) - FAR_KM) / FAR_KM)


#: A person's place, not a group's: "Sunbury, N.C., native", "a native of Tulsa", "his hometown of X".
_PERSON_AFTER = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?,?\s+(?:native|natives|resident|residents)\b")
_PERSON_BEFORE = re.compile(r"\b(?:native\s+of|natives\s+of|hometown(?:\s+of)?|resident\s+of|born\s+in|grew\s+up\s+in|"
                            r"raised\s+in|graduated\s+from|graduate\s+of)\s+(?:the\s+)?$", re.IGNORECASE)


def persons_place(text: str, toponym: Toponym) -> bool:
    """A hometown of someone quoted ("the battalion commander and Sunbury, N.C., native")."""
    return bool(_PERSON_AFTER.match(text, toponym.end) or _PERSON_BEFORE.search(text, max(0, toponym.start - 30),
                                                                                 toponym.start))


def chooseable(here: Sequence[Toponym], mentions: Sequence[Toponym], roles: Mapping[int, PlaceRole],
               leaving: bool, mention: EquipmentMention) -> bool:
    """Conventions, not weights: a place the group's sentence names only as where it came from is
    not where it is (unless it left from there), nor is a place the group left for; a place the
    whole article names only as an origin is nobody's place."""
    if leaving:
        return not (here and all(roles[id(t)].destination for t in here))
    if here and all(roles[id(t)].origin for t in here):
        return False
    return not all(roles[id(t)].origin for t in mentions)


#: Where a clause ends, or a purpose or cause begins: in "dispatched tanks to Hatay as preparation of
#: an action into Afrin" or "moved jets to Poland amid tension with Belarus" the later place is the
#: aim or the reason, not where the group goes.
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\s|\s(?:while|whereas)\s"
                           r"|\sand\s+(?:in|at)\s+[A-Z][\w.\-’']*(?:\s+[A-Z][\w.\-’']*)?,?\s+(?=(?:some|the|a|an|its|their|\d)\s)"
                           r"|\s(?:as\s+(?:a\s+)?preparations?\s+(?:of|for)|in\s+preparation\s+for|ahead\s+of"
                           r"|in\s+response\s+to|in\s+retaliation\s+for|in\s+the\s+wake\s+of|amid|amidst|after)\s", re.IGNORECASE)


def same_clause(text: str, mention: EquipmentMention, toponym: Toponym) -> bool:
    """No clause break between a group and a place: in "Germany delivered 14 tanks to Ukraine, and
    Britain's Challengers were loaded at Marchwood" Marchwood is nothing to the Leopards."""
    start, end = (mention.end, toponym.start) if toponym.start >= mention.end else (toponym.end, mention.start)
    # a break begins between the two, though it may read on past them: in "stationed 12 F-16s and
    # in Turkey some Tornados" the place itself opens the next clause
    found = _CLAUSE_BREAK.search(text, start, min(len(text), max(start, end) + CLAUSE_LOOKAHEAD_CHARS))
    return found is None or found.start() >= end


#: How far past the place a clause break that begins before it may read ("… and in Turkey some").
CLAUSE_LOOKAHEAD_CHARS = 60


def _gap(toponym: Toponym, mention: EquipmentMention) -> int:
    if toponym.start >= mention.end:
        return toponym.start - mention.end
    return max(0, mention.start - toponym.end)


def _sentence_gap(toponym: Toponym, mention: EquipmentMention) -> int:
    if toponym.start >= mention.sentence_end:
        return toponym.start - mention.sentence_end
    return max(0, mention.sentence_start - toponym.end)


def _is_owner_country(toponym: Toponym, mention: EquipmentMention) -> bool:
    return bool(mention.actor) and (toponym.feature_code or "").startswith("PCL") and (
        toponym.name == mention.actor or toponym.text == mention.actor)


def stands_for_sender(toponym: Toponym, role: PlaceRole, mention: EquipmentMention) -> bool:
    """A place that stands for who acts, not where the group is: the officials' country, a capital
    for its government, the owner's own country, unless a locative word puts the group there."""
    if role.locative:
        return False
    return role.speaker or (toponym.feature_code or "") == "PPLC" and toponym.start < mention.start \
        or _is_owner_country(toponym, mention)


def _inside(holder: Toponym, place: Toponym) -> bool:
    """True when ``holder`` is a country or region holding the more specific ``place``."""
    if holder.country_code is None or holder.country_code != place.country_code:
        return False
    if (place.precision or 3) <= (holder.precision or 3) - 1 or (
            (holder.feature_code or "").startswith("PCL") and not (place.feature_code or "").startswith("PCL")):
        return place_key(holder) != place_key(place)
    return False
