"""Is this text English? A cheap check, so non-English input is not silently read as nothing.

The recognisers, the gazetteer's names and the equipment lexicon read English; a Russian,
Ukrainian or Arabic article gives no places and no rows. ``language_warning`` tells by the
script of the letters (a sample of them) and, for Latin script, by the share of the commonest
English function words, which make up about a quarter of the words of English news and almost
none of French, German, Spanish or Polish news.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice

#: Letters looked at, from the start of the text: enough to tell a script, cheap on a 20 MB text.
SAMPLE_LETTERS = 4000
#: Below this share of English function words a Latin-script text of 40 words or more is not English
#: (the lowest share among 1,124 English dev articles of the shared benchmarks is 0.16).
ENGLISH_SHARE_FLOOR = 0.10
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on with as was by at it from said are be has have were his he an its "
    "not this but or they their which after who will been had would more than about into over also we".split())
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_LETTER_RUNS = re.compile(r"[A-Za-z]+|[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=4096)
def script_of(character: str) -> str:
    """The script a letter belongs to, by its Unicode name ("LATIN", "CYRILLIC", "ARABIC"…)."""
    name = unicodedata.name(character, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def dominant_script(text: str) -> str | None:
    """The script of most letters in the sample, or None for a text of too few letters."""
    if text.isascii():  # most news: every letter is Latin, and only whether there are 20 matters
        return "LATIN" if sum(1 for _ in islice(_ASCII_LETTERS.finditer(text), 20)) >= 20 else None
    counts: dict[str, int] = {}
    seen = 0
    for match in _LETTER_RUNS.finditer(text):  # a run of ASCII letters at once, other characters one by one
        piece = match.group()
        if piece[0] < "\x80":
            taken = min(len(piece), SAMPLE_LETTERS - seen)
            counts["LATIN"] = counts.get("LATIN", 0) + taken
            seen += taken
        elif piece.isalpha():
            script = script_of(piece)
            counts[script] = counts.get(script, 0) + 1
            seen += 1
        if seen >= SAMPLE_LETTERS:
            break
    if seen < 20:
        return None
    return max(counts, key=counts.get)


def english_share(text: str) -> tuple[float, int]:
    """(share of English function words, words seen) over the first few thousand words."""
    words = _WORD.findall(text[:40_000].lower())
    if not words:
        return 0.0, 0
    return sum(word in ENGLISH_FUNCTION_WORDS for word in words) / len(words), len(words)


def language_warning(text: str) -> str | None:
    """Why the text does not look like English, or None when it does (or is too short to tell)."""
    script = dominant_script(text)
    if script is None:
        return None
    if script != "LATIN":
        return (f"written in {script.title()} script, not English; the tracker reads English only, so it "
                "finds few or no places and no deployments in it")
    share, words = english_share(text)
    if words >= 40 and share < ENGLISH_SHARE_FLOOR:
        return ("does not look like English (almost none of its words are common English words); the tracker "
                "reads English only, so it finds few or no places and deployments in it")
    return None
