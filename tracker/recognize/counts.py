"""How many: the count written before an equipment mention, with its qualifier.

``parse_count`` reads the words that precede the mention inside its noun phrase, right to left,
past adjectives, owners and role words ("four Russian attack helicopters"), and returns a
``Count``. Number words go through text2num ("twenty-eight"); the idioms text2num does not know
are handled here ("a dozen", "half a dozen", "a pair of", "dozens of"). Qualifiers:

  exact      "four", "14", "1,000", "a/an"
  at_least   "at least 28", "more than 20", "over 20"
  at_most    "up to eight", "as many as 8", "no more than 8"
  about      "about 30", "around", "some 30", "nearly", "roughly", "an estimated"
  range      "14-20", "14 to 20", "between 14 and 20" (count 14, count_max 20)
  vague      "several", "dozens of", "a few", "many": count None
  unknown    no number, or a number that counts something else: a rate ("two a day"),
             a unit ("two battalions of tanks"), a definite restatement ("the eight
             helicopters", flagged ``definite``)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from text_to_num import text2num

CountQualifier = Literal["exact", "at_least", "at_most", "about", "range", "vague", "unknown"]

MAX_WORDS_BEFORE = 6
NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "and",
})
VAGUE_WORDS = frozenset({"several", "many", "numerous", "multiple", "various", "some", "few", "countless",
                         "dozens", "hundreds", "thousands", "scores", "tens"})
DEFINITE_WORDS = frozenset({"the", "these", "those", "this", "that", "its", "their", "his", "her", "our"})
UNIT_WORDS = frozenset({
    "squadron", "squadrons", "battalion", "battalions", "brigade", "brigades", "regiment", "regiments",
    "division", "divisions", "company", "companies", "platoon", "platoons", "group", "groups", "unit",
    "units", "wing", "wings", "flotilla", "flotillas", "fleet", "fleets", "convoy", "convoys", "column",
    "columns", "battery", "batteries", "flight", "flights", "formation", "formations", "contingent",
    "contingents", "detachment", "detachments", "type", "types", "kind", "kinds", "model", "models",
    "version", "versions", "variant", "variants", "percent", "%",
})
RATE_AFTER = re.compile(r"^\s*(?:a|per|each|every)\s+(?:day|week|month|year|hour)\b|^\s*(?:daily|weekly|monthly)\b",
                        re.IGNORECASE)
QUALIFIER_BEFORE: list[tuple[re.Pattern[str], CountQualifier]] = [
    (re.compile(r"\b(?:at least|at minimum|a minimum of|more than|over|upwards of|in excess of|no fewer than|"
                r"no less than)\s*$", re.IGNORECASE), "at_least"),
    (re.compile(r"\b(?:up to|as many as|no more than|at most|a maximum of|fewer than|less than|under)\s*$",
                re.IGNORECASE), "at_most"),
    (re.compile(r"\b(?:about|around|some|roughly|approximately|nearly|almost|an estimated|estimated|"
                r"close to|approx\.?|circa|about a|around a)\s*$", re.IGNORECASE), "about"),
]
MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNP", "NNPS", "VBN", "VBG", "HYPH", "POS",
                           "NFP", "``", "''", "PRP$", "ADD"})


@dataclass(frozen=True, slots=True)
class Count:
    count: int | None
    qualifier: CountQualifier
    count_max: int | None = None
    definite: bool = False  # "the eight helicopters": may restate groups already counted


UNKNOWN = Count(None, "unknown")


def parse_number(words: list[str]) -> int | None:
    """An integer from digits ("1,000", "14") or number words ("twenty-eight", "two hundred")."""
    text = " ".join(words).strip()
    if not text:
        return None
    digits = text.replace(",", "")
    if re.fullmatch(r"\d+", digits):
        return int(digits)
    if re.fullmatch(r"\d+(?:\.\d+)?\s+(?:million|thousand)", digits):
        number, scale = digits.split()
        return int(float(number) * (1_000_000 if scale == "million" else 1000))
    try:
        return int(text2num(text.lower().replace(" - ", "-"), "en"))
    except (ValueError, TypeError):
        return None


def parse_count(doc, start: int, end: int) -> Count:
    """The count of the equipment mention spanning tokens [start, end) of a spaCy ``doc``."""
    if end < len(doc) and RATE_AFTER.match(doc.text[doc[end - 1].idx + len(doc[end - 1].text):][:30]):
        return UNKNOWN
    position = start - 1
    skipped = 0
    while position >= 0 and skipped < MAX_WORDS_BEFORE:
        token = doc[position]
        lower = token.lower_
        if _is_number_token(token) and _measure_follows(doc, position):
            position -= 1  # "two 155mm howitzers", "M777 155-mm guns": a calibre or a size, not a count
            skipped += 1
            continue
        if _is_number_token(token):
            return _count_ending_at(doc, position)
        if lower in ("a", "an"):
            return Count(1, "exact")
        if lower in ("x", "×") and position >= 1 and _is_number_token(doc[position - 1]):
            return _count_ending_at(doc, position - 1)  # "2 x J-20": the spotters' way of counting
        if lower in ("and", "or") and position == start - 1 and end - start >= 2 and position >= 1 \
                and doc[position - 1].tag_ in ("NN", "JJ") and doc[start].tag_ in ("NN", "JJ"):
            position -= 1  # "16 attack and transport helicopters": two words before one noun share its count
            skipped += 1
            continue
        if lower in DEFINITE_WORDS or token.tag_ == "PRP$":
            return Count(None, "unknown", definite=True)
        if token.text == "," and position >= 1 and doc[position - 1].tag_ in ("JJ", "VBN"):
            position -= 1  # "its new, French-made Rafale jets": adjectives in a row
            skipped += 1
            continue
        if lower in VAGUE_WORDS:
            return Count(None, "vague")
        if lower == "of":
            return _count_before_of(doc, position)
        if lower == "dozen":
            return _dozen(doc, position)
        if lower == "pair" or lower == "couple":
            return Count(2, "exact" if lower == "pair" else "about")
        if token.is_punct and token.text not in ("-", "'", "’", '"', "“", "”") or token.tag_ not in MODIFIER_TAGS \
                and lower not in ("more", "additional", "other", "new", "further", "extra", "advanced", "modern"):
            return UNKNOWN
        position -= 1
        skipped += 1
    return UNKNOWN


#: Units after a number that make it a measure of the thing: "155mm", "8-inch", "40-ton", "a
#: 112-metre landing ship", "a 40-year-old frigate".
MEASURE_UNITS = frozenset({"mm", "cm", "millimetre", "millimeter", "millimetres", "millimeters", "inch",
                           "ton", "tons", "tonne", "tonnes", "kg", "km", "pounder", "pdr", "caliber", "calibre",
                           "metre", "meter", "metres", "meters", "m", "foot", "feet", "ft", "year", "years", "knot",
                           "knots"})


def _measure_follows(doc, position: int) -> bool:
    after = position + 1
    if after < len(doc) and doc[after].text in ("-", "–"):
        after += 1
    return after < len(doc) and doc[after].lower_.rstrip(".") in MEASURE_UNITS


def _is_number_token(token) -> bool:
    lower = token.lower_.replace(",", "")
    return lower.isdigit() or (lower in NUMBER_WORDS and lower != "and") or bool(re.fullmatch(r"\d+(?:\.\d+)?", lower)) \
        or bool(re.fullmatch(r"[a-z]+-[a-z]+", lower) and all(p in NUMBER_WORDS for p in lower.split("-")))


def _count_ending_at(doc, last: int) -> Count:
    """Gather the number words ending at token ``last``, then read a range or a qualifier before them."""
    first = last
    while first - 1 >= 0 and (_is_number_token(doc[first - 1]) or doc[first - 1].text == "-" and first - 2 >= 0
                              and doc[first - 2].lower_ in NUMBER_WORDS):
        if doc[first - 1].text == "-" and doc[first - 2].lower_.isdigit():
            break  # "14-20": a range, read below
        first -= 1
    value = parse_number([t.text for t in doc[first:last + 1]])
    if value is None or _in_date(doc, first, last):
        return UNKNOWN
    if first >= 1 and doc[first - 1].lower_.rstrip(".") in DESIGNATION_WORDS:
        return UNKNOWN  # "the Project 775 landing ship", "Type 054A frigates", "Block 70 F-16s": a name
    if first >= 1 and _name_before_number(doc[first - 1]):
        return UNKNOWN  # "Stridsfordon 90 vehicles", "Challenger 604 jet", "Regiment 10": a name's number
    # a range: "14-20", "14 to 20", "between 14 and 20"
    if first >= 2 and doc[first - 1].text in ("-", "–", "to") and _is_number_token(doc[first - 2]):
        low = parse_number([doc[first - 2].text])
        if low is not None and low < value:
            return Count(low, "range", value)
    if first >= 3 and doc[first - 1].lower_ == "and" and doc[first - 3].lower_ == "between":
        low = parse_number([doc[first - 2].text])
        if low is not None and low < value:
            return Count(low, "range", value)
    before = doc.text[max(0, doc[first].idx - 30):doc[first].idx]
    for pattern, qualifier in QUALIFIER_BEFORE:
        if pattern.search(before):
            return Count(value, qualifier)
    if first >= 1 and doc[first - 1].lower_ in DEFINITE_WORDS:
        return Count(value, "exact", definite=True)
    return Count(value, "exact")


#: Capitalised words before a number that leave it a count: "on Monday 20 tanks", "in May 12 jets".
_CALENDAR_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                             "january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
                             "jul", "aug", "sep", "sept", "oct", "nov", "dec"})


def _name_before_number(token) -> bool:
    """A capitalised word inside the noun phrase right before a number makes the number part of a
    name ("Stridsfordon 90", "Challenger 604", "Regiment 10"), unless the word is a date or the
    receiver right after a verb ("gave Haftar 20 tanks", "will send Kyiv 31 Abrams tanks")."""
    doc = token.doc
    return token.tag_ == "NNP" and token.text[:1].isupper() and token.text.isalpha() and not token.is_sent_start \
        and token.dep_ in ("nmod", "compound") and token.lower_ not in _CALENDAR_WORDS \
        and doc[token.i - 1].pos_ not in ("VERB", "AUX", "ADP")


#: Words before a number that make it part of a type's name, not a count.
DESIGNATION_WORDS = frozenset({"project", "pr", "type", "block", "batch", "mark", "mk", "hull", "no", "number",
                               "series", "model", "variant", "version"})


#: A written date around a number: "2018-01-19", "19/01/2018", "19.01.2018" count nothing.
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _in_date(doc, first: int, last: int) -> bool:
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    around = doc.text[max(0, start - 11):end + 11]
    offset = start - max(0, start - 11)
    return any(m.start() <= offset and m.end() >= offset + (end - start) for m in _DATE.finditer(around))


def _count_before_of(doc, of_index: int) -> Count:
    """"a pair of", "dozens of", "a dozen of", "two squadrons of" (a unit: not a count of items)."""
    if of_index == 0:
        return UNKNOWN
    head = doc[of_index - 1]
    lower = head.lower_
    if lower in UNIT_WORDS:
        return UNKNOWN
    if lower in ("dozens", "hundreds", "thousands", "scores", "tens", "lots", "number", "plenty", "handful"):
        return Count(None, "vague")
    if lower == "dozen":
        return _dozen(doc, of_index - 1)
    if lower in ("pair", "couple"):
        return Count(2, "exact" if lower == "pair" else "about")
    if _is_number_token(head):
        return _count_ending_at(doc, of_index - 1)  # "two of the tanks"
    return UNKNOWN


def _dozen(doc, dozen_index: int) -> Count:
    """"a dozen" 12, "half a dozen" 6, "two dozen" 24, "about a dozen" 12 about."""
    before = [t.lower_ for t in doc[max(0, dozen_index - 3):dozen_index]]
    if before[-2:] == ["half", "a"]:
        value, first = 6, dozen_index - 2
    elif before and _is_number_token(doc[dozen_index - 1]):
        multiplier = parse_number([doc[dozen_index - 1].text]) or 1
        value, first = 12 * multiplier, dozen_index - 1
    else:
        value, first = 12, dozen_index - 1 if before and before[-1] in ("a", "one") else dozen_index
    text_before = doc.text[max(0, doc[first].idx - 30):doc[first].idx]
    for pattern, qualifier in QUALIFIER_BEFORE:
        if pattern.search(text_before):
            return Count(value, qualifier)
    return Count(value, "exact")
