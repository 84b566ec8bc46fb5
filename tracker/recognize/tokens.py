"""A fast rule tokeniser for news text: words, dotted abbreviations, numbers and punctuation with
their character offsets, and where sentences start.

The gazetteer recogniser needs no parse, only tokens and capitalisation; a regular expression does
that two orders of magnitude faster than a neural pipeline.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?P<abbr>(?:[A-Z][a-z]{0,3}\.){2,})"           # U.S.  N.Y.  W.Va.  D.C.
    r"|(?P<word>[^\W\d_][^\W_]*(?:['’](?![sS]\b)[^\W\d_][^\W_]*)*)"  # O'Brien, Nizhny, Zürich
    r"|(?P<poss>['’][sS]\b)"                          # Brooklyn's -> Brooklyn + 's
    r"|(?P<num>\d[\d,.:]*\d|\d)"
    r"|(?P<punct>\S)"
)
#: Words after which a period does not end the sentence.
_TITLE_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "ste", "mt", "ft", "pt", "gov", "sen", "rep", "gen", "lt", "col", "capt", "sgt",
    "maj", "adm", "cpl", "no", "vs", "jr", "sr", "prof", "rev", "hon", "inc", "co", "corp", "ltd", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ave", "blvd", "rd", "mass", "calif",
})
_SENTENCE_END = frozenset({".", "!", "?"})
_ENDS_AND_QUOTES = _SENTENCE_END | {'"', "“", "”", "'"}


@dataclass(frozen=True, slots=True)
class Tokens:
    """Parallel arrays over the tokens of one text (index i is token i)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    kinds: tuple[str, ...]          # abbr, word, poss, num, punct
    sentence_start: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.starts[start]:self.ends[end - 1]]


def tokenize(text: str) -> Tokens:
    """The tokens of ``text``. The last text's tokens are kept: the extractor reads the sentences
    of the text the geoparser has just split, and gets the same tokens without a second pass."""
    global _last
    last = _last
    if last is not None and last.text is text:
        return last
    tokens = _tokenize(text)
    _last = tokens
    return tokens


_last: Tokens | None = None


def _tokenize(text: str) -> Tokens:
    matches = list(_TOKEN.finditer(text))
    starts = tuple([match.start() for match in matches])
    ends = tuple([match.end() for match in matches])
    words = tuple([match.group() for match in matches])
    kinds = tuple([match.lastgroup or "punct" for match in matches])
    sentence_start = [False] * len(words)
    if words:
        sentence_start[0] = True
    # tokens hold no white space, so a line break lies between two tokens: the next one starts a sentence
    newline = text.find("\n")
    while newline >= 0:
        index = bisect_left(starts, newline)
        if index < len(words):
            sentence_start[index] = True
        newline = text.find("\n", starts[index] if index < len(words) else len(text))
    for index in [i + 1 for i, word in enumerate(words) if word in _ENDS_AND_QUOTES]:
        if index >= len(words) or sentence_start[index]:
            continue
        previous = words[index - 1]
        if previous in _SENTENCE_END:
            gap = text[ends[index - 1]:starts[index]]
            before = words[index - 2].lower() if index >= 2 else ""
            sentence_start[index] = not (previous == "." and gap == " " and (
                before in _TITLE_ABBREVIATIONS or (len(before) == 1 and before.isalpha()))) \
                and not (previous == "." and (words[index] in (",", ";", ")") or words[index][:1].islower()))
            # "Barksdale Air Force Base, La., operating out of": no sentence starts with a comma or
            # a lowercase word
        elif index >= 2 and words[index - 2] in _SENTENCE_END:
            sentence_start[index] = True
    return Tokens(text, starts, ends, words, kinds, tuple(sentence_start))
