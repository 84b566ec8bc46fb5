"""Where a place's name may stand in a tokenised text: capitalised runs (with their connectors,
"Stratford upon Avon", "al-Numan", "Pul-e Alam"), runs linked by "and" or "of the", names listed
with "counties" ("Walton and Oconee counties"), and the gazetteer keys of a run's words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from tracker.gazetteer.index import Candidate
from tracker.gazetteer.names import normalize_name
from tracker.recognize.cues import CONNECTORS, DOTTED_ABBREVIATION
from tracker.recognize.tokens import Tokens


MAX_NGRAM = 6
#: The shared connectors less "on", which would join "Laboratory on Long Island" into one run.
RUN_CONNECTORS = (CONNECTORS - {"on"}) | {"du", "des", "di"}
#: Arabic articles as transliterations write them before a hyphen ("al-Numan", "ez-Zor", "ash-Sham").
HYPHENED_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "ez", "an", "ed", "es", "et", "ul", "ur"})
#: The Persian ezafe as transliterations write it after a hyphen ("Pul-e Alam").
EZAFE = frozenset({"e", "i", "ye", "yi"})
ROAD_NUMBER_WORDS = frozenset({"highway", "route", "interstate", "road", "hwy", "i", "sr", "us", "state", "county",
                               "a", "m", "n", "b", "rn", "ky", "w.va", "fm"})


def is_capitalised(tokens: Tokens, index: int) -> bool:
    kind, word = tokens.kinds[index], tokens.words[index]
    if kind == "abbr":
        return True
    return kind == "word" and word[0].isupper() and (len(word) > 1 or _followed_by_period(tokens, index))


def _followed_by_period(tokens: Tokens, index: int) -> bool:
    return index + 1 < len(tokens) and tokens.words[index + 1] == "." and tokens.starts[index + 1] == tokens.ends[index]


def is_connector(tokens: Tokens, index: int) -> bool:
    return tokens.kinds[index] == "word" and tokens.words[index] in RUN_CONNECTORS


def capitalised_runs(tokens: Tokens, capitalised: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by connectors ("of"), "'s", hyphens without
    spaces, the period of an abbreviation ("St. Louis") and a road number ("Highway 10")."""
    runs: list[tuple[int, int]] = []
    n, words, kinds = len(tokens), tokens.words, tokens.kinds
    index = 0
    while index < n:
        if not capitalised[index]:
            index += 1
            continue
        start = index
        index += 1
        while index < n:
            if capitalised[index] and not (tokens.sentence_start[index] and words[index - 1] in (".", "!", "?")):
                index += 1
                continue
            nxt = index + 1 < n and capitalised[index + 1]
            word = words[index]
            glued_before = tokens.starts[index] == tokens.ends[index - 1]
            glued_after = index + 1 < n and tokens.starts[index + 1] == tokens.ends[index]
            if nxt and (word in RUN_CONNECTORS or kinds[index] == "poss"):
                index += 1
                continue
            if nxt and word == "-" and glued_before and glued_after:
                index += 1
                continue
            # "Pul-e Alam", "Mazar-e Sharif": the Persian ezafe glued to the word before it
            if (word == "-" and glued_before and glued_after and index + 2 < n and words[index + 1] in EZAFE
                    and capitalised[index + 2]):
                index += 2
                continue
            # "Maarrat al-Numan", "Deir ez-Zor", "Jisr ash-Shughur": an Arabic article glued to the next word
            if (word in HYPHENED_ARTICLES and index + 2 < n and words[index + 1] == "-" and glued_after
                    and tokens.starts[index + 2] == tokens.ends[index + 1] and capitalised[index + 2]):
                index += 2
                continue
            if nxt and word == "." and glued_before and len(words[index - 1]) <= 3 and not tokens.sentence_start[index + 1]:
                index += 1
                continue
            if kinds[index] == "num" and words[index - 1].lower().rstrip(".") in ROAD_NUMBER_WORDS:
                index += 1
            break
        runs.append((start, index))
    return runs


#: Lowercase words inside a name: "Trinidad and Tobago", "Democratic Republic of the Congo".
_NAME_LINKS = (("and",), ("the",), ("of", "the"), ("and", "the"))


def linked_runs(tokens: Tokens, runs: Sequence[tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Key -> span of two neighbouring runs joined by a lowercase link, to look up as one name."""
    linked = {}
    for (a_start, a_end), (b_start, b_end) in zip(runs, runs[1:]):
        if tuple(tokens.words[a_end:b_start]) in _NAME_LINKS:
            linked[name_key(tokens.span_text(a_start, b_end))] = (a_start, b_end)
    return linked


def join_linked_runs(runs: list[tuple[int, int]], linked: dict[str, tuple[int, int]],
                      found: dict[str, list[Candidate]]) -> list[tuple[int, int]]:
    """Replace two runs by their joined span where the gazetteer knows the joined name."""
    joined: list[tuple[int, int]] = []
    for span in sorted(span for key, span in linked.items() if key in found):
        if not joined or span[0] >= joined[-1][1]:  # "A and B and C": the first pair the gazetteer knows
            joined.append(span)
    if not joined:
        return runs
    out = [run for run in runs if not any(start <= run[0] and run[1] <= end for start, end in joined)]
    return sorted(out + joined)


#: Plural division words after a list of names: "Cooke, Grayson and Love counties".
_DIVISION_PLURALS = {"counties": "county", "parishes": "parish", "townships": "township", "provinces": "province"}
#: What may stand between a plural and the list of divisions it opens: "counties — Douglas,
#: Lancaster and Sarpy", "the counties of Walton and Oconee", "parishes (Rapides and Avoyelles)".
_LIST_OPENERS = frozenset({":", "—", "–", "-", "(", "”", "“", '"', "of", "including"})
LIST_SEPARATORS = frozenset({",", "and", "or", "&"})


def listed_divisions(tokens: Tokens, runs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Runs that name divisions in a list closed or opened by a plural: "Walton and Oconee
    counties", "Butler, Clark, Preble or Warren counties", "counties — Douglas, Lancaster and
    Sarpy" -> {run: "walton county", ...}."""
    listed: dict[tuple[int, int], str] = {}
    run_ending_at = {end: (start, end) for start, end in runs}
    run_starting_at = {start: (start, end) for start, end in runs}
    words = tokens.words
    for index, word in enumerate(words):
        singular = _DIVISION_PLURALS.get(word)
        if not singular:
            continue
        run = run_ending_at.get(index)
        while run is not None:
            listed[run] = f"{name_key(tokens.span_text(*run))} {singular}"
            position = run[0] - 1
            while position >= 0 and words[position] in LIST_SEPARATORS:
                position -= 1
            if position == run[0] - 1 or position < 0:
                break
            run = run_ending_at.get(position + 1)
        position = index + 1
        while position < len(words) and words[position] in _LIST_OPENERS:
            position += 1
        run = run_starting_at.get(position) if position > index + 1 else None
        while run is not None:
            listed[run] = f"{name_key(tokens.span_text(*run))} {singular}"
            position = run[1]
            while position < len(words) and words[position] in LIST_SEPARATORS:
                position += 1
            run = run_starting_at.get(position) if position > run[1] else None
    return listed


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Keys repeat within and across articles ("Texas", "New York"): normalise each text once."""
    return normalize_name(text)


def keys_for(tokens: Tokens, start: int, end: int) -> Iterator[str]:
    """The key of a span, and first its dotted form when a period follows ("Va." before "Va").
    A word in capitals before a period ends a sentence ("... in the UAE."): it is no "U.A.E."."""
    single_capitals = end - start == 1 and tokens.words[start].isupper()
    if _followed_by_period(tokens, end - 1) and end - start <= 3 and not single_capitals:
        dotted = tokens.text[tokens.starts[start]:tokens.ends[end - 1] + 1]
        if DOTTED_ABBREVIATION.match(dotted.replace(" ", "")):
            yield name_key(dotted)
    yield name_key(tokens.span_text(start, end))


def written_text(tokens: Tokens, start: int, end: int) -> str:
    """The span as written, with the period of an abbreviation glued to it ("Ind.")."""
    return tokens.text[tokens.starts[start]:tokens.ends[end - 1] + _followed_by_period(tokens, end - 1)]


def maybe_dotted(tokens: Tokens, index: int) -> str:
    if _followed_by_period(tokens, index):
        return tokens.text[tokens.starts[index]:tokens.ends[index] + 1]
    return tokens.words[index]


def ngram_keys(tokens: Tokens, start: int, end: int) -> Iterator[str]:
    for i in range(start, end):
        for j in range(i + 1, min(end, i + MAX_NGRAM) + 1):
            yield from keys_for(tokens, i, j)
    # the word after a comma that follows a run: "Alexandria, Va." is read by the qualifier feature
    if end + 1 < len(tokens) and tokens.words[end] == ",":
        yield name_key(maybe_dotted(tokens, end + 1))
