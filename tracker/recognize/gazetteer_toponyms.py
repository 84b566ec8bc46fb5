"""Find place names fast: gazetteer matching in capitalised runs, weighed by a small learned filter.

Why not the neural NER: on two laptop cores spaCy's small English model reads about 25 news
articles a second, and it misses or mislabels the names that matter most to local news (towns
it calls people, "Alexandria woman charged"). Here every capitalised run of the text is matched
against the gazetteer (longest name first), and each match is kept or dropped by a logistic
model over the evidence an analyst reads around a name:

* what the gazetteer says: a country, a region, a county, a town of some size, an alias such as
  "Va." or "U.S.", a demonym such as "Syrian";
* the words around it: "in", "near", "outside" before it; ", Texas", "County", "police",
  "residents" after it; a title ("Sen.", "Mr.") or a given name before it and "said" after it,
  which say person; "University", "Department" beside it, which say organisation;
* the word itself: a common English word ("Mobile", "Reading"), a given name or surname
  ("Henry", "Clinton"), a sentence's first word, a word in capitals;
* the article: the same name elsewhere in it after "in" or before ", Texas".

Streets, roads and buildings ("Royal Street", "County Road 42", "Barclays Center") are not in the
gazetteer; runs ending in such a word become ``site`` mentions, which the resolver places in
the town the article puts them in.

A few readings need no weighing: names listed with "counties" ("Walton and Oconee counties",
"counties — Douglas, Lancaster and Sarpy") are those counties; a name listed between two kept
places is kept; a month, a party or an institution's word alone ("March", "Liberal",
"University") is no town, and neither is a name after "St."/"New"/"Fort" inside a longer one
("St. Paris" is not Paris); a demonym that only small towns share ("English") is the demonym.

The model's weights (``data/recognizer/toponym_filter.json``) are fitted by
``benchmarks/fit_recognizer.py`` on part of the annotated dev corpora, and checked on the rest
and on a corpus never used for fitting. Its features are properties of text and gazetteer, never
particular words, so nothing ties it to the articles it was fitted on.

The recogniser puts together, in this order: ``name_runs`` (the capitalised runs and their lookup
keys), ``name_matches`` (what a run names: gazetteer matches, sites, place slots),
``toponym_evidence`` (the features of each candidate span) and ``toponym_filter`` (the filter and
the readings that need no weighing).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator

from tracker.gazetteer.index import NAME_ADJECTIVE, Gazetteer
from tracker.gazetteer.word_lists import load_common_words, load_person_names
from tracker.models import Mention
from tracker.recognize.cues import DIRECTIONAL_NAME, LOWERCASE_REGIONS
from tracker.recognize.name_matches import matches_in_run, minor_alternate_out_of_place, with_place_slots
from tracker.recognize.name_runs import (capitalised_runs, is_capitalised, join_linked_runs, linked_runs,
                                         listed_divisions, ngram_keys, written_text)
from tracker.recognize.tokens import tokenize
from tracker.recognize.toponym_evidence import (ArticleEvidence, SpanCandidate, local_cue, names_something_else,
                                                person_cue, span_features)
from tracker.recognize.toponym_filter import (LinearFilter, kept_by_rule, with_names_listed_after_a_conflict_cue,
                                              with_names_listed_between_places)


class GazetteerRecognizer:
    """Callable that returns the ``Mention``s of a text; ``candidates`` exposes the evidence."""

    def __init__(self, gazetteer: Gazetteer, common_words: frozenset[str], person_names: tuple[frozenset[str], frozenset[str]],
                 model: LinearFilter | None) -> None:
        self.gazetteer = gazetteer
        self.common_words = common_words
        self.given_names, self.surnames = person_names
        self.model = model

    @classmethod
    def default(cls, gazetteer: Gazetteer) -> GazetteerRecognizer:
        return cls(gazetteer, load_common_words(), load_person_names(), LinearFilter.load())

    def __call__(self, text: str) -> list[Mention]:
        assert self.model is not None
        candidates = self.candidates(text)
        keep = [self._keeps(c) for c in candidates]
        keep = with_names_listed_after_a_conflict_cue(candidates, keep, text)
        kept = [c for c, kept in zip(candidates, with_names_listed_between_places(candidates, keep, text)) if kept]
        return [Mention(start=c.start, end=c.end, text=c.text, key=c.key, kind=c.kind, label=c.label)  # type: ignore[arg-type]
                for c in kept]

    def _keeps(self, candidate: SpanCandidate) -> bool:
        """A rule's reading ("Walton, Oconee and Morgan counties" leaves no doubt, whatever the
        names look like), else the filter's."""
        assert self.model is not None
        by_rule = kept_by_rule(candidate)
        return self.model.probability(candidate.features) >= self.model.threshold if by_rule is None else by_rule

    def pipe(self, texts: Iterable[str], *, batch_size: int = 32, processes: int = 1) -> Iterator[list[Mention]]:
        """The mentions of each text, in order; ``processes`` > 1 recognises in a pool of forked
        workers that inherit this recogniser (nothing is pickled but texts and mentions), handed
        ``batch_size`` // 2 texts at a time."""
        if processes <= 1:
            yield from map(self, texts)
            return
        global _WORKER_RECOGNIZER
        _WORKER_RECOGNIZER = self
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(_recognize_in_worker, texts, chunksize=max(1, batch_size // 2))

    # ------------------------------------------------------------------ candidates

    def candidates(self, text: str) -> list[SpanCandidate]:
        tokens = tokenize(text)
        capitalised = [is_capitalised(tokens, i) for i in range(len(tokens))]
        runs = capitalised_runs(tokens, capitalised)
        listed = listed_divisions(tokens, runs)
        linked = linked_runs(tokens, runs)
        lowercase_regions = [(match, key) for pattern, key in LOWERCASE_REGIONS
                             if "flank" in text for match in pattern.finditer(text)]
        if "ern " in text:  # "the eastern Mediterranean": one name where the gazetteer has the pair
            lowercase_regions += [(match, " ".join(match.group().lower().split()))
                                  for match in DIRECTIONAL_NAME.finditer(text)]
        run_keys = set(key for start, end in runs for key in ngram_keys(tokens, start, end))
        found = self.gazetteer.lookup_many([*run_keys, *listed.values(), *linked, *(key for _, key in lowercase_regions)],
                                           folded=False)
        # the keys no name has are looked up under their transliteration fold, but not English
        # words and person names, which are no transliterations
        found.update(self.gazetteer.lookup_folded(
            key for key in run_keys - found.keys() - self.common_words - self.given_names - self.surnames))
        runs = join_linked_runs(runs, linked, found)
        spans = [(match, run) for run in runs for match in matches_in_run(tokens, *run, found, listed)
                 if not (match[4] == "GAZ" and minor_alternate_out_of_place(tokens, match[0], match[1], match[3], found))]
        article = ArticleEvidence(
            found=found,
            key_counts=Counter(key for (_, _, key, _, _), _ in spans),
            keys_cued=frozenset(key for (start, end, key, _, _), _ in spans if local_cue(tokens, start, end, found)),
            keys_of_people=frozenset(key for (start, end, key, _, _), _ in spans if person_cue(tokens, start, end)),
        )
        spans = with_place_slots(self, tokens, runs, spans, found)
        out = [SpanCandidate(match.start(), match.end(), match.group(), key, "name", "GAZ", {"bias": 1.0, "lowercase_region": 1.0})
               for match, key in lowercase_regions if key in found]
        for (start, end, key, candidates, label), run in spans:
            if label == "SLOT":  # a name the gazetteer lacks, in a place slot: "the village of X"
                out.append(SpanCandidate(tokens.starts[start], tokens.ends[end - 1], tokens.span_text(start, end), key,
                                         "name", label, {"bias": 1.0, "place_slot": 1.0}))
                continue
            written = written_text(tokens, start, end)
            if label == "GAZ" and names_something_else(tokens, end, key, written, candidates, found):
                continue
            features = span_features(self, tokens, start, end, key, candidates, label, run, article)
            if listed.get(run) == key:
                features["listed_division"] = 1.0
            kind = ("adjective" if features.get("adjective_only") or _country_adjective_before_a_noun(
                tokens, end, candidates) else "name") if label == "GAZ" else "site"
            char_start = tokens.starts[start]
            char_end = char_start + len(written) if key.endswith(".") else tokens.ends[end - 1]  # "Va." keeps its period
            out.append(SpanCandidate(char_start, char_end, text[char_start:char_end], key, kind, label, features))
        if lowercase_regions:  # "NATO's eastern flank" is one name, "NATO" in it none
            regions = [c for c in out if "lowercase_region" in c.features]
            out = sorted([c for c in out if "lowercase_region" in c.features
                          or not any(r.start <= c.start < r.end for r in regions)], key=lambda c: c.start)
        return out


    # ------------------------------------------------------------------ evidence


# ---------------------------------------------------------------------------- worker processes


_WORKER_RECOGNIZER: GazetteerRecognizer | None = None


def _recognize_in_worker(text: str) -> list[Mention]:
    assert _WORKER_RECOGNIZER is not None
    return _WORKER_RECOGNIZER(text)


#: Nouns after a country's adjective that keep it an adjective: "the Somali army", "Somali National
#: Army", "the Somali government" (not "the Somali region", a province of that name).
_STATE_NOUNS = frozenset({"army", "military", "government", "navy", "forces", "force", "soldiers", "troops",
                          "national", "armed", "security", "president", "prime", "officials", "authorities",
                          "special", "defence", "defense", "ministry", "minister", "police", "air", "marines",
                          "federal"})  # not "coast", "waters", "border": "the Somali coast" is a place


def _country_adjective_before_a_noun(tokens, end: int, candidates) -> bool:
    """A word that is both a place's name and a country's adjective, used as the adjective: "the
    Somali army" is Somalia's, whatever Ethiopia's Somali Region is called."""
    return end < len(tokens) and tokens.words[end].lower() in _STATE_NOUNS and any(
        c.name_kind == NAME_ADJECTIVE and c.place.is_country for c in candidates)

