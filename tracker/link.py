"""Tie each equipment group to a place, and fold restatements and totals into one row per group.

Place (event geolocation, after ACLED's practice):

1. the most specific place named in the mention's own sentence, preferring a place written
   after it ("based just outside Latakia"), and passing over a place of origin ("from Russia");
   "near", "outside", "around" lower the precision to 2 (near a town);
2. else the nearest place named earlier in the article;
3. else the article's focus country (the country its places fall in most), precision 3.

Rows:

* a definite phrase ("the eight helicopters") whose count is the sum of earlier groups of the
  same kind restates them: it gives them its place when that is more specific, and adds no row;
* a total broken into parts in its sentence ("28 jets: 12 Su-24, 12 Su-25 and 4 Su-30") is
  left out, the parts kept;
* a mention without a number of a kind counted elsewhere in the article ("Russia sends attack
  helicopters" in a headline) is the same group again, not a new row;
* personnel and untyped equipment are returned apart: they are not deployments of a type;
* a group whose sentence names no owner gets the article's dominant one (see ``_dominant_actor``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker.models import Article, Deployment, EquipmentMention, Toponym
from tracker.recognize.equipment import UNTYPED

NEAR_WORDS = re.compile(r"\b(?:near|outside|around|close to|nearby|outskirts of|vicinity of|just outside|"
                        r"not far from|miles from|kilometers from|kilometres from|km from)\s+(?:the\s+)?(?:city of\s+|town of\s+)?$",
                        re.IGNORECASE)
ORIGIN_WORDS = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|to|into|around|over|off|inside|across|towards?|on|"
                             r"within|of the coast of|coast of)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
#: A definite plural of these words may restate groups of several kinds ("the five vehicles").
UMBRELLA = {
    "vehicle": frozenset({"tank", "armored_vehicle", "artillery", "air_defense", "vehicle", "missile"}),
    "aircraft": frozenset({"aircraft", "helicopter", "drone"}),
}
COUNT_RANK = {"exact": 0, "range": 1, "about": 2, "at_least": 3, "at_most": 3, "vague": 4, "unknown": 5}
LINK_CONFIDENCE = {"sentence": 0.9, "earlier": 0.6, "focus": 0.4}


@dataclass(frozen=True, slots=True)
class _PlaceLink:
    toponym: Toponym | None
    precision: int | None
    how: str  # sentence, earlier, focus, none


def link_deployments(article: Article, mentions: Sequence[EquipmentMention], toponyms: Sequence[Toponym]
                     ) -> tuple[list[Deployment], list[Deployment]]:
    """(deployments of a type, personnel and untyped equipment) for one article."""
    places = [t for t in toponyms if t.is_placed and t.mention == "name"]
    focus = _focus_country(places)
    typed: list[tuple[EquipmentMention, _PlaceLink]] = []
    untyped: list[Deployment] = []
    for mention in mentions:
        link = _place_of(article.text, mention, places, focus)
        if mention.category in UNTYPED:
            untyped.append(_row(article, mention, link))
        else:
            typed.append((mention, link))
    typed = _without_totals(typed)
    typed = _fold_restatements(typed)
    typed = _fold_countless_repeats(typed)
    hosts = {link.toponym.country_code for _, link in typed if link.toponym is not None and link.toponym.country_code}
    typed = [(mention if mention.actor else replace(mention, actor=_dominant_actor(mentions, toponyms, hosts)), link)
             for mention, link in typed]
    return [_row(article, mention, link) for mention, link in typed], untyped


# ---------------------------------------------------------------------------- places


def _place_of(text: str, mention: EquipmentMention, places: Sequence[Toponym], focus: Toponym | None) -> _PlaceLink:
    in_sentence = [t for t in places if mention.sentence_start <= t.start < mention.sentence_end
                   and not (t.start < mention.end and mention.start < t.end)]
    scored = []
    for toponym in in_sentence:
        before = text[max(mention.sentence_start, toponym.start - 40):toponym.start]
        origin = bool(ORIGIN_WORDS.search(before))
        if origin and mention.status != "departed":
            continue  # "sent from Russia": where it came from; but "withdrew from Syria" is where it was
        precision = toponym.precision or 3
        near = bool(NEAR_WORDS.search(before))
        if near:
            precision = max(precision, 2)
        after = toponym.start >= mention.end
        locative = after and bool(LOCATIVE_BEFORE.search(before))
        distance = abs(toponym.start - mention.start)
        score = (10 if locative else 0) + (3 - (toponym.precision or 3)) * 3 + (3 if after else 0) - distance / 100
        if origin:
            score += 10
        if mention.actor is not None and toponym.name == mention.actor and not locative:
            # "Russia is preparing to send jets", "Poland pledged tanks": the sender, not the place;
            # "Ukraine has received 31 tanks": the receiver's country is where they are
            if mention.status in ("planned", "departed"):
                continue
            score -= 20
        scored.append((score, toponym, precision))
    if scored:
        _, toponym, precision = max(scored, key=lambda item: item[0])
        return _PlaceLink(toponym, precision, "sentence")
    earlier = [t for t in places if t.end <= mention.sentence_start and t.name != mention.actor]
    if earlier:
        # the most specific place of the nearest earlier sentence that names one
        nearest = _sentence_of(text, earlier[-1].start)
        same_sentence = [t for t in earlier if _sentence_of(text, t.start) == nearest]
        toponym = min(same_sentence, key=lambda t: (t.precision or 3, -t.start))
        return _PlaceLink(toponym, toponym.precision, "earlier")
    if focus is not None:
        return _PlaceLink(focus, 3, "focus")
    return _PlaceLink(None, None, "none")


_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s|\n")


def _sentence_of(text: str, position: int) -> int:
    """Start offset of the sentence holding ``position`` (a light split; the parse is not needed here)."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(text, 0, position)]
    return starts[-1] if starts else 0


def _dominant_actor(mentions: Sequence[EquipmentMention], toponyms: Sequence[Toponym],
                    host_countries: set[str]) -> str | None:
    """The owner the article speaks of most: owners found for its equipment count twice, the
    countries it names once; countries the article's equipment stands in are places, not owners,
    and do not count ("strikes near Mosul, Iraq destroyed ISIL vehicles")."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        if mention.actor:
            votes[mention.actor] += 2
    for toponym in toponyms:
        if toponym.is_placed and (toponym.feature_code or "").startswith("PCL") \
                and toponym.country_code not in host_countries:
            votes[toponym.name] += 1
    if not votes:
        return None
    (leader, top), *rest = votes.most_common(2) + [("", 0)]
    return leader if top > rest[0][1] else None


def _focus_country(places: Sequence[Toponym]) -> Toponym | None:
    countries = Counter(t.country_code for t in places if t.country_code)
    for code, _ in countries.most_common():
        for toponym in places:
            if toponym.country_code == code and (toponym.feature_code or "").startswith("PCL"):
                return toponym
    return None


def _more_specific(new: _PlaceLink, old: _PlaceLink) -> bool:
    if new.toponym is None:
        return False
    if old.toponym is None or old.how != "sentence":
        return True
    return (new.precision or 3) < (old.precision or 3) or (
        (new.precision or 3) == (old.precision or 3) and (new.toponym.precision or 3) < (old.toponym.precision or 3))


# ---------------------------------------------------------------------------- rows


def _compatible(a: EquipmentMention, b: EquipmentMention) -> bool:
    return (a.category == b.category and (a.role == b.role or "unknown" in (a.role, b.role))
            and (a.model == b.model or None in (a.model, b.model))
            and (a.actor == b.actor or None in (a.actor, b.actor)))


def _without_totals(groups: list[tuple[EquipmentMention, _PlaceLink]]) -> list[tuple[EquipmentMention, _PlaceLink]]:
    """Leave out "28 jets" when its sentence goes on to list 12 + 12 + 4 of the same kind."""
    kept = []
    for index, (mention, link) in enumerate(groups):
        parts = [m for m, _ in groups[index + 1:] if m.sentence_start == mention.sentence_start
                 and m.category == mention.category and m.count is not None and not m.definite]
        if mention.count is not None and len(parts) >= 2 and sum(p.count for p in parts) == mention.count:
            continue
        kept.append((mention, link))
    return kept


def _fold_restatements(groups: list[tuple[EquipmentMention, _PlaceLink]]) -> list[tuple[EquipmentMention, _PlaceLink]]:
    """"The eight helicopters … are based outside Latakia": give the restated groups its place."""
    result: list[tuple[EquipmentMention, _PlaceLink]] = []
    for mention, link in groups:
        if not mention.definite:
            result.append((mention, link))
            continue
        kinds = UMBRELLA.get(mention.category, frozenset({mention.category})) if mention.role == "unknown" \
            else frozenset({mention.category})
        earlier = [i for i, (m, _) in enumerate(result) if m.category in kinds
                   and (mention.role == "unknown" or m.role == mention.role) and m.count is not None]
        restated = _restated_indexes(result, earlier, mention.count)
        if not restated:
            result.append((replace(mention, definite=False), link))
            continue
        for i in restated:
            m, old_link = result[i]
            new_status = m.status if m.status != "present" else mention.status
            result[i] = (replace(m, status=new_status), link if _more_specific(link, old_link) else old_link)
    return result


def _restated_indexes(result, candidates: list[int], count: int | None) -> list[int]:
    if not candidates:
        return []
    if count is None:
        return [candidates[-1]]
    for size in range(1, len(candidates) + 1):  # the latest run of groups whose counts add up
        chosen = candidates[-size:]
        if sum(result[i][0].count for i in chosen) == count:
            return chosen
    return []


def _fold_countless_repeats(groups: list[tuple[EquipmentMention, _PlaceLink]]) -> list[tuple[EquipmentMention, _PlaceLink]]:
    """A kind mentioned without a number where the article counts it elsewhere is that group."""
    kept: list[tuple[EquipmentMention, _PlaceLink]] = []
    for index, (mention, link) in enumerate(groups):
        if mention.count is None:
            counted = [j for j, (other, _) in enumerate(groups) if j != index and other.count is not None
                       and _compatible(mention, other)]
            if counted:
                continue
        kept.append((mention, link))
    # repeated countless mentions of one kind: keep the first, with the most specific place
    result: list[tuple[EquipmentMention, _PlaceLink]] = []
    for mention, link in kept:
        twin = next((i for i, (m, _) in enumerate(result) if m.count is None and mention.count is None
                     and _compatible(m, mention) and m.role == mention.role), None)
        if twin is None:
            result.append((mention, link))
            continue
        m, old_link = result[twin]
        result[twin] = (replace(m, actor=m.actor or mention.actor,
                                status=m.status if m.status != "present" else mention.status),
                        link if _more_specific(link, old_link) else old_link)
    return result


def display_name(toponym: Toponym) -> str | None:
    """The gazetteer's name, or the article's spelling when the gazetteer gives a transliteration
    an English reader would not recognise ("Al Lādhiqīyah" written "Latakia")."""
    name = toponym.name
    if name and not name.isascii() and toponym.text.isascii() and toponym.mention == "name":
        return toponym.text
    return name


def _row(article: Article, mention: EquipmentMention, link: _PlaceLink) -> Deployment:
    place = link.toponym
    confidence = round((place.confidence if place else 0.0) * LINK_CONFIDENCE.get(link.how, 0.0), 3)
    return Deployment(
        article_id=article.id, published=article.published, source=article.url or article.source,
        title=article.title, category=mention.category, role=mention.role, model=mention.model,
        count=mention.count, count_qualifier=mention.count_qualifier, count_max=mention.count_max,
        actor=mention.actor, status=mention.status, place=display_name(place) if place else None,
        geonameid=place.geonameid if place else None, country_code=place.country_code if place else None,
        precision=link.precision, confidence=confidence,
        quote=article.text[mention.sentence_start:mention.sentence_end].strip(),
        start=mention.start, end=mention.end,
        lat=place.lat if place else None, lon=place.lon if place else None,
    )
