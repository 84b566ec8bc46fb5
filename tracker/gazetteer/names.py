"""The one way a place name is turned into a lookup key, shared by the builder and the index.

Keys fold case, accents, periods, hyphens and apostrophes, so "U. S." and "U.S.", "Lattaquié" and
"Lattaquie", "Deir ez-Zor" and "Deir ez Zor" meet, and Saint, Mount or Fort in a longer name is keyed as
St, Mt or Ft ("Mt. Pleasant" finds Mount Pleasant); a name written only as a dotted abbreviation
("Va.", "N.Y.") keeps a final period in its key. Capitalisation is judged on the article text by
the recogniser, never here.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "‐": "-", "–": "-", "—": "-"})
_SEPARATORS = re.compile(r"[\s\-/]+")
_SINGLE_LETTERS = re.compile(r"\b(\w) (?=\w\b)")
_LEADING_ARTICLE = re.compile(r"^the ")
#: "Mount Pleasant" and "Mt. Pleasant", "Fort Myers" and "Ft. Myers", "Saint Louis" and "St. Louis",
#: "Sault Sainte Marie" and "Sault Ste. Marie" are one name: Mount and Fort opening a longer name,
#: and Saint and Sainte anywhere in one, are keyed by their abbreviations.
_LEADING_TITLE = re.compile(r"^(mount|fort)(?= \w)|\b(saint|sainte)(?= \w)|(?<=\w )(saint|sainte)\b")
_TITLE_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
#: "Va.", "W. Va.", "N.Y.", "U.S.": written with periods these are abbreviations, and their key
#: keeps a final "." so that "Va." finds Virginia while "VA", "Mass" or "Miss" find nothing.
_DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.\s?)+$")


def normalize_name(text: str) -> str:
    """Lookup key of a place name: lowercase ASCII-folded words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = stripped.casefold().replace(".", " ").replace(",", " ").replace("'", "")
    key = _SEPARATORS.sub(" ", key).strip()
    key = _SINGLE_LETTERS.sub(r"\1", key)
    key = _LEADING_ARTICLE.sub("", key)
    key = _LEADING_TITLE.sub(lambda match: _TITLE_ABBREVIATIONS[match.group(0)], key)
    if key and _DOTTED_ABBREVIATION.match(text.strip()):
        key += "."
    return key
