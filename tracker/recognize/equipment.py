"""Find military equipment in text with the lexicon in ``data/equipment/``.

Two tables, edited as data:

* ``generic_terms.csv``: words such as "attack helicopter", "howitzer", "MLRS", with category
  (after the UN Register of Conventional Arms), role (after APP-6), and words that, just before or
  after, make the term something else ("think tank", "drone strike", "artillery fire");
* ``models.csv``: designations such as Mi-24, Su-30SM, T-72B3, S-400 with their aliases. A
  designation is matched as one unit, so its digits are never read as a count (an F-35 is not
  35 of anything). A designation that is also an ordinary word or name ("Apache", "Patriot",
  "Abrams") is taken only when an equipment word of its category stands in the same sentence.

Matching is one compiled regular expression over the text, longest alternative first, so
"main battle tank" wins over "tank". A designation followed by a generic word ("Mi-24
helicopters") is one mention.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.common.resources import data_file

CATEGORIES = ("tank", "armored_vehicle", "artillery", "air_defense", "aircraft", "helicopter", "drone",
              "ship", "missile", "vehicle")
UNTYPED = ("personnel", "equipment")
#: The roles of the conventions' list (../shared/bench/equipment): APP-6's utility helicopters are
#: transport, and its tankers, patrol boats and corvettes are "other", as the annotators write them.
ROLES = {
    "aircraft": ("fighter", "attack", "bomber", "transport", "multirole", "reconnaissance", "other", "unknown"),
    "helicopter": ("attack", "transport", "multirole", "other", "unknown"),
    "ship": ("carrier", "cruiser", "destroyer", "frigate", "submarine", "landing", "other", "unknown"),
}


@dataclass(frozen=True, slots=True)
class EquipmentTerm:
    """One lexicon entry: a written form and what it denotes."""

    text: str
    category: str
    role: str
    model: str | None
    exclude_before: frozenset[str] = frozenset()
    exclude_after: frozenset[str] = frozenset()
    needs_context: bool = False  # an ordinary word or name: needs an equipment word nearby


@dataclass(frozen=True, slots=True)
class EquipmentMatch:
    """A span of text naming equipment (character offsets)."""

    start: int
    end: int
    text: str
    category: str
    role: str
    model: str | None
    named: bool = False  # a named ship ("USS Mason"): one vessel, and its name is no place


class EquipmentLexicon:
    """The compiled lexicon; ``find(text)`` returns matches in text order."""

    def __init__(self, terms: list[EquipmentTerm]) -> None:
        self.terms = terms
        for term in terms:
            if term.category not in CATEGORIES + UNTYPED:
                raise ValueError(f"lexicon term {term.text!r}: unknown category {term.category!r}")
            if term.role not in ROLES.get(term.category, ("unknown",)):
                raise ValueError(f"lexicon term {term.text!r}: role {term.role!r} is not one of "
                                 f"{ROLES.get(term.category, ('unknown',))}")
        # Index each term by its first letter or digit run ("attack", "su", "2"): at each word start
        # only the few terms sharing that run are tried, longest first. One regular expression with
        # hundreds of alternatives tried at every position was 70% of extraction time.
        # Each key's patterns are compiled when a text first has a word starting so (hundreds of
        # patterns cost a tenth of a second at start, and most keys never occur in a run).
        self._sources: dict[str, list[tuple[int, str]]] = {}
        for index in sorted(range(len(terms)), key=lambda i: -len(terms[i].text)):
            first = _DESIGNATION_CHUNKS.match(terms[index].text.lstrip())
            key = _start_key(first.group(0)) if first else ""
            self._sources.setdefault(key, []).append((index, _term_pattern(terms[index])))
        self._by_first: dict[str, list[tuple[int, re.Pattern[str]]]] = {}

    def _patterns_for(self, key: str) -> list[tuple[int, re.Pattern[str]]] | None:
        sources = self._sources.get(key)
        if sources is None:
            return None
        patterns = self._by_first[key] = [(index, re.compile(source)) for index, source in sources]
        return patterns

    @classmethod
    def from_folder(cls, folder: Path) -> EquipmentLexicon:
        terms: list[EquipmentTerm] = []
        with open(folder / "generic_terms.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                terms.append(EquipmentTerm(
                    text=row["term"], category=row["category"], role=row["role"], model=None,
                    exclude_before=_word_set(row["exclude_before"]), exclude_after=_word_set(row["exclude_after"])))
        with open(folder / "models.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for written in [row["model"], *filter(None, row["aliases"].split("|"))]:
                    terms.append(EquipmentTerm(text=written, category=row["category"], role=row["role"],
                                               model=row["model"], needs_context=_is_ordinary_word(written)))
        return cls(terms)

    def find(self, text: str) -> list[EquipmentMatch]:
        raw: list[tuple[int, int, EquipmentTerm]] = []
        covered = 0
        by_first = self._by_first
        for chunk in _WORD_START.finditer(text):
            position = chunk.start()
            if position < covered:
                continue
            key = chunk.group(0)[:3].lower()
            patterns = by_first.get(key)
            if patterns is None:
                patterns = self._patterns_for(key)
            if not patterns:
                continue
            for index, pattern in patterns:
                match = pattern.match(text, position)
                if match is None:
                    continue
                term = self.terms[index]
                if _excluded(text, match.start(), match.end(), term):
                    continue
                raw.append((match.start(), match.end(), term))
                covered = match.end()
                break
        raw = [item for index, item in enumerate(raw) if not item[2].needs_context
               or _followed_by_generic(text, raw, index) or _has_context(text, item, raw)]
        raw = _with_named_ships(text, raw)
        raw = _without_other_acronyms(text, raw)
        return _merged_with_following_generic(text, raw)


@lru_cache(maxsize=1)
def default_lexicon() -> EquipmentLexicon:
    return EquipmentLexicon.from_folder(data_file("equipment"))


# ---------------------------------------------------------------------------- patterns

_DESIGNATION_CHUNKS = re.compile(r"[A-Za-z]+|\d+")
def _start_key(run: str) -> str:
    """Index key of a letter or digit run: its first three characters, lowercased ("helicopters"
    and "helicopter" meet at "hel"; "Su" stays "su")."""
    return run[:3].lower()


#: The first letter or digit run of each word: where a term may begin.
_WORD_START = re.compile(r"(?<![\w\-/])(?:[A-Za-z]+|\d+)")


def _term_pattern(term: EquipmentTerm) -> str:
    if term.model is not None and any(ch.isdigit() for ch in term.text):
        return _designation_pattern(term.text)
    words = re.split(r"[\s\-]+", term.text)
    acronym = all(word.isupper() for word in words if word.isalpha())
    parts = [re.escape(word) for word in words]
    parts[-1] = parts[-1][:-1] + "(?:y|ies)" if parts[-1].endswith("y") and not acronym else parts[-1] + "(?:e?s)?"
    body = r"[\s\-]+".join(parts)
    if term.model is not None or acronym:
        # names and acronyms keep their capitals: "Patriot", "MLRS"; not "patriot", "mlrs"
        return rf"(?<![\w\-]){body}(?![\w\-])"
    return rf"(?<![\w\-])(?i:{body})(?![\w\-])"


def _designation_pattern(designation: str) -> str:
    """"Su-24" -> Su-24, SU-24, Su 24, Su24, Su-24M, Su-24s; never part of a longer designation."""
    chunks = _DESIGNATION_CHUNKS.findall(designation)
    body = r"[\s\-/]?".join(f"(?i:{re.escape(chunk)})" if chunk.isalpha() else re.escape(chunk) for chunk in chunks)
    return rf"(?<![\w\-/]){body}(?:[A-Z][A-Za-z0-9]{{0,5}})?(?:'?s)?(?![\w\-/])"


def _word_set(cell: str) -> frozenset[str]:
    return frozenset(word.strip().lower() for word in cell.split("|") if word.strip())


def _is_ordinary_word(written: str) -> bool:
    """A designation written as one plain word ("Apache", "Patriot") can be a word or a name."""
    return written.isalpha() and not written.isupper()


#: A term followed by one of these names a unit, an industry or a deal, not the equipment itself:
#: "bomber task force", "tank crews", "F-35 program".
NOT_EQUIPMENT_AFTER = frozenset({
    "task", "squadron", "squadrons", "wing", "wings", "brigade", "brigades", "battalion", "battalions",
    "regiment", "regiments", "unit", "units", "crew", "crews", "pilot", "pilots", "factory", "factories",
    "plant", "plants", "production", "program", "programme", "programs", "deal", "deals", "sale", "sales",
    "contract", "contracts", "maker", "makers", "manufacturer", "manufacturers", "industry", "purchase",
    "purchases", "order", "orders", "engine", "engines", "parts", "training", "instructors", "school",
    "construction", "facility", "facilities", "storage", "workshop", "workshops", "depot", "depots", "site",
    "sites", "cache", "caches", "bomb", "bombs", "borne", "assembly", "repair", "maintenance",
})
#: Capitalised words after a kind's word that make it a formation's name: "Carrier Strike Group".
_FORMATION_AFTER = re.compile(r"\s+(?:Strike|Battle|Air|Task|Amphibious|Ready)\s+(?:Group|Wing|Force)\b")
#: Words after a kind's word that make the two a unit's name: "Fighter Wing", "Fighter Squadron".
UNIT_WORDS = frozenset({"wing", "wings", "squadron", "squadrons", "group", "groups", "regiment", "regiments",
                        "brigade", "brigades", "division", "command"})
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s\-]*$")
_WORD_AFTER = re.compile(r"^[\s\-]*([A-Za-z]+)")


def _excluded(text: str, start: int, end: int, term: EquipmentTerm) -> bool:
    after = _WORD_AFTER.match(text[end:end + 30])
    if after and after.group(1).lower() in NOT_EQUIPMENT_AFTER and term.category not in ("personnel", "equipment") \
            and not (term.category == "air_defense" and after.group(1).lower() in ("unit", "units")):
        return True  # but "two Patriot units", "S-400 units": an air-defence unit is its fire unit, a system
    if term.text[:1].isupper() and _FORMATION_AFTER.match(text, end):
        return True  # "Carrier Strike Group Twelve", "Carrier Air Wing 5": a formation's name
    if after and term.category == "personnel" and after.group(1).lower() in UNIT_WORDS:
        return True  # "the 388th Fighter Wing": a unit's name, neither fighters nor fighter jets
    if term.exclude_before:
        before = _WORD_BEFORE.search(text[max(0, start - 30):start])
        if before and before.group(1).lower() in term.exclude_before:
            return True
    if term.exclude_after:
        after = _WORD_AFTER.match(text[end:end + 30])
        if after and after.group(1).lower() in term.exclude_after:
            return True
    return False


_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z\"“]|\n\s*\n")


def _has_context(text: str, item: tuple[int, int, EquipmentTerm], found: list) -> bool:
    start, end, term = item
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))
    right_match = _SENTENCE_END.search(text, end, end + 400)
    right = right_match.start() + 1 if right_match else min(len(text), end + 400)
    return any(other is not term and not other.needs_context and other.category == term.category
               and left <= s < right for s, _, other in found)


_JOINER = re.compile(r"^[\s\-]*$")


def _followed_by_generic(text: str, raw: list[tuple[int, int, EquipmentTerm]], index: int) -> bool:
    """"Apache helicopters", "Patriot missile battery": a designation right before an equipment word."""
    end, term = raw[index][1], raw[index][2]
    if _THING_AFTER.match(text, end):
        return True  # "Buk launchers", "Pantsir systems"
    if index + 1 >= len(raw):
        return False
    next_start, _, following = raw[index + 1]
    if not _JOINER.match(text[end:next_start]):
        return False
    return following.model is None and (following.category != "personnel" or term.category == "aircraft"
                                        and following.text.lower().startswith("fighter"))  # "Gripen fighters"


#: Nouns after a name that make it a weapon system's: "Buk launchers", "Pantsir systems".
#: Words of air defence between a system's name and its kind: "Patriot air defense missiles".
AIR_DEFENCE_WORDS = r"(?:air[\s\-]+(?:and\s+missile\s+)?defen[cs]e|anti-?aircraft|surface-to-air)"
_THING_AFTER = re.compile(r"[\s\-]+(?:" + AIR_DEFENCE_WORDS + r"\s+)?(?:launchers?|systems?|batter(?:y|ies)|"
                          r"complex(?:es)?|missiles?)\b", re.IGNORECASE)


#: Prefixes of warships' names ("USS Mason", "HMS Defender", "INS Vikrant"), from the navies' own usage.
SHIP_PREFIXES = ("USS", "USNS", "HMS", "HMAS", "HMCS", "HMNZS", "INS", "RFS", "ROKS", "JS", "TCG", "FS", "ESPS",
                 "HNLMS", "BRP", "PNS", "ITS", "NRP", "HDMS", "KRI", "RSS", "KD", "SPS", "FGS", "HNoMS",
                 "HSwMS", "ARA", "BAP", "CNS", "HTMS", "TCG", "ORP", "ENS", "HS")
#: A warship's prefix and name, with its hull number if written: "USS Ralph Johnson (DDG 114)".
SHIP_NAME = re.compile(
    r"(?<![\w\-])(?:" + "|".join(sorted(set(SHIP_PREFIXES), key=len, reverse=True)) + r")\s+"
    r"(?P<name>(?:[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*\.?)(?:\s+(?:[A-Z]\.|[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*|of|the|de|del))*)"
    r"(?:\s*\((?P<hull>[A-Z]{1,5})[\s\-]?\d{1,4}\))?")
#: The navy, and so the owner, a ship's prefix names.
SHIP_PREFIX_OWNERS = {"USS": "United States", "USNS": "United States", "HMS": "United Kingdom",
                      "HMAS": "Australia", "HMCS": "Canada", "HMNZS": "New Zealand", "INS": "India", "RFS": "Russia",
                      "ROKS": "South Korea", "JS": "Japan", "TCG": "Turkey", "ESPS": "Spain", "HNLMS": "Netherlands",
                      "BRP": "Philippines", "PNS": "Pakistan", "NRP": "Portugal", "HDMS": "Denmark",
                      "KRI": "Indonesia", "FGS": "Germany", "HNoMS": "Norway", "HSwMS": "Sweden", "ORP": "Poland",
                      "ARA": "Argentina", "BAP": "Peru", "HTMS": "Thailand"}


def ship_owner(written: str) -> str | None:
    """The country whose navy a named ship belongs to, from its prefix ("USS Mason" -> United States)."""
    for word in written.split():
        if word in SHIP_PREFIX_OWNERS:
            return SHIP_PREFIX_OWNERS[word]
    return None


#: Hull classification symbols (US Navy, used by most NATO navies) -> the lexicon's ship roles.
HULL_ROLES = {"DDG": "destroyer", "DD": "destroyer", "CG": "cruiser", "CVN": "carrier", "CV": "carrier",
              "FFG": "frigate", "FF": "frigate", "LHD": "landing", "LHA": "landing", "LPD": "landing",
              "LSD": "landing", "LST": "landing", "SSN": "submarine", "SSBN": "submarine", "SSGN": "submarine",
              "SS": "submarine", "LCS": "other", "PC": "other"}


def _with_named_ships(text: str, raw: list[tuple[int, int, EquipmentTerm]]) -> list[tuple[int, int, EquipmentTerm]]:
    """Add "USS Ralph Johnson (DDG 114)" as one ship; lexicon words inside the name are dropped
    ("USS Makin Island" names no island, "HMS Dragon" no dragon)."""
    ships = []
    for match in SHIP_NAME.finditer(text):
        end = match.end()
        if text[end:end + 1] == "-":
            continue  # "a HMS Racing-prepared car": a team's name
        while end > match.start() and text[end - 1] in ".,":
            end -= 1
        role = HULL_ROLES.get(match.group("hull") or "", "unknown")
        start = match.start()
        carrier = _CARRIER_BEFORE.search(text, max(0, start - 12), start)
        if carrier is not None and role == "unknown":
            start, role = carrier.start(), "carrier"  # "the carrier USS Nimitz": no airline's carrier
        ships.append((start, end, EquipmentTerm(text=text[match.start():end], category="ship", role=role, model=None)))
    if not ships:
        return raw
    kept = [item for item in raw if not any(s <= item[0] < e for s, e, _ in ships)]
    return sorted(kept + ships, key=lambda item: item[0])


#: "carrier" right before a warship's name: the aircraft carrier.
_CARRIER_BEFORE = re.compile(r"\b[Cc]arrier\s+$")
_DEFINED_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")


def _without_other_acronyms(text: str, raw: list[tuple[int, int, EquipmentTerm]]) -> list[tuple[int, int, EquipmentTerm]]:
    """An acronym the article defines as something else ("All Progressives Congress (APC)") is
    that thing wherever it stands; one defined by an equipment phrase ("armoured personnel
    carrier (APC)") stays equipment."""
    defined_otherwise = set()
    for match in _DEFINED_ACRONYM.finditer(text):
        before = any(e <= match.start() and match.start() - e <= 2 for _, e, term in raw
                     if term.text.upper() != match.group(1))
        if not before:
            defined_otherwise.add(match.group(1))
    if not defined_otherwise:
        return raw
    return [item for item in raw if text[item[0]:item[1]].rstrip("s") not in defined_otherwise]


#: Between a designation and the nickname written after it: "Mi-24 “Hind”", "Mi-8 (Hip) helicopters".
_NICKNAME_JOINER = re.compile(r"^[\s\-“”\"‘’'()]*$")


def _joined(text: str, end: int, next_start: int) -> bool:
    return bool(_NICKNAME_JOINER.match(text[end:next_start]))


#: Words that end a run of adjectives: what follows is another thing, not this one described.
_NOT_ADJECTIVES = frozenset({"and", "or", "with", "to", "from", "at", "in", "of", "the", "a", "an", "for", "by", "as",
                             "on", "near", "were", "was", "are", "is", "have", "has", "had", "that", "which", "while"})


#: Between an air-defence system's name and its word "missiles": "Patriot air defense missiles".
_AIR_DEFENCE_WORDS = re.compile(r"\s+" + AIR_DEFENCE_WORDS + r"\s+", re.IGNORECASE)


def _adjectives_between(text: str, end: int, next_start: int) -> bool:
    """One or two lower-case describing words between a designation and its kind's word:
    "J-20 stealth fighters", "Su-35 multirole jets"."""
    words = text[end:next_start].split()
    return 1 <= len(words) <= 2 and text[end:end + 1] == " " and all(
        re.fullmatch(r"[a-z][a-z\-]*", w) and w not in _NOT_ADJECTIVES for w in words)


def _is_nickname_of(following: EquipmentTerm, written: str, model: str | None, category: str) -> bool:
    """"Mi-17 “Hip”": a reporting name or nickname (no digits) after a designation of its kind
    names the same thing; the designation keeps the model."""
    return model is not None and following.model is not None and following.category == category \
        and not any(ch.isdigit() for ch in written)


def _is_named_ship(term: EquipmentTerm) -> bool:
    return term.category == "ship" and term.model is None and term.text.split()[0] in SHIP_PREFIXES


#: Kinds that one name may cover ("Patriot missile battery" is air defence): a name of one family
#: before a word of another ("Foxhound armoured vehicles") is not that name's thing.
_FAMILY = {"aircraft": "air", "helicopter": "air", "drone": "air", "air_defense": "fires", "missile": "fires",
           "artillery": "fires", "tank": "ground", "armored_vehicle": "ground", "vehicle": "ground", "ship": "sea"}


def _next_part(text: str, spans: tuple[int, int, int, int], first: EquipmentTerm, following: EquipmentTerm,
               parts: list[EquipmentTerm], model: str | None) -> EquipmentTerm | None:
    """``following`` as the next part of the mention begun by ``first``, if what stands between
    them lets it be one (``None`` if not): nothing but spaces, dashes or quotes; describing words
    after a designation ("J-20 stealth fighters", fighters then being the aircraft); a comma
    before a ship's name in apposition ("a Canadian frigate, HMCS Montreal,"), or after it before
    its kind ("the USS Georgia, a guided-missile submarine,")."""
    start, end, next_start, next_end = spans
    if model is not None and first.category == "aircraft" and following.category == "personnel" \
            and text[next_start:next_end].lower() in ("fighters", "fighter") \
            and (_joined(text, end, next_start) or _adjectives_between(text, end, next_start)):
        return EquipmentTerm(following.text, "aircraft", "fighter", None)
    if model is not None and following.model is None and following.category == first.category \
            and _adjectives_between(text, end, next_start):
        return following  # "Su-35 multirole jets"
    if model is not None and first.category == "air_defense" and following.category == "missile" \
            and following.model is None and _AIR_DEFENCE_WORDS.fullmatch(text, end, next_start):
        return following  # "Patriot air defense missiles": the system's missiles, the system
    if first.category == "ship" and _is_named_ship(following) and not any(_is_named_ship(p) for p in parts) \
            and re.fullmatch(r"\s*,\s*", text[end:next_start]) and not text[start:end].endswith("s"):
        return following
    if following.category == "ship" and not _is_named_ship(following) and _is_named_ship(parts[-1]) \
            and _NAME_THEN_KIND.fullmatch(text, end, next_start) and _KIND_CLOSED.match(text, next_end):
        return following  # "the USS Georgia, a guided-missile submarine,": the named ship's kind
    if _is_named_ship(following) and _is_named_ship(parts[-1]) and not _is_named_ship(first) \
            and _kind_before_names(text, start, end).endswith("s") and _NAMES_JOINED.fullmatch(text, end, next_start):
        return following  # "destroyers USS Stockdale and USS Chung-Hoon": one group of two ships
    if _is_named_ship(following) and all(_is_named_ship(p) for p in parts) \
            and len({p.role for p in (*parts, following)} - {"unknown"}) <= 1 \
            and len({p.text.split()[0] for p in (*parts, following)}) == 1 \
            and _NAMES_LISTED.fullmatch(text, end, next_start):
        return following  # "the USS Thomas Hudner and the USS Donald Cook": one navy's list counts them
    return following if _joined(text, end, next_start) else None


def _kind_before_names(text: str, start: int, end: int) -> str:
    """The kind words before the first ship's name of a mention: "destroyers" of "destroyers USS
    Stockdale"; empty when the mention opens with a name."""
    first_name = SHIP_NAME.search(text, start, end)
    return text[start:first_name.start()].strip() if first_name else ""


#: After a ship's kind in apposition, what closes it: "the USS Georgia, a guided-missile submarine,"
#: — not another ship's name ("the USS Bataan, the destroyer USS Mason").
_KIND_CLOSED = re.compile(r"\s*(?:[,;)]|\.(?:\s|$)|$)")
#: Between two names of such a list: ", ", " and ", ", and ".
_NAMES_JOINED = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
#: Between two names listed without a kind: "USS X and the USS Y", "HMS X, HMS Y".
_NAMES_LISTED = re.compile(r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?")
#: Between a ship's name and its kind in apposition: ", a ", ", an Ohio-class ", ", the ".
_NAME_THEN_KIND = re.compile(r"\s*,\s*(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}")


def _merged_with_following_generic(text: str, raw: list[tuple[int, int, EquipmentTerm]]) -> list[EquipmentMatch]:
    """One mention for words that name one thing side by side: "Mi-24 helicopters", "F-15E Strike
    Eagle", "UH-60L Black Hawk helicopters", "Patriot missile battery", "guided-missile destroyer
    USS Ralph Johnson". The first designation gives the model and category; the role is the text's
    own word for it (the last generic word), else the designation's, else the ship's hull symbol."""
    matches: list[EquipmentMatch] = []
    index = 0
    while index < len(raw):
        start, end, first = raw[index]
        parts = [first]
        while index + 1 < len(raw):
            next_start, next_end, following = raw[index + 1]
            model = next((p.model for p in parts if p.model), None)
            following = _next_part(text, (start, end, next_start, next_end), first, following, parts, model)
            if following is None:
                break
            same_thing = following.category == first.category and (
                following.model is None or model is None or following.model == model
                or _is_nickname_of(following, text[next_start:next_end], model, first.category))
            designation_then_word = model is not None and following.model is None \
                and following.category != "personnel" and not _is_named_ship(following)
            if not (same_thing or designation_then_word):
                break
            parts.append(following)
            end = next_end
            index += 1
        category = next((p.category for p in parts if p.model), first.category)
        model = next((p.model for p in parts if p.model), None)
        kind_word = next((p for p in reversed(parts) if p.model is None and not _is_named_ship(p)), None)
        if model is not None and kind_word is not None and kind_word.category in _FAMILY \
                and _FAMILY[kind_word.category] != _FAMILY.get(category) and not any(ch.isdigit() for ch in text[start:end]):
            # "Foxhound armoured vehicles": a name that is also another kind's nickname (the MiG-31's)
            # before the text's own word for the kind: the word says what it is
            category, model = kind_word.category, None
        words = [p.role for p in parts if p.model is None and not _is_named_ship(p) and p.category == category
                 and p.role != "unknown"]
        designations = [p.role for p in parts if p.model is not None and p.role != "unknown" and p.category == category]
        hulls = [p.role for p in parts if _is_named_ship(p) and p.role != "unknown"]
        role = (words[-1:] or designations[:1] or hulls[:1] or ["unknown"])[0]
        named = any(_is_named_ship(p) for p in parts)
        matches.append(EquipmentMatch(start, end, text[start:end], category, role, model, named))
        index += 1
    return matches
