"""Tie each equipment group to a place, and fold restatements and totals into one row per group.

Where a group is (event geolocation, after ACLED's practice), in this order:

1. the group's own locative phrase in its sentence: "arrived at Incirlik", "deployed to Lithuania",
   "based just outside Latakia" ("near", "outside", "around" lower the precision to 2);
2. another place of its sentence that is not a speaker, a sender, an owner or an origin;
3. the article's stated theatre: the nearest earlier place the article puts something *in*,
   *at* or *to*, or the dateline ("ANDERSEN AIR FORCE BASE, Guam —" for "arrived here");
4. only then the country the article's places fall in most, marked precision 3.

Places never taken for the group's place, unless a locative word puts the group there: a
capital standing for its government ("Ankara has dispatched ten tanks"), the country of officials
who speak ("British officials said"), the owner's own country ("France has sent eight Rafales"),
and a place named as an origin ("from Germany"). A group that moves is stored at its destination
with the place it came from as its **origin**; a group that leaves ("withdrew from Kherson") is
at the place it leaves.

Rows: one per group per article.

* a definite phrase ("the eight helicopters") whose count is the sum of earlier groups of the
  same kind restates them: it gives them its place when that is more specific, and adds no row;
* a total broken into parts in its sentence or the next ("30 combat aircraft. … ten J-10s, ten
  J-11s and ten JH-7s") is left out, the parts kept;
* the same kind with the same count again (headline, lead, photo caption), or without a number
  where the article counts it elsewhere, is the same group: one row with the most specific place,
  the latest realised status and every sentence quoted;
* personnel and untyped equipment are returned apart: they are not deployments of a type;
* a group whose sentence names no owner gets the article's dominant one (see ``_dominant_actor``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker.common.distance import great_circle_km
from tracker.models import Article, Deployment, EquipmentMention, Toponym
from tracker.link.place_areas import (BORDER_AFTER, at_border, border_between, direction_before, off_coast_before, part_of_country,
                                      waters_off)
from tracker.link.place_chooser import (FACILITY_CODES, SEA_CODES, PlaceCandidate, PlaceChooser, PlaceRole,
                                        article_places, candidates_for, default_place_chooser, headline_end,
                                        persons_place, place_key, same_clause, stands_for_sender)
from tracker.recognize.equipment import UNTYPED

_DIRECTION_WORD = r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?"
_DIRECTION = _DIRECTION_WORD + r"(?:\s+of)?"
NEAR_WORDS = re.compile(r"\b(?:near|outside|around|close to|nearby|outskirts of|vicinity of|just outside|"
                        + _DIRECTION + r"|"
                        r"not far from|miles from|kilometers from|kilometres from|km from)\s+(?:the\s+)?"
                        r"(?:(?:city|town|village|port)\s+of\s+)?$", re.IGNORECASE)
#: The words between a locative preposition and the place: "to the Libyan port of Tobruk",
#: "at Incirlik", "in northern Iraq", "to an air base near Baranovichi in".
_FILLER = r"(?:(?!(?:that|which|who|whom|whose|said|says|told)\s)[\w\-’']+\s+){0,4}?"  # not across a new clause
#: "to" before a verb gives a purpose, not a place: "a move likely to anger the United Arab Emirates".
_NOT_A_PURPOSE = (r"(?!\s+(?:help|protect|deter|counter|defend|support|strengthen|bolster|reassure|police|guard|"
                  r"patrol|escort|reinforce|train|join|anger|warn|threaten|pressure|signal|show|demonstrate|secure|"
                  r"monitor|watch|boost|respond|retaliate|prevent|stop|attack|strike|hit|target|fight|intimidate|"
                  r"provoke|contain|confront|challenge|counterbalance|punish|defeat|destroy|shield|cover|assist|"
                  r"aid|back|replace|relieve|free|evacuate|rescue)\b)")
#: "on" puts a group somewhere only before a site's word: "on the disputed islands of Abu Musa",
#: "on the border with", "on the Golan Heights" (not "sanctions on Russia", "on Monday").
_ON_A_SITE = (r"on(?=\s+(?:the\s+)?(?:[\w\-’']+\s+){0,2}(?:islands?|island\s+of|border|coast|peninsula|heights|"
              r"outskirts|banks?|shores?|front\s*lines?|front)\b)")
LOCATIVE_BEFORE = re.compile(
    r"(?<!according )\b(?:in|at|near|outside|to|into|around|over|off|inside|onto|across|towards?|within|aboard|through|"
    r"throughout|along|coast\s+of|here\s+in|stationed\s+in|based\s+in|" + _DIRECTION + r"|" + _ON_A_SITE + r"|"
    # verbs whose object is where the group goes or is: "transited the Strait of Hormuz"
    r"transit(?:ed|ing|s)?|crossed|crossing|patroll?(?:ed|ing)|reached|entered|entering)"
    + _NOT_A_PURPOSE
    + r"\s+(?:the\s+)?" + _FILLER + r"$",
    re.IGNORECASE)
DESTINATION_BEFORE = re.compile(r"(?<!according )\b(?:to|into|onto|towards?|for)" + _NOT_A_PURPOSE + r"\s+(?:the\s+)?"
                                + _FILLER + r"$", re.IGNORECASE)
#: Where a group comes from; not a distance ("150 km from the border with Sikkim", "miles away from").
ORIGIN_BEFORE = re.compile(r"\b(?<!km\s)(?<!kms\s)(?<!miles\s)(?<!kilometers\s)(?<!kilometres\s)(?<!away\s)"
                           r"(?:from|out\s+of|left|leaving|departed|departing|departs|leave)\s+(?:the\s+)?"
                           + _FILLER + r"$", re.IGNORECASE)
#: The agent of a hand-over: "drones delivered by Turkey", "jets supplied by Russia" (the sender's
#: country, like an origin, is never where the group is).
SENDER_BEFORE = re.compile(r"\b(?:delivered|supplied|sent|provided|donated|shipped|transferred|gifted|sold|given|"
                           r"handed\s+over|dispatched)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
#: "in the wake of Iran's attacks", "in response to Russia's": "in" that puts nothing anywhere.
IDIOM_BEFORE = re.compile(r"\b(?:in|on)\s+(?:the\s+)?(?:wake|light|face|event|case|name|favou?r|support|spite|view|"
                          r"response|retaliation|addition|defiance|honou?r|memory|violation|behalf|aftermath|"
                          r"run-up|context)\s+(?:of|to|for)\s+(?:the\s+)?$", re.IGNORECASE)
#: Where a departing group is bound: "left Portsmouth for the Black Sea", "sailed bound for Tartus".
BOUND_FOR = re.compile(r"\b(?:left|leaves|leaving|departed|departs|sailed|set\s+sail|bound|headed|heading)\b[^.;]{0,60}?"
                       r"\bfor\s+(?:the\s+)?$", re.IGNORECASE)
#: Words said or sent "from" a place: "prompting a warning from Moscow" names no origin of a group.
WORDS_FROM = re.compile(r"\b(?:warnings?|statements?|responses?|protests?|criticism|condemnation|reactions?|calls?|"
                        r"messages?|threats?|objections?|complaints?|reports?|officials?|envoys?|delegations?)\s+from\s+"
                        r"(?:the\s+)?$", re.IGNORECASE)
#: After a place, words that make it the one who speaks or sends: "Ankara has dispatched",
#: "Moscow said", "British officials said", "France's defence ministry".
SPEAKER_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:(?:defen[cs]e|foreign|war|military|armed|government|state|news)\s+)?"
    r"(?:has|have|had|is|was|will|would|says?|said|announced?|announces|claims?|claimed|told|tells|"
    r"officials?|ministry|ministers?|government|spokes(?:man|woman|person)|sends?|sent|dispatche[sd]|"
    r"dispatch|deploye?[sd]?|plans?|pledged?|promised?|agreed|approved?|ordered|authori[sz]ed|"
    r"military|army|navy|air\s+force|forces|leaders?|president|command|authorities|sources|media)\b",
    re.IGNORECASE)
SPEAKER_BEFORE = re.compile(r"\b(?:officials?|ministry|government|sources|spokes(?:man|woman)|authorities|"
                            r"said|told|announced|reported|according\s+to\s+(?:officials\s+)?)\s+(?:in|of)\s+"
                            r"(?:the\s+)?$", re.IGNORECASE)
#: After a place, words that make it the receiver, where the group now is: "Ukraine has received".
RECEIVER_AFTER = re.compile(r"^(?:['’]s)?\s*(?:\w+\s+)?(?:has|have|had|will|is|was)?\s*(?:also\s+)?"
                            r"(?:received?|receives|receiving|took\s+delivery|takes\s+delivery|hosts?|hosted|"
                            r"welcomed?|welcomes|got|gets|obtained)\b", re.IGNORECASE)
#: "from its factory in Kassel", "from a base near Rzeszow": the site's place is the origin too.
FROM_A_SITE_IN = re.compile(r"\bfrom\s+(?:(?:its|the|a|an|their|his|her|our)\s+)?(?:(?!to\s|into\s|for\s)[\w\-’']+\s+){0,4}"
                            r"(?:in|at|near|outside)\s+(?:the\s+)?$", re.IGNORECASE)
#: "F-22s operate from Lask", "sorties from Incirlik": where they are based, not where they came from ("flown from Italy to Romania" is a move).
OPERATING_FROM = re.compile(r"\b(?:operat(?:e|es|ed|ing)\s+(?:(?!to\b|and\b|from\b)[\w\-’']+\s+){0,4}?"
                            r"|(?:operat(?:e|es|ed|ing)|based|sorties|missions|strikes|launched)\s+)"
                            r"(?:(?:out\s+)?from|out\s+of)\s+(?:the\s+)?(?:[\w\-’']+\s+){0,3}$", re.IGNORECASE)
HERE = re.compile(r"\bhere\b", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"^[^\n]{0,60}?(?:\s[-–—]{1,2}|--|\(\w+[^)]*\)\s*[-–—]|,\s*\w[^\n]{0,30}?[-–—]{1,2})")
#: A definite plural of these words may restate groups of several kinds ("the five vehicles").
UMBRELLA = {
    "vehicle": frozenset({"tank", "armored_vehicle", "artillery", "air_defense", "vehicle", "missile"}),
    "aircraft": frozenset({"aircraft", "helicopter", "drone"}),
}
LINK_CONFIDENCE = {"locative": 0.9, "sentence": 0.75, "theatre": 0.6, "dateline": 0.6, "focus": 0.4}
REALISED = ("arrived", "present", "departed", "seized", "destroyed", "damaged")


@dataclass(frozen=True, slots=True)
class _PlaceLink:
    toponym: Toponym | None
    precision: int | None
    how: str  # locative, sentence, theatre, dateline, focus, none
    origin: Toponym | None = None
    point: tuple[float, float] | None = None  # a part of the place: "eastern Ukraine", "off Venezuela"
    label: str | None = None                  # the part's name


@dataclass(slots=True)
class _Group:
    """One group of equipment as the article's mentions of it add up."""

    mention: EquipmentMention
    link: _PlaceLink
    quotes: list[tuple[int, int]]


def link_deployments(article: Article, mentions: Sequence[EquipmentMention], toponyms: Sequence[Toponym], *,
                     named_actors: Counter[str] | None = None, named_forces: Counter[str] | None = None,
                     chooser: PlaceChooser | None = None) -> tuple[list[Deployment], list[Deployment]]:
    """(deployments of a type, personnel and untyped equipment) for one article.

    ``named_actors`` counts the armed groups the text names: what its strikes destroyed without a
    stated owner belongs to the group it names most. ``named_forces`` counts the states' armed
    services it names ("U.S. Army", "Royal Navy"): each is a vote for the article's owner."""
    if not mentions:
        return [], []
    text = article.text
    places = linkable_places(mentions, toponyms, text)
    roles = place_roles(text, places)
    typed: list[_Group] = []
    untyped: list[Deployment] = []
    for mention, link in zip(mentions, _links(text, mentions, places, roles, chooser or default_place_chooser())):
        if mention.category in UNTYPED:
            untyped.append(_row(article, _Group(mention, link, [(mention.sentence_start, mention.sentence_end)])))
        else:
            mention = _owned_by_receiver(text, mention, link)
            typed.append(_Group(mention, link, [(mention.sentence_start, mention.sentence_end)]))
    typed = _without_totals(typed, text)
    typed = _fold_restatements(typed)
    typed = _fold_same_groups(typed, text)
    typed = _fold_headline_mentions(typed, headline_end(text))
    typed = _fold_included(typed, text)
    typed = _fold_countless_repeats(typed, text)
    typed = _split_by_numbers_per_place(text, typed, places)
    typed = _split_among_destinations(text, typed, places, roles)
    typed = _split_en_route(text, typed, places, roles)
    hosts = {g.link.toponym.country_code for g in typed if g.link.toponym is not None and g.link.toponym.country_code}
    hosts |= {t.country_code for t in places if roles[id(t)].origin and t.country_code}
    # "British officials said": the speakers' country casts no vote for the owner
    speakers = {id(t) for t in toponyms if t.mention == "adjective" and t.is_placed
                and SPEAKER_AFTER.match(text[t.end:t.end + 40]) is not None and place_role(text, t).speaker}
    dominant = _dominant_actor(mentions, [t for t in toponyms if id(t) not in speakers], hosts, named_forces)
    # what an article's strikes destroyed belongs to the side that owns the other targets
    targets = Counter(m.actor for m in mentions if m.actor and m.status in ("destroyed", "damaged"))
    if not targets and named_actors:
        targets = named_actors  # the armed groups the text names: "ISIS tactical units", "Houthi"
    target_owner = targets.most_common(1)[0][0] if targets else None
    for group in typed:
        if not group.mention.actor:
            owner = target_owner if group.mention.status in ("destroyed", "damaged") and target_owner else dominant
            group.mention = replace(group.mention, actor=owner)
    return [_row(article, group) for group in typed], untyped


# ---------------------------------------------------------------------------- places


#: Verbs that hand equipment over: what is delivered to a country is that country's.
TRANSFER_VERBS = re.compile(r"\b(?:deliver(?:ed|s|ing)?|transferr?(?:ed|ing|s)?|donat(?:ed|es|ing)|handed\s+over|"
                            r"hand(?:s|ing)?\s+over|supplied|supplies|gifted|gave|given|provided)\b", re.IGNORECASE)


def _owned_by_receiver(text: str, mention: EquipmentMention, link: _PlaceLink) -> EquipmentMention:
    """"Germany delivered 14 tanks to Ukraine": once delivered they are Ukraine's (the owner at
    the latest status), and the row is at the receiver with the sender's site as origin."""
    place = link.toponym
    if place is None or not (place.feature_code or "").startswith("PCL") or not place.name \
            or mention.status not in ("arrived", "present") or link.how != "locative":
        return mention
    if not (mention.sentence_start <= place.start < mention.sentence_end) \
            or not DESTINATION_BEFORE.search(text, max(mention.sentence_start, place.start - 60), place.start):
        return mention
    verb = TRANSFER_VERBS.search(text, mention.sentence_start, place.start)
    return replace(mention, actor=place.name) if verb is not None else mention


def linkable_places(mentions: Sequence[EquipmentMention], toponyms: Sequence[Toponym], text: str) -> list[Toponym]:
    """The placed names a group may be at: not words of a named ship, and not adjectives but
    before a border ("to the Syrian border" is Syria's border)."""
    named_spans = [(m.start, m.end) for m in mentions if m.named]
    return [t for t in toponyms if t.is_placed and (t.mention == "name" or t.mention == "adjective"
                                                    and BORDER_AFTER.match(text, t.end) is not None)
            and not any(s <= t.start < e for s, e in named_spans)]


def place_roles(text: str, places: Sequence[Toponym]) -> dict[int, PlaceRole]:
    """What each place is to the groups of its sentence, by identity, read once per article."""
    return _with_qualifiers(text, places, _with_unit_homes(text, places, {id(t): place_role(text, t) for t in places}))


def place_candidates(text: str, mentions: Sequence[EquipmentMention], places: Sequence[Toponym],
                     roles: dict[int, PlaceRole] | None = None) -> list[tuple[list[PlaceCandidate], _PlaceLink]]:
    """For each group: every place it may be at with its features, and the rules' own reading
    (the origin and precision the rules give, and the place they fall back on when the chooser
    has no candidate). The rules' place is no feature of the chooser: the rules were written
    reading the dev files' tune halves, so a weight on their pick is fitted on articles they
    already agree with and outweighs features that hold on news never read (see the fifth
    round in benchmarks/README.md)."""
    roles = roles if roles is not None else place_roles(text, places)
    focus = _focus_country(places, roles)
    dateline = _dateline_place(text, places)
    equipment_sentences = sorted({(m.sentence_start, m.sentence_end) for m in mentions})
    kinds: dict[tuple[int, int], set[str]] = {}
    for m in mentions:
        kinds.setdefault((m.sentence_start, m.sentence_end), set()).add(m.category)
    kinds_by_sentence = {sentence: frozenset(found) for sentence, found in kinds.items()}
    view = article_places(text, places, roles, dateline, equipment_sentences)
    result = []
    for mention in mentions:
        rule = _place_of(text, mention, places, roles, focus, dateline)
        candidates = candidates_for(view, mention, equipment_sentences, kinds_by_sentence=kinds_by_sentence,
                                    unknown_slot=_names_unknown_place(text, mention, places))
        result.append((candidates, rule))
    return result


def _links(text: str, mentions: Sequence[EquipmentMention], places: Sequence[Toponym],
           roles: dict[int, PlaceRole], chooser: PlaceChooser) -> list[_PlaceLink]:
    """Each group's place as the fitted chooser weighs every place of the article."""
    links = []
    for mention, (candidates, rule) in zip(mentions, place_candidates(text, mentions, places, roles)):
        choice = chooser.choose(candidates)
        if choice is None:
            if rule.toponym is None or not places_left_by_conventions(text, rule, places, roles):
                links.append(_narrowed(text, mention, rule, places))
                continue
            # every place the rules could fall back on is named only as an origin: the group is
            # somewhere the text does not say, and came from the origin its sentence names
            origin = rule.origin or (rule.toponym if any(
                place_key(t) == place_key(rule.toponym) and mention.sentence_start <= t.start < mention.sentence_end
                for t in places) else None)
            links.append(_PlaceLink(None, None, "none", origin))
            continue
        candidate, _ = choice
        candidate = _most_specific(candidate, candidates, mention)
        candidate = _border_in_sentence(text, candidate, candidates, mention)
        links.append(_narrowed(text, mention, _link_of(candidate, rule, roles), places))
    return links


def _most_specific(chosen: PlaceCandidate, candidates: Sequence[PlaceCandidate],
                   mention: EquipmentMention) -> PlaceCandidate:
    """Conventions, not weights: a country or region chosen while the group's own clause puts
    it at a place inside that country ("to posts in Syria's Idlib province", "to Poland's Lask
    air base") is at the inner place; ships their own clause puts in a sea are in it."""
    holder = chosen.toponym
    if mention.category == "ship" and chosen.in_sentence is None:
        # issue 20's convention: a ship is at sea, and "warships are operating in the Caribbean"
        # is where they are, whatever town the article names for other groups
        sea = next((c for c in candidates if (c.toponym.feature_code or "") in SEA_CODES and _in_own_clause(c)), None)
        if sea is not None:
            return sea
    if not ((holder.feature_code or "").startswith(("PCL", "ADM")) and chosen.in_sentence is not None):
        return chosen
    country = (holder.feature_code or "").startswith("PCL")
    inner = [c for c in candidates if _in_own_clause(c) and place_key(c.toponym) != place_key(holder)
             and _inside(holder, c.toponym) and not (c.toponym.feature_code or "").startswith("PCL")
             and (country or (c.toponym.precision or 3) < (holder.precision or 3))]
    return min(inner, key=lambda c: c.toponym.precision or 3) if inner else chosen


def _border_in_sentence(text: str, chosen: PlaceCandidate, candidates: Sequence[PlaceCandidate],
                        mention: EquipmentMention) -> PlaceCandidate:
    """"deployed military vehicles to its border with Syria": the group's own sentence puts it at
    a border, so a town inside that country named elsewhere (Damascus) is not where it is. Only
    for a group with an owner, whose side of the border ``_narrowed`` can draw."""
    if chosen.in_sentence is not None or not mention.actor:
        return chosen
    border = next((c for c in candidates if _in_own_clause(c) and (c.toponym.feature_code or "").startswith("PCL")
                   and at_border(text, c.in_sentence)), None)
    return border if border is not None and _inside(border.toponym, chosen.toponym) else chosen


def _in_own_clause(candidate: PlaceCandidate) -> bool:
    """A place of the group's sentence that its own clause puts it at ("in", "to", "at" …)."""
    return candidate.in_sentence is not None and bool(candidate.features.get("locative_in_sentence")) \
        and bool(candidate.features.get("same_clause"))


def _narrowed(text: str, mention: EquipmentMention, link: _PlaceLink, places: Sequence[Toponym]) -> _PlaceLink:
    """The part of the chosen place the group's sentence names: "in eastern Ukraine" is the
    eastern half's centre; a ship "in the Caribbean off the coast of Venezuela" or "in waters
    around Taiwan" is off that coast (precision 2)."""
    if link.toponym is None:
        return link
    in_sentence = [t for t in places if mention.sentence_start <= t.start < mention.sentence_end]
    chosen = [t for t in in_sentence if place_key(t) == place_key(link.toponym)]
    if mention.category == "ship":
        coast = next((t for t in in_sentence if off_coast_before(text, t)), None)
        if coast is not None and (chosen and (link.toponym.feature_code or "") in SEA_CODES
                                  or place_key(coast) == place_key(link.toponym)):
            sea = link.toponym if (link.toponym.feature_code or "") in SEA_CODES else next(
                (t for t in in_sentence if (t.feature_code or "") in SEA_CODES), None)
            label = f"{display_name(sea)} off {display_name(coast)}" if sea is not None and sea is not coast \
                else f"waters off {display_name(coast)}"
            return replace(link, toponym=coast if sea is None else link.toponym, precision=2,
                           point=waters_off(coast, sea), label=label)
    if mention.actor and (link.toponym.feature_code or "").startswith("PCL") \
            and any(at_border(text, t) for t in chosen):
        # "Russian tanks on the border with Ukraine": at the border the owner's country shares
        point = border_between(mention.actor, link.toponym)
        if point is not None:
            return replace(link, precision=2, point=point, label=f"{mention.actor}–{display_name(link.toponym)} border")
    for toponym in chosen:
        direction = direction_before(text, toponym)
        point = part_of_country(toponym, direction) if direction else None
        if point is not None:
            return replace(link, precision=2, point=point, label=f"{direction}ern {display_name(toponym)}")
    return link


def places_left_by_conventions(text: str, rule: _PlaceLink, places: Sequence[Toponym],
                               roles: dict[int, PlaceRole]) -> bool:
    """True when the rules' place is one the conventions leave out: named only as an origin, or
    only as someone's hometown."""
    assert rule.toponym is not None
    key = place_key(rule.toponym)
    named = [t for t in places if place_key(t) == key]
    return all(roles[id(t)].origin for t in named) or all(persons_place(text, t) for t in named)


def _link_of(candidate: PlaceCandidate, rule: _PlaceLink, roles: dict[int, PlaceRole]) -> _PlaceLink:
    """The chosen place as a link: its precision ("near X" lowers it; a country or region not in
    the group's sentence is the whole of it) and the origin the rules read."""
    toponym = candidate.toponym
    if rule.toponym is not None and place_key(rule.toponym) == place_key(toponym):
        return rule
    origin = rule.origin if rule.origin is not None and _far_apart(rule.origin, toponym) \
        and not _inside(rule.origin, toponym) else None
    if candidate.in_sentence is not None:
        role = roles[id(candidate.in_sentence)]
        precision = max(toponym.precision or 3, 2) if role.near else toponym.precision
        return _PlaceLink(toponym, precision, "locative" if role.locative else "sentence", origin)
    how = "dateline" if candidate.features.get("dateline") else "theatre"
    return _PlaceLink(toponym, toponym.precision, how, origin)


def place_role(text: str, toponym: Toponym) -> PlaceRole:
    """Read the words around a place: is it where something is, where it goes, where it comes
    from, or who speaks? ("Ankara has dispatched", "British officials said", "from Germany")."""
    line_start = text.rfind("\n", 0, toponym.start) + 1
    before = text[max(line_start, toponym.start - 60):toponym.start]
    after = text[toponym.end:toponym.end + 40]
    operating_from = bool(OPERATING_FROM.search(before))  # "operate from X": based there, not come from
    bound_for = bool(BOUND_FOR.search(before))  # "left Portsmouth for the Black Sea": going there
    origin = (bool(ORIGIN_BEFORE.search(before))
              and (not _nearer_locative(before) or bool(FROM_A_SITE_IN.search(before)))
              and not operating_from and not bound_for and not WORDS_FROM.search(before)) \
        or bool(SENDER_BEFORE.search(before))  # "drones delivered by Turkey": where they came from
    spoken_from = bool(SPEAKER_BEFORE.search(before))  # "the defence ministry in Paris said"
    locative = not origin and not spoken_from and (bound_for or (
        bool(LOCATIVE_BEFORE.search(before)) or bool(RECEIVER_AFTER.match(after)) or operating_from)
        and not IDIOM_BEFORE.search(before))
    destination = locative and bool(DESTINATION_BEFORE.search(before))
    speaker = spoken_from or not locative and (bool(SPEAKER_AFTER.match(after)) or toponym.mention == "adjective")
    if _starts_a_name(toponym, after):
        # "U.S. Naval Support Facility", "U.S. Army Europe", "U.S. forces": a name's or an
        # owner's word, not a place the text puts anything in
        return PlaceRole(False, False, False, True, False)
    return PlaceRole(locative, destination, origin, speaker, bool(NEAR_WORDS.search(before)))


#: Words after a country's name that make it an owner's, not a place: "U.S. forces", "Russian troops".
_OWNER_NOUN_AFTER = re.compile(r"^\s+(?:forces|troops|military|soldiers|sailors|airmen|marines|officials|personnel|"
                               r"government|army|navy|air\s+force|warships?|jets|aircraft|units?|"
                               r"(?:naval|air|military|army|navy|marine)\s+(?:base|bases|station|facility|facilities)|"
                               r"bases?|embassy|consulate|destroyers?|frigates?|cruisers?|corvettes?|carriers?|"
                               r"submarines?|ships?|vessels?|warplanes?|fighters?|bombers?|helicopters?|drones?|"
                               r"tanks?|howitzers?|planes?|coast\s+guard|special\s+forces|"
                               r"guided-missile\s+destroyers?|[A-Z]{1,3}-\d+[A-Z]?s?)\b", re.IGNORECASE)
_CALENDAR = re.compile(r"^\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                       r"April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|"
                       r"Aug|Sept?|Oct|Nov|Dec)\b")


def _starts_a_name(toponym: Toponym, after: str) -> bool:
    """True when a country's name begins a longer name or owns the noun after it."""
    if not (toponym.feature_code or "").startswith("PCL"):
        return False
    if _OWNER_NOUN_AFTER.match(after):
        return True
    if re.match(r"^\s+\d+(?:st|nd|rd|th)\b", after):
        return True  # "U.S. 7th Fleet"
    # "U.S. Army", "a U.S. F-18": a name or a designation follows
    return bool(re.match(r"^\s+[A-Z](?:[a-z]|[\w]*-?\d)", after)) and not _CALENDAR.match(after)


#: Between a place and the one it is told from: ", south of ", ", about 10 km from ", " (30 miles north of ".
_REFERENCE_POINT = re.compile(r"\s*[,(]\s*(?:(?:about|some|around|roughly|just|nearly|over)\s+)?"
                              r"(?:[\d,.]+\s*(?:km|kms|kilometers|kilometres|miles|mi)\s+)?"
                              r"(?:" + _DIRECTION_WORD + r"\s+of|from|outside)"
                              r"\s+(?:the\s+)?(?:(?:city|town|village|capital|port)\s+of\s+)?", re.IGNORECASE)


def _with_qualifiers(text: str, places: Sequence[Toponym], roles: dict[int, PlaceRole]) -> dict[int, PlaceRole]:
    """A region or country after a comma ("from Fort Bliss, Texas", "to Incirlik Air Base, Turkey")
    plays the part of the place it qualifies. A country before a possessive ("to posts in Syria's
    Idlib province") only says whose the place after it is: that place takes the country's part."""
    for previous, toponym in zip(places, places[1:]):
        if _REFERENCE_POINT.fullmatch(text[previous.end:toponym.start]) and previous.is_placed \
                and (roles[id(previous)].locative or roles[id(previous)].origin):
            # "at the naval base in Yokosuka, south of Tokyo": Tokyo only says where Yokosuka is
            roles[id(toponym)] = PlaceRole(False, False, False, False, False)
            continue
        if _possessive_holder(text, previous, toponym) \
                and (roles[id(previous)].locative or roles[id(previous)].origin):
            roles[id(toponym)] = replace(roles[id(previous)], speaker=False)
            roles[id(previous)] = replace(roles[id(previous)], destination=False)
            continue
        between = text[previous.end:toponym.start]
        if (between.strip() == "," or between == " in " and previous.country_code == toponym.country_code) \
                and (toponym.feature_code or "").startswith(("PCL", "ADM")):
            # "to Incirlik Air Base, Turkey", "at Hill Air Force Base in Utah"
            first = roles[id(previous)]
            if between == " in " and first.origin:
                roles[id(toponym)] = PlaceRole(False, False, False, False, False)  # the origin is the place it holds
            elif first.origin or first.locative:
                roles[id(toponym)] = replace(roles[id(toponym)], origin=first.origin, locative=first.locative,
                                             destination=first.destination, speaker=False)
    return roles


#: A unit's home station told beside the unit: "from the 388th Fighter Wing, both at Hill Air
#: Force Base", "the 4th Infantry Division based at Fort Carson".
_UNIT_HOME = re.compile(r"\b(?:wing|wings|squadron|squadrons|group|regiment|brigade|division|battalion|fleet)s?"
                        r"(?:\s*\([^)]{0,40}\))?(?:,?\s+(?:(?:both|all|which\s+is|normally|permanently|home-?)\s+)?"
                        r"(?:(?:based|stationed|garrisoned|headquartered)\s+)?(?:at|in)\s+(?:the\s+)?|,\s+)$",
                        re.IGNORECASE)
#: Where a group is said to arrive or to go later in its sentence.
_ARRIVAL_BEFORE = re.compile(r"\b(?:arrived|arrive|arriving|arrives|landed|land|landing|deployed|deploying|deploy|"
                             r"sent|moved|flown|flew|rotated|operating|operate|operates|operated)\s+(?:\w+\s+){0,2}"
                             r"(?:at|in|to|into|out\s+of|from)\s+(?:the\s+)?$",
                             re.IGNORECASE)


def _with_unit_homes(text: str, places: Sequence[Toponym], roles: dict[int, PlaceRole]) -> dict[int, PlaceRole]:
    """A unit's home station is where its aircraft came from when the sentence says where they
    went: in "F-35s from the 388th Fighter Wing, both at Hill Air Force Base in Utah, arrived at
    Al Dhafra Air Base", Hill is the origin. Without such a move it stays where they are."""
    for index, toponym in enumerate(places):
        before = text[max(0, toponym.start - 60):toponym.start]
        if not _UNIT_HOME.search(before):
            continue
        sentence_end = _next_sentence_end(text, toponym.end)
        if any(later.start < sentence_end and _ARRIVAL_BEFORE.search(text[max(0, later.start - 40):later.start])
               for later in places[index + 1:]):
            roles[id(toponym)] = PlaceRole(False, False, True, False, False)
    return roles


def _next_sentence_end(text: str, position: int) -> int:
    found = re.search(r"[.!?](?:\s|$)|\n", text[position:])
    return position + found.end() if found else len(text)


def _nearer_locative(before: str) -> bool:
    """"from Fort Bliss to Poland" is read place by place; but in "moved from Germany to
    Lithuania" the "to" right before Lithuania is nearer than the "from"."""
    origin = max((m.start() for m in re.finditer(r"\b(?:from|out of)\b", before, re.IGNORECASE)), default=-1)
    locative = max((m.start() for m in re.finditer(r"\b(?:to|into|at|in|near|onto)\b", before, re.IGNORECASE)),
                   default=-1)
    return locative > origin


def _place_of(text: str, mention: EquipmentMention, places: Sequence[Toponym], roles: dict[int, PlaceRole],
              focus: Toponym | None, dateline: Toponym | None) -> _PlaceLink:
    in_sentence = [t for t in places if mention.sentence_start <= t.start < mention.sentence_end
                   and not (t.start < mention.end and mention.start < t.end)]
    origins = [t for t in in_sentence if roles[id(t)].origin and same_clause(text, mention, t)]
    leaving = mention.status == "departed"
    scored = []
    for toponym in in_sentence:
        role = roles[id(toponym)]
        if role.origin and not leaving or stands_for_sender(toponym, role, mention):
            continue
        if leaving and role.destination:
            continue  # "left Batumi for the Black Sea": it was at Batumi
        precision = toponym.precision or 3
        after = toponym.start >= mention.end
        score = (10 if role.locative else 0) + (5 if leaving and role.origin else 0) \
            + (3 - precision) * 3 + (3 if after else 0) - abs(toponym.start - mention.start) / 100 \
            + (6 if same_clause(text, mention, toponym) else 0)  # "In Kuwait, there are six F-16s; in Bahrain, …"
        if _qualifies_previous(text, toponym, in_sentence):
            score -= 4  # "Incirlik Air Base, Turkey": the comma's country qualifies the base
        scored.append((score, toponym, role))
    if scored:
        _, toponym, role = max(scored, key=lambda item: item[0])
        precision = max(toponym.precision or 3, 2) if role.near else toponym.precision
        origin = None
        if not leaving:
            origin = next((o for o in origins if o is not toponym and not _inside(o, toponym)
                           and _far_apart(o, toponym)), None)
        return _PlaceLink(toponym, precision, "locative" if role.locative else "sentence", origin)
    link = _fallback_place(text, mention, places, roles, focus, dateline)
    # "The Patriot systems are being shipped from Germany": the sentence still tells where from
    origin = None if leaving else next((o for o in origins if link.toponym is None or (
        _far_apart(o, link.toponym) and not _inside(o, link.toponym))), None)
    return replace(link, origin=origin) if origin is not None else link


def _fallback_place(text: str, mention: EquipmentMention, places: Sequence[Toponym], roles: dict[int, PlaceRole],
                    focus: Toponym | None, dateline: Toponym | None) -> _PlaceLink:
    """Where a group is when its sentence names no place of its own."""
    if dateline is not None and (HERE.search(text, mention.sentence_start, mention.sentence_end)
                                 or 0 <= mention.sentence_start - dateline.end <= 60):
        # "arrived here", or the lead sentence right after "GUAM (May 15, 2023) –"
        return _PlaceLink(dateline, dateline.precision, "dateline")
    if _names_unknown_place(text, mention, places):
        # "Near Hit, a strike destroyed a vehicle": a place the gazetteer did not give; the
        # country of the article's theatre, not the previous paragraph's town
        country = _theatre_country(mention, places, roles) or focus
        return _PlaceLink(country, 3, "focus") if country is not None else _PlaceLink(None, None, "none")
    theatre = _theatre_before(mention, places, roles)
    if theatre is not None:
        return _PlaceLink(theatre, theatre.precision, "theatre")
    if dateline is not None:
        return _PlaceLink(dateline, dateline.precision, "dateline")
    if focus is not None:
        return _PlaceLink(focus, 3, "focus")
    return _PlaceLink(None, None, "none")


UNPLACED_LOCATIVE = re.compile(r"\b(?:[Nn]ear|[Oo]utside|[Ii]n|[Aa]t|[Aa]round)\s+(?:the\s+)?([A-Z][a-z][\w'’\-]*)")
NOT_A_PLACE_WORD = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                              "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                              "friday", "saturday", "sunday", "addition", "total", "support", "order", "response",
                              "the", "this", "that", "its", "their", "all", "each", "both", "recent", "early",
                              "late", "mid", "one", "two", "three", "a", "an"})


def _names_unknown_place(text: str, mention: EquipmentMention, places: Sequence[Toponym]) -> bool:
    """True when the sentence puts something near or in a capitalised name no place was found for."""
    for match in UNPLACED_LOCATIVE.finditer(text, mention.sentence_start, mention.sentence_end):
        if match.group(1).lower() in NOT_A_PLACE_WORD:
            continue
        if not any(t.start <= match.start(1) < t.end for t in places):
            return True
    return False


def _theatre_country(mention: EquipmentMention, places: Sequence[Toponym], roles: dict[int, PlaceRole]
                     ) -> Toponym | None:
    """The country the article last put something in before this sentence ("In Syria: …")."""
    earlier = [t for t in places if t.end <= mention.sentence_start and roles[id(t)].locative
               and (t.feature_code or "").startswith("PCL")]
    return earlier[-1] if earlier else None


def _inside(a: Toponym, b: Toponym) -> bool:
    """True when ``a`` is the country or region holding ``b`` (a qualifier, not an origin)."""
    return (a.feature_code or "").startswith(("PCL", "ADM")) and a.country_code == b.country_code


def _far_apart(a: Toponym, b: Toponym) -> bool:
    return a.geonameid != b.geonameid and (a.lat, a.lon) != (b.lat, b.lon)


def _qualifies_previous(text: str, toponym: Toponym, in_sentence: Sequence[Toponym]) -> bool:
    """", Turkey" right after "Incirlik Air Base": the country or region that qualifies a place."""
    if not (toponym.feature_code or "").startswith(("PCL", "ADM")):
        return False
    return any(other.end <= toponym.start and text[other.end:toponym.start].strip() == ","
               and other.country_code == toponym.country_code for other in in_sentence)


def _theatre_before(mention: EquipmentMention, places: Sequence[Toponym], roles: dict[int, PlaceRole]
                    ) -> Toponym | None:
    """The article's stated theatre for a group whose sentence names no place of its own: the most
    specific place of the nearest earlier sentence that puts something in, at or to a place
    (the headline and lead first), else the nearest later one."""
    usable = [t for t in places if roles[id(t)].locative and not roles[id(t)].origin]
    earlier = [t for t in usable if t.end <= mention.sentence_start]
    chosen = earlier or [t for t in usable if t.start >= mention.sentence_end]
    if not chosen:
        return None
    anchor = chosen[-1] if earlier else chosen[0]
    same = [t for t in chosen if abs(t.start - anchor.start) < 200]
    return min(same, key=lambda t: (t.precision or 3, -t.start))


def _dateline_place(text: str, places: Sequence[Toponym]) -> Toponym | None:
    """The place of a dateline opening a paragraph: "KAISERSLAUTERN, Germany --", "WASHINGTON (AP) —"."""
    for toponym in places:
        line_start = text.rfind("\n", 0, toponym.start) + 1
        if toponym.start - line_start > 2 or not toponym.text[:1].isupper():
            continue
        if _DATELINE_AFTER.match(text[toponym.end:toponym.end + 80]) and (
                toponym.text.isupper() or re.match(r"^\s*(?:,[^\n]{0,30}?)?\s*(?:[-–—]{1,2}|\()",
                                                   text[toponym.end:toponym.end + 40])):
            return toponym
    return None


def _dominant_actor(mentions: Sequence[EquipmentMention], toponyms: Sequence[Toponym],
                    host_countries: set[str], named_forces: Counter[str] | None = None) -> str | None:
    """The owner the article speaks of most: owners found for its equipment count twice, the
    countries it names (and their adjectives, "U.S.", "Russian") once; countries the article's
    equipment stands in are places, not owners, and do not count ("strikes near Mosul, Iraq
    destroyed ISIL vehicles")."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        if mention.actor:
            votes[mention.actor] += 2
    for force, times in (named_forces or {}).items():
        votes[force] += 2 * times  # "U.S. Army", "Royal Navy": a force, not a place
    for toponym in toponyms:
        if toponym.is_placed and (toponym.feature_code or "").startswith("PCL") and toponym.name \
                and (toponym.country_code not in host_countries or toponym.mention == "adjective"):
            votes[toponym.name] += 1  # "Belarusian forces" in Belarus: an owner's word, not the place
    if not votes:
        return None
    (leader, top), *rest = votes.most_common(2) + [("", 0)]
    return leader if top > rest[0][1] else None


def _focus_country(places: Sequence[Toponym], roles: dict[int, PlaceRole]) -> Toponym | None:
    """The country the article's places fall in most, counting places it puts things in twice
    and leaving out speakers."""
    countries: Counter[str] = Counter()
    for toponym in places:
        role = roles[id(toponym)]
        if toponym.country_code and not role.speaker:
            countries[toponym.country_code] += 2 if role.locative else 1
    for code, _ in countries.most_common():
        for toponym in places:
            if toponym.country_code == code and (toponym.feature_code or "").startswith("PCL"):
                return toponym
    return None


def _more_specific(new: _PlaceLink, old: _PlaceLink) -> bool:
    if new.toponym is None:
        return False
    if old.toponym is not None and _inside(old.toponym, new.toponym) and place_key(old.toponym) != place_key(new.toponym):
        return True  # "sent to Syria" … "the air base near Latakia": the place inside the country
    if old.toponym is not None and _inside(new.toponym, old.toponym):
        return False
    rank = {"locative": 0, "sentence": 1, "dateline": 2, "theatre": 2, "focus": 3, "none": 4}
    if old.toponym is None or rank[new.how] < rank[old.how]:
        return True
    if rank[new.how] > rank[old.how]:
        return False
    if (new.precision or 3) != (old.precision or 3):
        return (new.precision or 3) < (old.precision or 3)
    if (new.toponym.precision or 3) != (old.toponym.precision or 3):
        return (new.toponym.precision or 3) < (old.toponym.precision or 3)
    # "to Latakia" … "at Bassel al-Assad airport" (the same site): a named base is the place itself
    new_base = (new.toponym.feature_code or "") in FACILITY_CODES
    return new_base and (old.toponym.feature_code or "") not in FACILITY_CODES and _nearby(new.toponym, old.toponym)


# ---------------------------------------------------------------------------- rows


def _compatible(a: EquipmentMention, b: EquipmentMention) -> bool:
    return (a.category == b.category and (a.role == b.role or "unknown" in (a.role, b.role))
            and (a.model == b.model or None in (a.model, b.model))
            and (a.actor == b.actor or None in (a.actor, b.actor)))


def _later_status(old: str, new: str) -> str:
    """The status of two mentions of one group: a realised state over a plan, and the later
    realised state over an earlier one, but "present" never over a move it sums up."""
    if new == old:
        return old
    if new == "planned":
        return old
    if old == "planned":
        return new
    if new == "present":
        return old
    return new


def _take_place(keeper: _Group, link: _PlaceLink) -> None:
    """The more specific place of two mentions of one group, and an origin from either."""
    if _more_specific(link, keeper.link):
        keeper.link = replace(link, origin=link.origin or keeper.link.origin)
    elif keeper.link.origin is None and link.origin is not None:
        keeper.link = replace(keeper.link, origin=link.origin)


def _absorb(keeper: _Group, other: _Group) -> None:
    """Fold ``other`` (a restatement) into ``keeper``: place, count, model, status, quotes."""
    mention = keeper.mention
    o = other.mention
    count, qualifier, count_max = mention.count, mention.count_qualifier, mention.count_max
    if count is None and o.count is not None:
        count, qualifier, count_max = o.count, o.count_qualifier, o.count_max
    role = mention.role if mention.role != "unknown" else o.role
    keeper.mention = replace(mention, count=count, count_qualifier=qualifier, count_max=count_max,
                             model=mention.model or o.model, role=role, actor=mention.actor or o.actor,
                             status=_later_status(mention.status, o.status), named=mention.named or o.named)
    _take_place(keeper, other.link)
    for quote in other.quotes:
        if quote not in keeper.quotes:
            keeper.quotes.append(quote)


def _without_totals(groups: list[_Group], text: str) -> list[_Group]:
    """Leave out "20 jets" when its sentence or the next goes on to list 10 + 6 + 4 of the kind,
    or when a later sentence lists parts of the kind that add up to it exactly (the headline's
    "20 jets and bombers", the body's "10 J-11s, 6 H-6 bombers and four J-20s")."""
    kept = []
    dropped: list[EquipmentMention] = []
    for index, group in enumerate(groups):
        mention = group.mention
        if mention.count is None and any(re.fullmatch(r"\s*(?:,\s*)?(?:and|or|&)\s+", text[d.end:mention.start] or "x")
                                         for d in dropped):
            continue  # "20 jets and bombers": the bombers are in the total already split
        if mention.count is None or mention.model is not None:
            kept.append(group)  # a type is no total of others: "10 J-11s, 6 H-6s and four J-20s"
            continue
        kinds = UMBRELLA.get(mention.category, frozenset({mention.category}))
        following = [g.mention for g in groups[index + 1:]]
        next_sentence_end = next((m.sentence_end for m in following if m.sentence_start >= mention.sentence_end),
                                 mention.sentence_end)
        parts = [m for m in following if m.sentence_start <= next_sentence_end and m.sentence_end <= next_sentence_end
                 and m.category in kinds and m.count is not None and not m.definite]
        later = [[m for m in following if m.sentence_start == start and m.category in kinds
                  and m.count is not None and not m.definite]
                 for start in sorted({m.sentence_start for m in following if m.sentence_start > next_sentence_end})]
        split = parts if _adds_up(parts, mention.count) else next(
            (listed for listed in later if _adds_up(listed, mention.count, whole=True)), None)
        if split:
            dropped.append(mention)
            # "has deployed 28 aircraft … The aircraft include 12 Su-24s": the parts are where and
            # as the total is told, unless their own words say more
            for part in groups[index + 1:]:
                if any(part.mention is m for m in split) and part.mention.status == "present":
                    part.mention = replace(part.mention, status=mention.status)
            continue
        kept.append(group)
    return kept


def _adds_up(parts: Sequence[EquipmentMention], total: int, *, whole: bool = False) -> bool:
    """True when two or more leading parts add up to ``total`` (all the parts, with ``whole``:
    a sentence far from the total must list exactly its parts)."""
    if len(parts) < 2:
        return False
    if whole:
        return sum(p.count for p in parts) == total  # type: ignore[misc]
    return any(sum(p.count for p in parts[:size]) == total for size in range(2, len(parts) + 1))  # type: ignore[misc]


def _fold_restatements(groups: list[_Group]) -> list[_Group]:
    """"The eight helicopters … are based outside Latakia": give the restated groups its place."""
    result: list[_Group] = []
    for group in groups:
        mention = group.mention
        if not mention.definite:
            result.append(group)
            continue
        kinds = UMBRELLA.get(mention.category, frozenset({mention.category})) if mention.role == "unknown" \
            else frozenset({mention.category})
        # "the eight helicopters" restates counted groups; "the launchers", "the planes" the latest of the kind
        earlier = [i for i, g in enumerate(result) if g.mention.category in kinds
                   and (mention.role == "unknown" or g.mention.role == mention.role)
                   and (g.mention.count is not None or mention.count is None)]
        # "six F-22s to Poland and four F-35s to Estonia. The F-22s landed at Lask": the group of
        # the same designation, where there is one, whatever its role word
        same_model = [i for i, g in enumerate(result) if mention.model is not None and g.mention.model == mention.model
                      and g.mention.category == mention.category
                      and (g.mention.count is not None or mention.count is None)]
        earlier = same_model or earlier
        restated = _restated_indexes(result, earlier, mention.count)
        if not restated:
            group.mention = replace(mention, definite=False)
            result.append(group)
            continue
        for i in restated:
            keeper = result[i]
            _take_place(keeper, group.link)
            keeper.mention = replace(keeper.mention, status=_later_status(keeper.mention.status, mention.status))
            if group.quotes[0] not in keeper.quotes:
                keeper.quotes.append(group.quotes[0])
    return result


def _restated_indexes(result: list[_Group], candidates: list[int], count: int | None) -> list[int]:
    if not candidates:
        return []
    if count is None:
        return [candidates[-1]]
    for size in range(1, len(candidates) + 1):  # the latest run of groups whose counts add up
        chosen = candidates[-size:]
        if sum(result[i].mention.count for i in chosen) == count:
            return chosen
    return []


def _fold_same_groups(groups: list[_Group], text: str) -> list[_Group]:
    """The same kind with the same count in another sentence (the headline, the lead, a caption)
    is the same group told again; a named ship named again is the same ship. "A second battery",
    "another two jets" are new groups, whatever they share with the last."""
    result: list[_Group] = []
    for group in groups:
        mention = group.mention
        twin = None
        if mention.count is not None and (mention.count > 1 or mention.model or mention.named) \
                and not _ANOTHER_BEFORE.search(text, max(0, mention.start - 25), mention.start):
            twin = next((g for g in result if g.mention.count == mention.count and _same_place(g.link, group.link)
                         and g.mention.sentence_start != mention.sentence_start
                         and _compatible(g.mention, mention)
                         and (not mention.named or _same_name(g.mention, mention))), None)
        if twin is None:
            result.append(group)
        else:
            _absorb(twin, group)
    return result


#: Words that make a group another one: "a second Patriot battery", "another two jets".
_ANOTHER_BEFORE = re.compile(r"\b(?:second|third|fourth|fifth|another|other|additional|further|more|new)\s+"
                             r"(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)


def _same_place(a: _PlaceLink, b: _PlaceLink) -> bool:
    """Two mentions may be one group unless each sentence puts its group at a different place."""
    if a.how not in ("locative", "sentence") or b.how not in ("locative", "sentence"):
        return True
    return a.toponym is None or b.toponym is None or a.toponym.geonameid == b.toponym.geonameid \
        or _inside(a.toponym, b.toponym) or _inside(b.toponym, a.toponym) or _nearby(a.toponym, b.toponym)


#: A base or port this close to a town of its country is one site with it for a group.
SAME_SITE_KM = 40.0


def _nearby(a: Toponym, b: Toponym) -> bool:
    """A town and the air base or port beside it ("sent to Latakia" … "at Bassel al-Assad airport"),
    not two towns or two bases, nor places across a border ("near Sderot" … "in Beit Hanoun")."""
    if ((a.feature_code or "") in FACILITY_CODES) == ((b.feature_code or "") in FACILITY_CODES) \
            or a.country_code is None or a.country_code != b.country_code:
        return False
    return a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None \
        and great_circle_km(a.lat, a.lon, b.lat, b.lon) <= SAME_SITE_KM


def _same_name(a: EquipmentMention, b: EquipmentMention) -> bool:
    name = lambda m: re.sub(r"\s*\(.*$", "", m.text).split()[-2:]  # noqa: E731
    return name(a) == name(b)


def _fold_headline_mentions(groups: list[_Group], end: int) -> list[_Group]:
    """A headline tells the body's groups in short ("Iranian Drones Spotted at Russian Base"): a
    kind it names without a number is the body's first group of that kind, whatever owner or
    maker the headline's adjective gives (the body says whose they are)."""
    if end == 0:
        return groups
    body = [g for g in groups if g.mention.start >= end]
    result: list[_Group] = []
    for group in groups:
        mention = group.mention
        if mention.start < end and mention.count is None and not mention.named:
            keeper = next((g for g in body if g.mention.category == mention.category
                           and (mention.role == "unknown" or g.mention.role in (mention.role, "unknown"))
                           and (mention.model is None or g.mention.model in (mention.model, None))), None)
            if keeper is not None:  # the body tells the status: "US sends Patriot" … "will be deployed"
                status = keeper.mention.status
                _absorb_status_and_place(keeper, group)
                keeper.mention = replace(keeper.mention, status=status)
                continue
        result.append(group)
    return result


#: Words that name some of the group before them: "15 helicopters, including Mi-24 gunships".
_INCLUDING = re.compile(r"[,(]?\s*(?:including|among\s+them|such\s+as|mostly|mainly)\s+(?:some\s+|several\s+)?$",
                        re.IGNORECASE)


def _fold_included(groups: list[_Group], text: str) -> list[_Group]:
    """A kind named without a number as some of a counted group of its category just before it
    ("15 helicopters, including Mi-24 gunships") is part of that group, not a row of its own."""
    result: list[_Group] = []
    for group in groups:
        mention = group.mention
        if mention.count is None and result and _INCLUDING.search(text, max(0, mention.start - 30), mention.start):
            previous = result[-1]
            if previous.mention.category == mention.category and previous.mention.count is not None \
                    and previous.mention.sentence_start == mention.sentence_start:
                previous.mention = replace(previous.mention, model=previous.mention.model or mention.model)
                continue
        result.append(group)
    return result


#: Between two items of one list: "tanks and military vehicles", "tanks, military vehicles".
_LIST_ITEM_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+(?:and|or|as\s+well\s+as)\s+)(?:other\s+)?")


def _listed_beside(text: str, specific: EquipmentMention, umbrella: EquipmentMention) -> bool:
    """"Russian tanks and military vehicles": the broad kind listed right after the specific one is
    a group of its own, not a name for it (as in "other aircraft, such as Apaches")."""
    return specific.end <= umbrella.start and _LIST_ITEM_GAP.fullmatch(text, specific.end, umbrella.start) is not None


def _fold_countless_repeats(groups: list[_Group], text: str) -> list[_Group]:
    """A kind mentioned without a number where the article counts it elsewhere is that group."""
    result: list[_Group] = []
    for index, group in enumerate(groups):
        mention = group.mention
        if mention.count is None and mention.role == "unknown" and mention.category in UMBRELLA and any(
                g.mention.sentence_start == mention.sentence_start and g.mention.category != mention.category
                and g.mention.category in UMBRELLA[mention.category] and not _listed_beside(text, g.mention, mention)
                for g in groups):
            continue  # "other aircraft, such as AH-64 Apache and CH-47 Chinook helicopters": those groups
        if mention.count is None and not mention.named:
            counted = [g for j, g in enumerate(groups) if j != index and g.mention.count is not None
                       and _compatible(mention, g.mention) and _same_place(g.link, group.link)]
            if counted:
                nearest = min(counted, key=lambda g: abs(g.mention.start - mention.start))
                _absorb_status_and_place(nearest, group)
                continue
        twin = next((g for g in result if g.mention.count is None and mention.count is None
                     and _compatible(g.mention, mention) and _same_place(g.link, group.link)), None)
        if twin is None:
            result.append(group)
        else:
            _absorb(twin, group)
    return result


#: Between two destinations of one list: "to the Balkans and to Hungary", "to Estonia, Latvia and Lithuania".
_DESTINATION_LIST_GAP = re.compile(r"(?:\s+(?:region|regions|area|states|countries|province|oblast|air\s*base|air\s*field|"
                                   r"airfield|naval\s+base|base|port))?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|"
                                   r"\s+(?:and|as\s+well\s+as)\s+)(?:to\s+|into\s+)?(?:the\s+)?"
                                   r"(?:[A-Z][\w.\-]*(?:\s[A-Z][\w\-]*)?['’]s\s+)?", re.IGNORECASE)


def _split_among_destinations(text: str, groups: list[_Group], places: Sequence[Toponym],
                              roles: dict[int, PlaceRole]) -> list[_Group]:
    """A group sent to several places without a split ("18 Tiger helicopters to the Balkans and
    to Hungary") is a row at each place, each without a count: the text does not say how many
    went where."""
    result: list[_Group] = []
    for group in groups:
        mention, link = group.mention, group.link
        if link.toponym is None or link.how not in ("locative", "sentence"):
            result.append(group)
            continue
        in_sentence = _sentence_places(mention, places)
        # "Estonia's Amari Air Base, Lithuania's Siauliai Air Base": the owners' countries qualify
        in_sentence = [t for t in in_sentence if not _qualifies_next_by_possessive(text, t, in_sentence)]
        chosen = next((t for t in in_sentence if place_key(t) == place_key(link.toponym)), None)
        if chosen is None:
            result.append(group)
            continue
        chain = _place_list(text, chosen, in_sentence)
        # the list is where the group goes or operates from: "to X and Y", "operate from X, Y and Z"
        head = chain[0]
        en_route = EN_ROUTE.search(text, max(mention.sentence_start, head.start - 40), head.start)
        if len(chain) < 2 or en_route is not None and en_route.end() == head.start \
                or not (roles[id(head)].destination or OPERATING_FROM.search(text, max(0, head.start - 60), head.start)):
            result.append(group)
            continue
        uncounted = replace(mention, count=None, count_qualifier="unknown", count_max=None)
        for toponym in chain:
            result.append(_Group(uncounted, replace(link, toponym=toponym, precision=toponym.precision, point=None,
                                                    label=None), list(group.quotes)))
    return result


#: A stop on the way: "arrived in Bremerhaven en route to Poland", "landed at Aviano on their way
#: to Incirlik", "unloaded in Klaipeda before proceeding to Rukla".
EN_ROUTE = re.compile(r"\b(?:en\s+route|on\s+(?:its|their|the)\s+way|in\s+transit|before\s+(?:proceeding|moving|heading|"
                      r"continuing|travell?ing)(?:\s+on)?|bound|destined)\s+(?:to|for)\s+(?:the\s+)?", re.IGNORECASE)


def _split_en_route(text: str, groups: list[_Group], places: Sequence[Toponym],
                    roles: dict[int, PlaceRole]) -> list[_Group]:
    """A group at a stop on its way ("40 tanks arrived in Bremerhaven en route to Poland") is two
    rows, as the annotators write them: where it is now, and planned where it goes (a row per
    place of a list of goals). One that left on its way ("left Aviano on their way to Incirlik")
    is planned at the goal, the stop its origin. Only the group's own clause counts: "… stationed
    in Krakow, while six Bradleys are en route to Vilnius" moves no Patriot."""
    starts = sorted(g.mention.start for g in groups)
    result: list[_Group] = []
    for group in groups:
        mention, link = group.mention, group.link
        way = EN_ROUTE.search(text, mention.end, mention.sentence_end)
        if link.toponym is None or mention.status not in ("arrived", "present", "departed") or way is None \
                or any(mention.end <= s < way.start() for s in starts):
            result.append(group)
            continue
        in_sentence = _sentence_places(mention, places)
        goal = next((t for t in in_sentence if t.start == way.end()), None)
        if goal is None or not same_clause(text, mention, goal):
            result.append(group)
            continue
        goals = _place_list(text, goal, in_sentence)
        # "in Bremerhaven, Germany, en route": the town, not the country that qualifies it
        stop = next((t for t in reversed(in_sentence) if t.end <= way.start() and (roles[id(t)].locative or
                     mention.status == "departed") and same_clause(text, mention, t)
                     and not _qualifies_previous(text, t, in_sentence)
                     and not any(_inside(t, g) or _inside(g, t) for g in goals)), None)
        if stop is None or any(place_key(stop) == place_key(g) for g in goals):
            result.append(group)
            continue
        if mention.status != "departed":
            result.append(_Group(mention, replace(link, toponym=stop, precision=stop.precision, how="locative",
                                                  point=None, label=None), list(group.quotes)))
        planned = replace(mention, status="planned") if len(goals) == 1 else \
            replace(mention, status="planned", count=None, count_qualifier="unknown", count_max=None)
        origin = stop if mention.status == "departed" else None
        for place in goals:
            result.append(_Group(planned, replace(link, toponym=place, precision=place.precision, how="locative",
                                                  point=None, label=None, origin=origin), list(group.quotes)))
    return result


def _place_list(text: str, member: Toponym, in_sentence: Sequence[Toponym]) -> list[Toponym]:
    """The run of places listed with ``member`` ("X, Y and Z"), in text order: the chooser may
    pick any place of a list, not only its head. A place holding its neighbour ("Bremerhaven,
    Germany") is no item of the list."""
    first = last = in_sentence.index(member)
    keys = {place_key(member)}

    def joins(neighbour: Toponym, new: Toponym) -> bool:
        before, after = (neighbour, new) if neighbour.start < new.start else (new, neighbour)
        return bool(_DESTINATION_LIST_GAP.fullmatch(text, before.end, after.start)) \
            and place_key(new) not in keys and not _inside(new, neighbour)

    while last + 1 < len(in_sentence) and joins(in_sentence[last], in_sentence[last + 1]):
        last += 1
        keys.add(place_key(in_sentence[last]))
    while first > 0 and joins(in_sentence[first], in_sentence[first - 1]):
        first -= 1
        keys.add(place_key(in_sentence[first]))
    return list(in_sentence[first:last + 1])


def _sentence_places(mention: EquipmentMention, places: Sequence[Toponym]) -> list[Toponym]:
    """The places of the group's sentence, in text order."""
    return sorted((t for t in places if mention.sentence_start <= t.start < mention.sentence_end), key=lambda t: t.start)


def _qualifies_next_by_possessive(text: str, toponym: Toponym, in_sentence: Sequence[Toponym]) -> bool:
    """A country written with "'s" right before a place inside it: "Estonia's Amari Air Base"."""
    after = next((t for t in in_sentence if t.start > toponym.start), None)
    return after is not None and _possessive_holder(text, toponym, after)


def _possessive_holder(text: str, holder: Toponym, place: Toponym) -> bool:
    """"Syria's Idlib province", "Estonia's Amari Air Base": the country or region before "'s"
    only says whose the place after it is."""
    return text[holder.end:place.start] in ("'s ", "’s ") and _inside(holder, place)


#: One part of a group shared out place by place: "three of the jets will go to Greece",
#: "three to Cyprus", "and four more to Romania" (the text between a list's separator and a place).
_SHARE_SEPARATOR = re.compile(r"[,;:.]|\band\b|\bwith\b|\bthat\b", re.IGNORECASE)
_SHARE_BEFORE_PLACE = re.compile(
    r"\s*(?P<number>\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|a\s+dozen|a\s+pair|half)\b(?:\s+(?:more|others?|additional))?(?:\s+of\s+(?:the|them|those)\b[^,;.]{0,30}?)?"
    r"(?:\s+(?:will|would|are|were|was|is|to)\b[^,;.]{0,30}?)?\s+(?:to|in|at)\s+(?:the\s+)?$", re.IGNORECASE)


_FUTURE_WORDS = re.compile(r"\b(?:will|would|shall|to\s+be|are\s+to|is\s+to|planned|expected)\b", re.IGNORECASE)


def _split_by_numbers_per_place(text: str, groups: list[_Group], places: Sequence[Toponym]) -> list[_Group]:
    """A counted group shared out in its sentence or the next, place by place ("nine Rafales …
    three of the jets will go to Greece, three to Cyprus and three to Romania"): a row per
    place with its share, and none for the total, as for a total split by kind."""
    from tracker.recognize.counts import parse_number

    result: list[_Group] = []
    for group in groups:
        mention = group.mention
        if mention.count is None or mention.count < 2:
            result.append(group)
            continue
        window_end = _next_sentence_end(text, max(end for _, end in group.quotes))  # after its latest restatement
        shares = []
        future = False  # "three of the jets will go to Greece, three to Cyprus": every share is a plan
        for toponym in places:
            if not (mention.end <= toponym.start < window_end):
                continue
            line_start = max(mention.end, toponym.start - 90)
            separators = list(_SHARE_SEPARATOR.finditer(text, line_start, toponym.start))
            if not separators:
                continue
            match = _SHARE_BEFORE_PLACE.fullmatch(text, separators[-1].end(), toponym.start)
            if match is None:
                continue
            number = match.group("number").lower()
            share = {"a dozen": 12, "a pair": 2, "half": mention.count // 2}.get(" ".join(number.split()))
            share = share if share is not None else parse_number([number])
            if share:
                shares.append((share, toponym))
                future = future or bool(_FUTURE_WORDS.search(match.group()))
        if len(shares) < 2 or sum(share for share, _ in shares) > mention.count:
            result.append(group)
            continue
        for share, toponym in shares:
            part = replace(mention, count=share, count_qualifier="exact", count_max=None,
                           status="planned" if future else mention.status)
            result.append(_Group(part, replace(group.link, toponym=toponym, precision=toponym.precision, how="locative",
                                               point=None, label=None), list(group.quotes)))
    return result


def _next_sentence_end(text: str, end: int) -> int:
    """Where the sentence after the one ending at ``end`` ends (a full stop and a space, or a line)."""
    match = re.compile(r"[.!?](?:\s|$)|\n").search(text, end + 1)
    return match.end() if match else len(text)


def _absorb_status_and_place(keeper: _Group, other: _Group) -> None:
    """A countless restatement tells the counted group's status and perhaps its place, not its number."""
    keeper.mention = replace(keeper.mention, status=_later_status(keeper.mention.status, other.mention.status),
                             model=keeper.mention.model or other.mention.model,
                             actor=keeper.mention.actor or other.mention.actor)
    _take_place(keeper, other.link)
    if other.quotes[0] not in keeper.quotes:
        keeper.quotes.append(other.quotes[0])


def display_name(toponym: Toponym) -> str | None:
    """The gazetteer's name, or the article's spelling when the gazetteer gives a transliteration
    an English reader would not recognise ("Al Lādhiqīyah" written "Latakia"); never with the
    punctuation around it."""
    name = toponym.name
    if name and not name.isascii() and toponym.text.isascii() and toponym.mention == "name":
        name = toponym.text
    return name.strip(" ,.;:-–—\"'()") if name else name


def _row(article: Article, group: _Group) -> Deployment:
    mention, link = group.mention, group.link
    place = link.toponym
    origin = link.origin
    confidence = round((place.confidence if place else 0.0) * LINK_CONFIDENCE.get(link.how, 0.0), 3)
    lat, lon = link.point if link.point is not None else ((place.lat, place.lon) if place else (None, None))
    quote = " … ".join(article.text[start:end].strip() for start, end in sorted(group.quotes))
    return Deployment(
        article_id=article.id, published=article.published, source=article.url or article.source,
        title=article.title, category=mention.category, role=mention.role, model=mention.model,
        count=mention.count, count_qualifier=mention.count_qualifier, count_max=mention.count_max,
        actor=mention.actor, status=mention.status,
        place=link.label or (display_name(place) if place else None),
        geonameid=place.geonameid if place else None, country_code=place.country_code if place else None,
        precision=link.precision, confidence=confidence, quote=quote,
        start=mention.start, end=mention.end,
        lat=lat, lon=lon,
        origin=display_name(origin) if origin else None, origin_geonameid=origin.geonameid if origin else None,
        origin_lat=origin.lat if origin else None, origin_lon=origin.lon if origin else None,
    )
