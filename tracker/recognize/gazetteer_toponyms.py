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
"""

from __future__ import annotations

import math
import multiprocessing
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.gazetteer.index import (
    MINOR_PLACE_POPULATION,
    NAME_ADJECTIVE,
    NAME_ALIAS,
    NAME_ALTERNATE,
    Candidate,
    Gazetteer,
    is_minor_alternate,
)
from tracker.gazetteer.names import normalize_name
from tracker.gazetteer.word_lists import load_common_words, load_person_names
from tracker.models import Mention
from tracker.recognize.cues import (
    CALENDAR_WORDS,
    CONNECTORS,
    DISEASE_WORDS,
    DOTTED_ABBREVIATION,
    LOCATIVE_WORDS,
    PHYSICAL_FEATURE_WORDS,
    POLITICAL_WORDS,
    PLACE_NOUNS_AFTER,
    AREA_WORDS_AFTER,
    SLOT_NOUNS_AFTER,
    SLOT_NOUNS_BEFORE_OF,
    SURE_PLACE_WORDS_BEFORE,
    MILITARY_ACTION_VERBS,
    DIRECTIONAL_NAME,
    LOWERCASE_REGIONS,
    PERSIAN_GULF_COUNTRIES,
    case_fits,
    is_name_of_place,
    names_region_or_country,
)
from tracker.recognize.tokens import Tokens, tokenize
from tracker.common.resources import data_file, read_fitted_weights
from tracker.recognize.written_areas import is_area, lies_in

MAX_NGRAM = 6
#: The shared connectors less "on", which would join "Laboratory on Long Island" into one run.
RUN_CONNECTORS = (CONNECTORS - {"on"}) | {"du", "des", "di"}
#: Arabic articles as transliterations write them before a hyphen ("al-Numan", "ez-Zor", "ash-Sham").
HYPHENED_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "ez", "an", "ed", "es", "et", "ul", "ur"})
#: The Persian ezafe as transliterations write it after a hyphen ("Pul-e Alam").
EZAFE = frozenset({"e", "i", "ye", "yi"})
#: "of" is left out: it is a feature of its own (a place after "of", unless "University of").
LOCATIVE_BEFORE = (LOCATIVE_WORDS - {"of"}) | {"inside", "within", "via", "nearby"}
PLACE_NOUNS = PLACE_NOUNS_AFTER | {
    "natives", "teen", "governorate", "oblast", "state", "village", "town", "metro", "parish", "borough",
    "neighborhood", "neighbourhood", "border", "coast", "authorities", "government", "capital",
}
PERSON_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "gov", "governor", "rep", "president", "judge", "officer",
    "sheriff", "coach", "minister", "mayor", "chief", "sgt", "lt", "capt", "gen", "col", "prof", "rev",
    "pastor", "father", "sister", "brother", "king", "queen", "prince", "princess", "lord", "lady", "sir",
    "deputy", "detective", "trooper", "attorney", "secretary", "commissioner", "councilman", "councilwoman",
    "chairman", "director", "manager", "superintendent", "spokesman", "spokeswoman", "actor", "actress",
    "singer", "star", "player", "quarterback", "pitcher", "striker", "defender", "midfielder", "goalkeeper",
})
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "wrote", "asked", "explained", "noted", "stated",
                          "announced", "replied", "tweeted", "argued", "continued", "believes", "thinks"})
ORGANISATION_WORDS = frozenset({
    "university", "college", "institute", "department", "dept", "company", "corp", "corporation", "inc", "ltd",
    "llc", "bank", "club", "fc", "association", "society", "foundation", "committee", "commission", "council",
    "board", "party", "times", "post", "news", "herald", "tribune", "journal", "gazette", "press", "media",
    "group", "agency", "authority", "bureau", "office", "ministry", "court", "church", "hospital", "school",
    "academy", "center", "centre", "museum", "library", "stadium", "airlines", "airways", "united", "city",
    "rovers", "wanderers", "athletic", "county", "police", "sheriff", "fire", "schools", "district",
    "senate", "assembly", "house", "chamber", "service", "services", "network", "studios", "records",
    "team", "league", "union", "federation", "organization", "organisation", "institution", "fund",
})
STREET_WORDS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "lane", "ln", "boulevard", "blvd", "highway",
    "hwy", "parkway", "pkwy", "freeway", "expressway", "turnpike", "way", "ct", "place", "pl", "square",
    "circle", "terrace", "trail", "pike", "alley", "row", "crescent", "close", "bridge", "tunnel", "interchange",
    "junction", "roundabout",
})
ROAD_NUMBER_WORDS = frozenset({"highway", "route", "interstate", "road", "hwy", "i", "sr", "us", "state", "county",
                               "a", "m", "n", "b", "rn", "ky", "w.va", "fm"})
BUILDING_WORDS = frozenset({
    "center", "centre", "hospital", "church", "cathedral", "mosque", "temple", "synagogue", "school", "academy",
    "university", "college", "stadium", "arena", "hotel", "theatre", "theater", "museum", "library", "prison",
    "jail", "court", "courthouse", "hall", "mall", "plaza", "station", "airport", "base", "park", "zoo", "palace",
    "castle", "tower", "building", "market", "cemetery", "farm", "camp", "port", "harbour", "harbor", "pier",
    "racecourse", "field", "gardens", "garden", "club", "restaurant", "store", "clinic", "facility",
})
#: Words that begin a place's name and make it another place than the name after them: "St. Paris"
#: (Ohio) is not Paris, "New Salem" not Salem. Compass words are left out: "North Texas" is in Texas.
NAME_PREFIXES = frozenset({"st", "saint", "ste", "san", "santa", "fort", "ft", "port", "new", "mount", "mt"})
#: "the First United Methodist Church", "the Olympic project".
ORDINAL_AND_EVENT_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                     "ninth", "tenth", "olympic", "olympics", "paralympic"})
#: Words that are towns somewhere (March, Cambridgeshire; University, Florida; Union, New Jersey;
#: Valley, Alabama; Liberal, Kansas) but alone in news are a date, a party ("the Liberal MPP"),
#: part of an institution's name ("the University of California", "the European Union", "the
#: Capitol") or of a feature's ("the Thames Valley", "the Gulf"): a place only before ", Region".
#: Temple, Texas, a city of 70,000 that news names alone, stays.
NOT_A_PLACE_ALONE = (CALENDAR_WORDS | PHYSICAL_FEATURE_WORDS | POLITICAL_WORDS | ORDINAL_AND_EVENT_WORDS
                     | ((BUILDING_WORDS | ORGANISATION_WORDS | STREET_WORDS) - {"temple"}) | {"capitol"})
#: "Heights" names neighbourhoods ("Washington Heights") more often than features.
NATURAL_WORDS = (PHYSICAL_FEATURE_WORDS - {"heights"}) | {"reservoir", "beach", "woods"}

FEATURE_NAMES = (
    "bias", "in_gazetteer", "adjective_only", "street", "building", "natural", "log_population",
    "country", "admin1", "admin2", "continent_or_region", "feature", "airport", "alias", "alternate_only",
    "ambiguity", "tokens_2", "tokens_3_plus", "all_caps", "sentence_start", "after_colon_or_dash",
    "after_locative", "after_of", "after_the", "after_title", "after_given_name", "before_capitalised_word",
    "before_speech_verb", "before_comma_region", "before_place_noun", "before_organisation_word",
    "after_organisation_word", "in_longer_run", "run_has_organisation_word", "given_name", "surname",
    "common_word", "before_possessive", "repeated", "cued_elsewhere", "case_mismatch", "short",
    "in_parentheses", "before_number", "hyphenated", "plural_adjective", "after_comma_place",
    "in_list_of_places", "dateline", "person_elsewhere", "listed_division", "city_of_a_million",
    "before_surname",
)
#: Flags beside the features that rules read, not the filter (``_kept_by_rule``): a name known only
#: as small places' alternates, a sure place cue around it, a place slot, a lowercase region.
RULE_FLAGS = ("minor_alternate_only", "sure_place_cue", "conflict_cue", "place_slot", "lowercase_region",
              "listed_after_cue", "near_cue")
#: The longest run read as the name of a place the gazetteer lacks ("the village of X").
MAX_SLOT_WORDS = 3
#: The words before a run that may open a place slot: "of" ("the village of X"), "near", "outside".
_SLOT_WORDS_BEFORE = frozenset({"of", "near", "outside"})


@dataclass(frozen=True, slots=True)
class SpanCandidate:
    """A span that may name a place, with the evidence for the filter."""

    start: int          # character offsets
    end: int
    text: str
    key: str
    kind: str           # name, adjective, site
    label: str          # GAZ, STREET, BUILDING, FEATURE
    features: dict[str, float] = field(compare=False)


@dataclass(frozen=True, slots=True)
class _ArticleEvidence:
    """What the whole article says about its names, read once per article."""

    found: dict[str, list[Candidate]]
    key_counts: Counter[str]
    keys_cued: frozenset[str]         # named somewhere with a place cue ("in X", "X, Texas")
    keys_of_people: frozenset[str]    # named somewhere as a person ("President X", "X said")


@dataclass(frozen=True, slots=True)
class LinearFilter:
    """Logistic model over named features; ``threshold`` on the probability decides."""

    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path=None) -> LinearFilter:
        weights, scalars = read_fitted_weights(path or data_file("recognizer/toponym_filter.json"), "recogniser",
                                               "fit_recognizer.py", scalars=("threshold",))
        return cls(weights, scalars["threshold"])


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
        keep = _with_names_listed_after_a_conflict_cue(candidates, keep, text)
        kept = [c for c, kept in zip(candidates, _with_names_listed_between_places(candidates, keep, text)) if kept]
        return [Mention(start=c.start, end=c.end, text=c.text, key=c.key, kind=c.kind, label=c.label)  # type: ignore[arg-type]
                for c in kept]

    def _keeps(self, candidate: SpanCandidate) -> bool:
        """A rule's reading ("Walton, Oconee and Morgan counties" leaves no doubt, whatever the
        names look like), else the filter's."""
        assert self.model is not None
        by_rule = _kept_by_rule(candidate)
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
        capitalised = [_is_capitalised(tokens, i) for i in range(len(tokens))]
        runs = _capitalised_runs(tokens, capitalised)
        listed = _listed_divisions(tokens, runs)
        linked = _linked_runs(tokens, runs)
        lowercase_regions = [(match, key) for pattern, key in LOWERCASE_REGIONS
                             if "flank" in text for match in pattern.finditer(text)]
        if "ern " in text:  # "the eastern Mediterranean": one name where the gazetteer has the pair
            lowercase_regions += [(match, " ".join(match.group().lower().split()))
                                  for match in DIRECTIONAL_NAME.finditer(text)]
        run_keys = set(key for start, end in runs for key in _ngram_keys(tokens, start, end))
        found = self.gazetteer.lookup_many([*run_keys, *listed.values(), *linked, *(key for _, key in lowercase_regions)],
                                           folded=False)
        # the keys no name has are looked up under their transliteration fold, but not English
        # words and person names, which are no transliterations
        found.update(self.gazetteer.lookup_folded(
            key for key in run_keys - found.keys() - self.common_words - self.given_names - self.surnames))
        runs = _join_linked_runs(runs, linked, found)
        spans = [(match, run) for run in runs for match in self._matches_in_run(tokens, *run, found, listed)
                 if not (match[4] == "GAZ" and _minor_alternate_out_of_place(tokens, match[0], match[1], match[3], found))]
        article = _ArticleEvidence(
            found=found,
            key_counts=Counter(key for (_, _, key, _, _), _ in spans),
            keys_cued=frozenset(key for (start, end, key, _, _), _ in spans if _local_cue(tokens, start, end, found)),
            keys_of_people=frozenset(key for (start, end, key, _, _), _ in spans if _person_cue(tokens, start, end)),
        )
        spans = self._with_place_slots(tokens, runs, spans, found)
        out = [SpanCandidate(match.start(), match.end(), match.group(), key, "name", "GAZ", {"bias": 1.0, "lowercase_region": 1.0})
               for match, key in lowercase_regions if key in found]
        for (start, end, key, candidates, label), run in spans:
            if label == "SLOT":  # a name the gazetteer lacks, in a place slot: "the village of X"
                out.append(SpanCandidate(tokens.starts[start], tokens.ends[end - 1], tokens.span_text(start, end), key,
                                         "name", label, {"bias": 1.0, "place_slot": 1.0}))
                continue
            written = _written(tokens, start, end)
            if label == "GAZ" and _names_something_else(tokens, end, key, written, candidates, found):
                continue
            features = self._features(tokens, start, end, key, candidates, label, run, article)
            if listed.get(run) == key:
                features["listed_division"] = 1.0
            kind = ("adjective" if features.get("adjective_only") else "name") if label == "GAZ" else "site"
            char_start = tokens.starts[start]
            char_end = char_start + len(written) if key.endswith(".") else tokens.ends[end - 1]  # "Va." keeps its period
            out.append(SpanCandidate(char_start, char_end, text[char_start:char_end], key, kind, label, features))
        if lowercase_regions:  # "NATO's eastern flank" is one name, "NATO" in it none
            regions = [c for c in out if "lowercase_region" in c.features]
            out = sorted([c for c in out if "lowercase_region" in c.features
                          or not any(r.start <= c.start < r.end for r in regions)], key=lambda c: c.start)
        return out

    def _with_place_slots(self, tokens: Tokens, runs: Sequence[tuple[int, int]], spans: list, found: dict[str, list[Candidate]]) -> list:
        """``spans`` with the runs that stand in a place slot and that the gazetteer does not name
        whole ("the village of X", "near Sultan Abdallah", where only "Sultan" is a name) read as
        one name the gazetteer lacks (label ``SLOT``)."""
        by_run: dict[tuple[int, int], list] = {}
        for span in spans:
            by_run.setdefault(span[1], []).append(span)
        slots = {}
        words, n = tokens.words, len(tokens)
        for start, end in runs:
            # the cues first, cheaply: most runs stand in no slot
            if not (start > 0 and words[start - 1] in _SLOT_WORDS_BEFORE or words[start] in ("Near", "Outside")
                    or end < n and (words[end] in (",", "(", "in") or words[end].lower() in SLOT_NOUNS_AFTER)
                    or slots and start > 1 and words[start - 1] in _LIST_SEPARATORS
                    or _article_joined_after_place_word(tokens, start, end)):
                continue
            matches = [match for match, _ in by_run.get((start, end), [])]
            if any(label != "GAZ" for *_, label in matches):
                continue  # a street, a building, a feature
            words_start = self._place_slot(tokens, start, end, matches, found)
            if words_start is None and not matches and self._listed_after_slot(tokens, start, end, slots):
                words_start = start  # "the villages of Robotyne and Klishchiivka"
            if words_start is not None:
                slots[(start, end)] = ((words_start, end, _key(tokens.span_text(words_start, end)), [], "SLOT"), (start, end))
        if not slots:
            return spans
        for start, end in reversed(runs):  # "Bila Hora and Zelena Dolyna, Donetsk oblast": the names before
            if (start, end) not in slots and self._listed_before_slot(tokens, start, end, slots, by_run, found):
                slots[(start, end)] = ((start, end, _key(tokens.span_text(start, end)), [], "SLOT"), (start, end))
        kept = [span for span in spans if span[1] not in slots]
        return sorted(kept + list(slots.values()), key=lambda span: span[0][0])

    def _place_slot(self, tokens: Tokens, start: int, end: int, matches: list, found: dict[str, list[Candidate]]) -> int | None:
        """Where the name begins when the run is a name the gazetteer lacks standing where a
        place's name stands: "the village of X", "X village", "X district", "X, Kherson region",
        and, for a name that is no English word or person's name, "near X" ("Near X," opening a
        line of a strike report); None otherwise. A run the gazetteer names whole is no slot; one
        it names only in part is, when the rest is no known word ("near Ain Eissa": "Ain" alone
        is a French department)."""
        words, n = tokens.words, len(tokens)
        previous = words[start - 1].lower() if start > 0 else ""
        if words[start] in ("Near", "Outside") and end - start > 1:
            start, previous = start + 1, "near"  # "Near Kisik, one strike ..."
        near = previous in ("near", "outside")
        strong = ((previous == "of" and start > 1 and words[start - 2].lower() in SLOT_NOUNS_BEFORE_OF)
                  or (end < n and words[end].lower() in SLOT_NOUNS_AFTER)
                  or (end < n and words[end] == "," and self._before_comma_area(tokens, end, found))
                  # "shelled Wadi Bana in Taiz governorate", "in Qaifa (Al Bayda governorate)"; not
                  # "the March for Babies in DeKalb County"
                  or (end < n and words[end] in ("(", "in") and (previous in SURE_PLACE_WORDS_BEFORE
                                                                 or previous in MILITARY_ACTION_VERBS)
                      and self._before_comma_area(tokens, end, found)))
        # "in Boston al-Hamra orchards": the article joins the words into one name, none alone
        joined = _article_joined_after_place_word(tokens, start, end) \
            and not any(match[0] == start and match[1] == end for match in matches)
        strong = strong or joined
        name_words = [i for i in range(start, end) if words[i] != "-" and words[i] not in HYPHENED_ARTICLES]
        if not (strong or near) or len(name_words) > MAX_SLOT_WORDS \
                or any(tokens.kinds[i] != "word" and words[i] != "-" for i in range(start, end)):
            return None
        several = end - start >= 2
        if matches and not self._named_in_part(tokens, start, end, matches, found) \
                and not (strong and several and (joined or _words_name_other_places(tokens, end, matches, found))):
            return None
        lowered = [words[i].lower() for i in name_words]
        if any(w in NOT_A_PLACE_ALONE or w in PERSON_TITLES for w in lowered):
            return None
        if end < n and tokens.kinds[end] == "poss":
            return None  # "near Smith's house"
        # a name of several words in a firm slot may hold a word ("Kyauk Ye village"), not only words
        if strong and (not any(w in self.common_words for w in lowered)
                       or several and not all(w in self.common_words for w in lowered)):
            return start
        if near and not any(w in self.common_words or w in self.given_names or w in self.surnames for w in lowered):
            return start
        return None

    def _listed_after_slot(self, tokens: Tokens, start: int, end: int, slots: dict) -> bool:
        """The run follows a place slot's name in a list ("X, Y and Z"), and is no known word."""
        words = tokens.words
        position = start - 1
        while position >= 0 and words[position] in _LIST_SEPARATORS:
            position -= 1
        if position == start - 1 or end - start > MAX_SLOT_WORDS:
            return False
        if not any(run_end == position + 1 for _, run_end in slots):
            return False
        lowered = [w.lower() for w in words[start:end]]
        return all(tokens.kinds[i] == "word" for i in range(start, end)) and not any(
            w in self.common_words or w in self.given_names or w in self.surnames or w in NOT_A_PLACE_ALONE
            for w in lowered)

    def _listed_before_slot(self, tokens: Tokens, start: int, end: int, slots: dict, by_run: dict,
                            found: dict[str, list[Candidate]]) -> bool:
        """The run comes before a place slot's name in a list ("Bila Hora and Zelena Dolyna,
        Donetsk oblast"), is no known word nor person, and is a name of several words whose
        words name no large place, or one the gazetteer lacks."""
        words, n = tokens.words, len(tokens)
        position = end
        while position < n and words[position] in _LIST_SEPARATORS:
            position += 1
        if position == end or not any(run_start == position for run_start, _ in slots) or end - start > MAX_SLOT_WORDS:
            return False
        matches = [match for match, _ in by_run.get((start, end), [])]
        if any(label != "GAZ" for *_, label in matches):
            return False
        if matches and not (end - start >= 2 and _words_name_other_places(tokens, end, matches, found)
                            and not any(match[0] == start and match[1] == end for match in matches)):
            return False
        lowered = [w.lower() for w in words[start:end]]
        return all(tokens.kinds[i] == "word" for i in range(start, end)) and not any(
            w in NOT_A_PLACE_ALONE or w in PERSON_TITLES or w in self.given_names for w in lowered) \
            and not all(w in self.common_words or w in self.surnames for w in lowered)

    def _named_in_part(self, tokens: Tokens, start: int, end: int, matches: list, found: dict[str, list[Candidate]]) -> bool:
        """The gazetteer names only part of the run and the words it leaves are no known words nor
        acronyms ("Guma LGA" is Guma's local government area): "Sultan Abdallah", "Ain Eissa"."""
        covered = {i for match_start, match_end, *_ in matches for i in range(match_start, match_end)}
        if not covered or all(start <= i < end for i in covered) and covered >= set(range(start, end)):
            return False
        rest = [tokens.words[i] for i in range(start, end) if i not in covered]
        return bool(rest) and not any(_key(word) in found or word.isupper() or word.lower() in self.common_words
                                      or word.lower() in ORGANISATION_WORDS or word.lower() in BUILDING_WORDS
                                      or word.lower() in self.given_names for word in rest)

    @staticmethod
    def _before_comma_area(tokens: Tokens, end: int, found: dict[str, list[Candidate]]) -> bool:
        """ ", Kherson region", ", Idlib province", "in Taiz governorate", "(Pokrovsk raion": a
        comma, a bracket or "in", an area's name and a region word."""
        words, n = tokens.words, len(tokens)
        if end + 2 < n and words[end] == "in" and words[end + 1] == "the":
            end += 1
        if not (end + 2 < n and words[end] in (",", "(", "in", "the") and tokens.kinds[end + 1] == "word"
                and words[end + 1][:1].isupper()):
            return False
        for stop in range(end + 2, min(n, end + 5)):
            if words[stop].lower() in AREA_WORDS_AFTER:
                return _key(tokens.span_text(end + 1, stop)) in found
            if not (tokens.kinds[stop] == "word" and words[stop][:1].isupper()):
                return False
        return False

    def _matches_in_run(self, tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]],
                        listed: dict[tuple[int, int], str]) -> Iterator[tuple[int, int, str, list[Candidate], str]]:
        words = tokens.words
        division = listed.get((start, end))
        if division in found:  # "Walton" in "Walton and Oconee counties" is Walton County
            yield start, end, division, found[division], "GAZ"
            return
        matches = list(self._gazetteer_matches(tokens, start, end, found))
        # a street, road, building or natural feature named by the whole run: "Royal Street",
        # "Highway 10", "Barclays Center", "Lake Robinson". A town at the head of a building's
        # name ("Mount Pleasant High School") is the place the article names.
        lowered = [w.lower().rstrip(".") for w in words[start:end]]
        whole_key = _key(tokens.span_text(start, end))
        site = None
        if end - start >= 2 and (whole_key not in found or _only_other_languages_names_of_towns(found[whole_key])):
            last = lowered[-1]
            if last in STREET_WORDS or (tokens.kinds[end - 1] == "num" and lowered[-2] in ROAD_NUMBER_WORDS):
                site = "STREET"
            elif last in BUILDING_WORDS:
                site = "BUILDING"
            elif (last in NATURAL_WORDS or lowered[0] in ("lake", "mount", "mt", "cape", "gulf", "isle")) \
                    and tokens.kinds[end - 1] != "num":
                site = "FEATURE"
        if site is not None and not (site != "STREET" and matches and matches[0][0] <= start + (words[start] == "The")
                                     and _significant_place(matches[0][3])):
            yield start, end, whole_key, [], site
            return
        yield from matches

    def _gazetteer_matches(self, tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]
                           ) -> Iterator[tuple[int, int, str, list[Candidate], str]]:
        words = tokens.words
        position = start
        while position < end:
            if tokens.kinds[position] in ("punct", "poss") or _is_connector(tokens, position):
                position += 1
                continue
            match = weak = None
            for stop in range(min(end, position + MAX_NGRAM), position, -1):
                if tokens.kinds[stop - 1] in ("punct", "poss") or _is_connector(tokens, stop - 1):
                    continue
                for key in _keys_for(tokens, position, stop):
                    if key in found:
                        # a longer name known only as a small place's alternate ("Las Vegas City")
                        # gives way to a shorter one a large place bears ("Las Vegas"); not to a
                        # small one ("Tell Tamer" is no "Tell")
                        if weak is None and not _bears_name_strongly(found[key]):
                            weak = (stop, key)
                        elif weak is None or _names_a_large_place(found[key]):
                            match = (stop, key)
                        break
                if match:
                    break
            match = match or weak
            if match is None:
                position += 1
                continue
            stop, key = match
            if words[position] == "The" and stop - position > 1 and _key(tokens.span_text(position + 1, stop)) in found:
                position += 1  # "The Hague" is a name; "The Kremlin" is not "the" plus a name
            before = position - 1 - (position - 1 > start and words[position - 1] == ".")
            if before >= start and words[before].lower().rstrip(".") in NAME_PREFIXES:
                position = stop  # "St. Paris", "New Salem": another place, one the gazetteer lacks
                continue
            yield position, stop, key, found[key], "GAZ"
            position = stop

    # ------------------------------------------------------------------ evidence

    def _features(self, tokens: Tokens, start: int, end: int, key: str, candidates: Sequence[Candidate], label: str,
                  run: tuple[int, int], article: _ArticleEvidence) -> dict[str, float]:
        words, n, found = tokens.words, len(tokens), article.found
        f: dict[str, float] = {"bias": 1.0}
        names = _proper_name_readings(candidates)
        if label == "GAZ":
            if names:
                f["in_gazetteer"] = 1.0
            else:
                f["adjective_only"] = 1.0
                if words[end - 1].lower().endswith("s"):
                    f["plural_adjective"] = 1.0
        elif label == "STREET":
            f["street"] = 1.0
        elif label == "BUILDING":
            f["building"] = 1.0
        else:
            f["natural"] = 1.0
        population = max((c.place.population for c in names if c.place.is_settlement and c.name_kind != NAME_ALIAS),
                         default=0)
        if population:
            f["log_population"] = math.log10(population + 1) / 7.0
            if population >= 1_000_000:
                f["city_of_a_million"] = 1.0  # "London", "Houston": the place, unless a given name comes first
        for c in names:
            place = c.place
            if place.is_country:
                f["country"] = 1.0
            elif place.is_admin1:
                f["admin1"] = 1.0
            elif place.feature_code == "ADM2":
                f["admin2"] = 1.0
            elif place.feature_code in ("CONT", "RGN") or place.feature_class == "L":
                f["continent_or_region"] = 1.0
            elif place.feature_code in ("AIRP", "AIRB"):
                f["airport"] = 1.0
            elif place.feature_class in ("H", "T", "S"):
                f["feature"] = 1.0
            if c.name_kind == NAME_ALIAS:
                f["alias"] = 1.0
        if names and all(c.name_kind == NAME_ALTERNATE for c in names):
            f["alternate_only"] = 1.0
            if all(map(is_minor_alternate, names)):
                f["minor_alternate_only"] = 1.0
                if _sure_place_cue(tokens, start, end, found):  # read only for such names
                    f["sure_place_cue"] = 1.0
        if _conflict_cue(tokens, start, end):
            f["conflict_cue"] = 1.0
        if names:
            f["ambiguity"] = min(math.log10(len(names)), 2.0) / 2.0
        if end - start == 2:
            f["tokens_2"] = 1.0
        elif end - start > 2:
            f["tokens_3_plus"] = 1.0
        span_words = words[start:end]
        letters = "".join(ch for ch in "".join(span_words) if ch.isalpha())
        if len(letters) > 3 and letters.isupper():
            f["all_caps"] = 1.0
        if len(letters) <= 3:
            f["short"] = 1.0
            if not letters.isupper() and not DOTTED_ABBREVIATION.match(_written(tokens, start, end).replace(" ", "")):
                f["case_mismatch"] = 1.0
        if tokens.sentence_start[start]:
            f["sentence_start"] = 1.0
        previous = words[start - 1].lower() if start > 0 else ""
        before_previous = words[start - 2].lower().rstrip(".") if start > 1 else ""
        if previous in ("near", "outside") and not tokens.sentence_start[start]:
            f["near_cue"] = 1.0
        if previous in (":", "-", "—", "–", "--"):
            f["after_colon_or_dash"] = 1.0
        if previous in LOCATIVE_BEFORE:
            f["after_locative"] = 1.0
        elif previous == "of":
            f["after_of"] = 1.0
            if before_previous in ORGANISATION_WORDS:
                f["after_organisation_word"] = 1.0
        elif previous == "the":
            f["after_the"] = 1.0
        elif previous == ",":
            if start > 1 and tokens.kinds[start - 2] in ("word", "abbr") and is_name_of_place(found.get(
                    _key(words[start - 2]))):
                f["after_comma_place"] = 1.0
        if _after_title(tokens, start):
            f["after_title"] = 1.0
        if start > 0 and tokens.kinds[start - 1] == "word" and words[start - 1][:1].isupper() \
                and previous in self.given_names and not _bears_name_strongly(found.get(_key(words[start - 1]))):
            f["after_given_name"] = 1.0
        nxt = end + 1 if key.endswith(".") and end < n and words[end] == "." else end  # "(Ga.)": after the period
        after = words[nxt].lower() if nxt < n else ""
        if tokens.sentence_start[start] and nxt < n and words[nxt] in ("—", "–", "--", "-", "(", ",") \
                and (f.get("all_caps") or start == 0 or "\n" in tokens.text[max(0, tokens.starts[start] - 2):tokens.starts[start]]):
            f["dateline"] = 1.0  # "HOUSTON (AP) -", "WINNIPEG —", "PLEASANTON, Calif."
        elif tokens.sentence_start[start] and f.get("all_caps") and nxt < n and tokens.kinds[nxt] == "word" \
                and words[nxt][:1].isupper() and not words[nxt].isupper():
            f["dateline"] = 1.0  # "OKLAHOMA CITY The Latest on ...": the capitals end where the story starts
        if nxt < n and tokens.kinds[nxt] == "word" and words[nxt][:1].isupper() and nxt < run[1]:
            following_key = _key(words[nxt])
            if following_key not in found and after not in ORGANISATION_WORDS and after not in PLACE_NOUNS:
                f["before_capitalised_word"] = 1.0
            if after in self.surnames and end - start == 1 and after not in _NOT_A_SURNAME_AFTER_A_NAME:
                f["before_surname"] = 1.0  # "Paris Hilton", "Lincoln Chafee": a person's first name
        if after in SPEECH_VERBS:
            f["before_speech_verb"] = 1.0
        if names_region_or_country(_after_comma(tokens, nxt, found)):
            f["before_comma_region"] = 1.0
        if after in PLACE_NOUNS:
            f["before_place_noun"] = 1.0
        if after in ORGANISATION_WORDS and after not in PLACE_NOUNS:
            f["before_organisation_word"] = 1.0
        if after in ("'s", "’s"):
            f["before_possessive"] = 1.0
        if nxt < n and tokens.kinds[nxt] == "num":
            f["before_number"] = 1.0
        if (start > 0 and words[start - 1] == "-" and tokens.ends[start - 1] == tokens.starts[start]) or (
                end < n and words[end] == "-" and tokens.starts[end] == tokens.ends[end - 1]):
            f["hyphenated"] = 1.0
        if run[1] - run[0] > end - start:
            f["in_longer_run"] = 1.0
            if _run_has_organisation_word(tokens, run):
                f["run_has_organisation_word"] = 1.0
        if end - start == 1:
            word = span_words[0].lower()
            if word in self.given_names:
                f["given_name"] = 1.0
            if word in self.surnames:
                f["surname"] = 1.0
            if word in self.common_words:
                f["common_word"] = 1.0
        if article.key_counts[key] > 1:
            f["repeated"] = 1.0
        if key in article.keys_cued:
            f["cued_elsewhere"] = 1.0
        if key in article.keys_of_people:
            f["person_elsewhere"] = 1.0  # "President Obama ... the Obama administration"
        if previous == "(" and after == ")":
            f["in_parentheses"] = 1.0
        if _in_list_of_places(tokens, start, end, found):
            f["in_list_of_places"] = 1.0
        return f


# ---------------------------------------------------------------------------- helpers


def _is_capitalised(tokens: Tokens, index: int) -> bool:
    kind, word = tokens.kinds[index], tokens.words[index]
    if kind == "abbr":
        return True
    return kind == "word" and word[0].isupper() and (len(word) > 1 or _followed_by_period(tokens, index))


def _followed_by_period(tokens: Tokens, index: int) -> bool:
    return index + 1 < len(tokens) and tokens.words[index + 1] == "." and tokens.starts[index + 1] == tokens.ends[index]


def _is_connector(tokens: Tokens, index: int) -> bool:
    return tokens.kinds[index] == "word" and tokens.words[index] in RUN_CONNECTORS


def _capitalised_runs(tokens: Tokens, capitalised: Sequence[bool]) -> list[tuple[int, int]]:
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


#: Words that follow a place in an organisation's or a place's name, whatever surnames they match.
_NOT_A_SURNAME_AFTER_A_NAME = ORGANISATION_WORDS | PLACE_NOUNS
#: Lowercase words inside a name: "Trinidad and Tobago", "Democratic Republic of the Congo".
_NAME_LINKS = (("and",), ("the",), ("of", "the"), ("and", "the"))


def _linked_runs(tokens: Tokens, runs: Sequence[tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Key -> span of two neighbouring runs joined by a lowercase link, to look up as one name."""
    linked = {}
    for (a_start, a_end), (b_start, b_end) in zip(runs, runs[1:]):
        if tuple(tokens.words[a_end:b_start]) in _NAME_LINKS:
            linked[_key(tokens.span_text(a_start, b_end))] = (a_start, b_end)
    return linked


def _join_linked_runs(runs: list[tuple[int, int]], linked: dict[str, tuple[int, int]],
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
_LIST_SEPARATORS = frozenset({",", "and", "or", "&"})


def _listed_divisions(tokens: Tokens, runs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
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
            listed[run] = f"{_key(tokens.span_text(*run))} {singular}"
            position = run[0] - 1
            while position >= 0 and words[position] in _LIST_SEPARATORS:
                position -= 1
            if position == run[0] - 1 or position < 0:
                break
            run = run_ending_at.get(position + 1)
        position = index + 1
        while position < len(words) and words[position] in _LIST_OPENERS:
            position += 1
        run = run_starting_at.get(position) if position > index + 1 else None
        while run is not None:
            listed[run] = f"{_key(tokens.span_text(*run))} {singular}"
            position = run[1]
            while position < len(words) and words[position] in _LIST_SEPARATORS:
                position += 1
            run = run_starting_at.get(position) if position > run[1] else None
    return listed


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """Keys repeat within and across articles ("Texas", "New York"): normalise each text once."""
    return normalize_name(text)


def _keys_for(tokens: Tokens, start: int, end: int) -> Iterator[str]:
    """The key of a span, and first its dotted form when a period follows ("Va." before "Va").
    A word in capitals before a period ends a sentence ("... in the UAE."): it is no "U.A.E."."""
    single_capitals = end - start == 1 and tokens.words[start].isupper()
    if _followed_by_period(tokens, end - 1) and end - start <= 3 and not single_capitals:
        dotted = tokens.text[tokens.starts[start]:tokens.ends[end - 1] + 1]
        if DOTTED_ABBREVIATION.match(dotted.replace(" ", "")):
            yield _key(dotted)
    yield _key(tokens.span_text(start, end))


def _written(tokens: Tokens, start: int, end: int) -> str:
    """The span as written, with the period of an abbreviation glued to it ("Ind.")."""
    return tokens.text[tokens.starts[start]:tokens.ends[end - 1] + _followed_by_period(tokens, end - 1)]


def _maybe_dotted(tokens: Tokens, index: int) -> str:
    if _followed_by_period(tokens, index):
        return tokens.text[tokens.starts[index]:tokens.ends[index] + 1]
    return tokens.words[index]


def _ngram_keys(tokens: Tokens, start: int, end: int) -> Iterator[str]:
    for i in range(start, end):
        for j in range(i + 1, min(end, i + MAX_NGRAM) + 1):
            yield from _keys_for(tokens, i, j)
    # the word after a comma that follows a run: "Alexandria, Va." is read by the qualifier feature
    if end + 1 < len(tokens) and tokens.words[end] == ",":
        yield _key(_maybe_dotted(tokens, end + 1))


def _run_has_organisation_word(tokens: Tokens, run: tuple[int, int]) -> bool:
    # runs are short in news; a hostile text may make one run of a million words, so look at
    # most at the words near a name rather than the whole run for each name in it
    start, end = run
    if end - start > 4 * MAX_NGRAM:
        return False
    return any(w.lower().rstrip(".") in ORGANISATION_WORDS for w in tokens.words[start:end])


def _names_something_else(tokens: Tokens, end: int, key: str, written: str, candidates: Sequence[Candidate],
                          found: dict[str, list[Candidate]]) -> bool:
    """A gazetteer name that the words around it show to be no place, whatever the filter would say:
    "Us" in a headline or "HIV" (short names are written in capitals, acronyms name places only
    as their abbreviations); "in March", "University", "the Liberal MPP" (a lone date, institution
    or party word, unless ", Region" follows); "US$543" (a currency); "West Nile virus" (a
    disease); "St. Patrick's Day" (a holiday)."""
    if not case_fits(written, candidates):
        return True
    if key in NOT_A_PLACE_ALONE and (not _before_comma_place(tokens, end, found) or not _bears_name_strongly(candidates)) \
            and not _the_gulf_of_gulf_states(tokens, end, key, found):
        return True
    return tokens.text.startswith("$", tokens.ends[end - 1]) or _before_disease_word(tokens, end) or _before_day(tokens, end)


def _the_gulf_of_gulf_states(tokens: Tokens, end: int, key: str, found: dict[str, list[Candidate]]) -> bool:
    """ "the Gulf" in an article that names a country on the Persian Gulf is that gulf (military
    reporting's "warships in the Gulf"); elsewhere it may be the Gulf of Mexico, and stays no place."""
    start = end - 1
    return (key == "gulf" and start > 0 and tokens.words[start - 1].lower() == "the"
            and (end >= len(tokens) or not tokens.words[end][:1].isupper())  # "the Gulf War", "the Gulf Coast"
            and any(c.place.is_country and c.place.country_code in PERSIAN_GULF_COUNTRIES
                    for candidates in found.values() for c in candidates))


def _before_day(tokens: Tokens, end: int) -> bool:
    """ "St. Patrick's Day", "Canada Day", "Columbus Day": the name is a holiday's."""
    position = end + (end < len(tokens) and tokens.kinds[end] == "poss")
    return position < len(tokens) and tokens.words[position] == "Day"


def _before_disease_word(tokens: Tokens, end: int) -> bool:
    """ "West Nile virus", "Ebola-Reston virus", "Lassa fever": the name is a disease's."""
    position = end + (end < len(tokens) and tokens.words[end] == "-")
    return position < len(tokens) and tokens.words[position].lower() in DISEASE_WORDS


def _only_other_languages_names_of_towns(candidates: Sequence[Candidate]) -> bool:
    """ "White House" is an alternate name of Casablanca (Dar el Beida): a building's or street's
    name that the gazetteer knows only as another spelling of a town names the building."""
    return all(c.name_kind == NAME_ALTERNATE and c.place.is_settlement for c in candidates)


#: A town this large named by a word of a longer name is the place the text means ("Downtown
#: Houston, Texas"); a smaller one is no more than a word of the village's name (issue 21).
LARGE_PLACE_IN_A_NAME = 100_000


def _article_joined_after_place_word(tokens: Tokens, start: int, end: int) -> bool:
    """A run joined by a hyphened Arabic article ("Boston al-Hamra") after a place word or a
    verb of war ("in", "shelled"): one name, whatever its words name alone."""
    if end - start < 4 or start == 0 or not any(tokens.words[i] in HYPHENED_ARTICLES for i in range(start + 1, end - 2)):
        return False
    previous = tokens.words[start - 1].lower()
    return (previous in SURE_PLACE_WORDS_BEFORE or previous in MILITARY_ACTION_VERBS) and not tokens.sentence_start[start]


def _words_name_other_places(tokens: Tokens, end: int, matches: Sequence, found: dict[str, list[Candidate]]) -> bool:
    """The words of a longer name that the gazetteer knows alone name no large place inside the
    area written after the name ("Wadi Bana in Taiz governorate": Wadi is a town in India;
    "Zelena Dolyna, Donetsk oblast": Zelena and Dolyna are other villages), so the whole run
    is the name, one the gazetteer lacks. Without an area written, no large place at all."""
    if any(tokens.words[i].isupper() for i in range(matches[0][0], end)):
        return False  # "Guma LGA": an area and its acronym
    areas = _area_written_after(tokens, end, found)
    for *_, candidates, label in matches:
        if any(is_area(c.place) and c.name_kind != NAME_ALTERNATE for c in candidates):
            return False  # an area's name with a word ("Guma LGA", "Donetsk People's Republic")
        for candidate in candidates:
            place = candidate.place
            if candidate.name_kind != NAME_ALTERNATE and place.population >= LARGE_PLACE_IN_A_NAME \
                    and (areas is None or any(lies_in(place, area.place) for area in areas)):
                return False
    return True


def _area_written_after(tokens: Tokens, end: int, found: dict[str, list[Candidate]]) -> list[Candidate] | None:
    """The areas named after a run and its slot noun ("X village, Sagaing region", "X in Taiz
    governorate", "X (Pokrovsk raion"), or None."""
    words, n = tokens.words, len(tokens)
    position = end + (end < n and words[end].lower() in SLOT_NOUNS_AFTER)
    if position < n and words[position] in (",", "(", "in"):
        position += 1
    else:
        return None
    if position < n and words[position].lower() == "the":
        position += 1
    for stop in range(min(n, position + 3), position, -1):
        if all(tokens.kinds[i] == "word" and words[i][:1].isupper() for i in range(position, stop)):
            areas = [c for c in found.get(_key(tokens.span_text(position, stop)), []) if is_area(c.place)]
            if areas:
                return areas
    return None


def _after_comma(tokens: Tokens, index: int, found: dict[str, list[Candidate]]) -> list[Candidate] | None:
    """The gazetteer's candidates for the word after a comma at ``index`` ("Paris, Texas")."""
    if index + 1 < len(tokens) and tokens.words[index] == ",":
        return found.get(_key(_maybe_dotted(tokens, index + 1)))
    return None


def _before_comma_place(tokens: Tokens, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The span is followed by a comma and a place's name: "March, Cambridgeshire"."""
    return (end + 1 < len(tokens) and tokens.words[end + 1][:1].isupper()
            and is_name_of_place(_after_comma(tokens, end, found)))


def _proper_name_readings(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The places a word names as a proper name. A demonym that is otherwise only the name of
    towns ("English", Indiana; "Canadian", Texas; "Spanish", Ontario) reads as the demonym: news
    writes of English courts far more often than of that town. A region keeps its name ("the
    Somali region")."""
    names = [c for c in candidates if c.name_kind != NAME_ADJECTIVE]
    if len(names) < len(candidates) and all(c.place.is_settlement for c in names):
        return []
    return names


def _bears_name_strongly(candidates: Sequence[Candidate] | None) -> bool:
    """Some place bears the name more than as a small place's alternate spelling ("Richard" and
    "Thursday" are such spellings somewhere: they stay a given name and a day)."""
    return any(not is_minor_alternate(c) for c in candidates or ())


def _names_a_large_place(candidates: Sequence[Candidate]) -> bool:
    """A country, a region, or a town of ``MINOR_PLACE_POPULATION`` people or more bears the name
    as its own ("Tell" is only another spelling of At Tall)."""
    return any(c.name_kind not in (NAME_ADJECTIVE, NAME_ALTERNATE)
               and (c.place.is_country or c.place.is_admin1 or c.place.population >= MINOR_PLACE_POPULATION)
               for c in candidates)


def _significant_place(candidates: Sequence[Candidate]) -> bool:
    return any(c.name_kind != NAME_ADJECTIVE and not is_minor_alternate(c) and (c.place.is_country or c.place.is_admin1 or c.place.feature_code == "ADM2"
                                                  or (c.place.is_settlement and c.place.population >= 1000))
               for c in candidates)


#: The surest of the cues (``LOCATIVE_WORDS``, ``PLACE_NOUNS_AFTER``) that make a name a place
#: throughout its article: "in X" here, "X" alone three sentences later.
SURE_LOCATIVE_WORDS = frozenset({"in", "near", "outside", "at"})
SURE_PLACE_NOUNS_AFTER = frozenset({"county", "residents", "police", "township", "parish"})


def _local_cue(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The words right around a span say place: "in X", "X, Texas", "X County"."""
    words, n = tokens.words, len(tokens)
    if start > 0 and words[start - 1].lower() in SURE_LOCATIVE_WORDS and not tokens.sentence_start[start]:
        return True
    if end < n and words[end].lower() in SURE_PLACE_NOUNS_AFTER:
        return True
    return names_region_or_country(_after_comma(tokens, end, found))


def _after_title(tokens: Tokens, start: int) -> bool:
    """"President Obama", "Sen. Jackson": a person's title right before the span."""
    words = tokens.words
    previous = words[start - 1].lower() if start > 0 else ""
    if previous == ".":
        previous = words[start - 2].lower() if start > 1 else ""
    return previous.rstrip(".") in PERSON_TITLES


def _person_cue(tokens: Tokens, start: int, end: int) -> bool:
    """A title before a span or "said" after it: the name is a person's here."""
    return _after_title(tokens, start) or (end < len(tokens) and tokens.words[end].lower() in SPEECH_VERBS)


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")


def _with_names_listed_between_places(candidates: Sequence[SpanCandidate], keep: list[bool], text: str) -> list[bool]:
    """``keep`` (one flag per candidate, in text order) with a name the filter doubted but listed
    between two kept places kept too: "Tampa, Orlando, Jacksonville" (Orlando is also a given
    name and a surname)."""
    listed = list(keep)
    for index in range(1, len(candidates) - 1):
        before, middle, after = candidates[index - 1:index + 2]
        if (not keep[index] and keep[index - 1] and keep[index + 1]
                and middle.kind == "name" and "in_list_of_places" in middle.features
                and _LIST_GAP.fullmatch(text, before.end, middle.start)
                and _LIST_GAP.fullmatch(text, middle.end, after.start)):
            listed[index] = True
    return listed


def _with_names_listed_after_a_conflict_cue(candidates: Sequence[SpanCandidate], keep: list[bool], text: str) -> list[bool]:
    """``keep`` with the names listed after a name that a conflict cue or a place slot keeps kept
    too: "shelled Beryslav, Tiahynka and Antonivka", "the villages of Robotyne and Verbove" (the
    cue before the first name is said of all)."""
    listed = list(keep)
    for index in range(1, len(candidates)):
        before, current = candidates[index - 1], candidates[index]
        if (not listed[index] and listed[index - 1] and current.kind == "name"
                and ("conflict_cue" in before.features or "place_slot" in before.features
                     or "listed_after_cue" in before.features or "near_cue" in before.features)
                and not any(name in current.features for name in _NOT_A_PLACE_HERE)
                and _LIST_GAP.fullmatch(text, before.end, current.start)):
            listed[index] = True
            current.features["listed_after_cue"] = 1.0
    return listed


def _in_list_of_places(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """"Becker, Clay, Douglas and Grant counties": a name between commas beside other places."""
    words, n = tokens.words, len(tokens)
    neighbours = []
    if start > 1 and words[start - 1] in (",", "and", "or"):
        neighbours.append(start - 2)
    if end + 1 < n and words[end] in (",", "and", "or"):
        neighbours.append(end + 1)
    return any(tokens.kinds[i] == "word" and words[i][:1].isupper() and is_name_of_place(found.get(_key(words[i])))
               for i in neighbours)


def _kept_by_rule(candidate: SpanCandidate) -> bool | None:
    """Readings that need no weighing: names listed with "counties" are kept; a name the
    gazetteer lacks is here only because a place slot holds it; a name known only as an
    alternate spelling of small places needs a sure place cue ("near Tell Abiad", "the village
    of Kotovka"): most such alternates are other languages' spellings that collide with English
    words and names. None: the filter decides."""
    features = candidate.features
    if "listed_division" in features or "place_slot" in features or "lowercase_region" in features:
        return True
    if "minor_alternate_only" in features and "sure_place_cue" not in features:
        return False
    if "conflict_cue" in features and not any(name in features for name in _NOT_A_PLACE_HERE):
        return True
    return None


#: Evidence that a name is a person's or a word's, which a conflict cue does not outweigh.
_NOT_A_PLACE_HERE = ("common_word", "given_name", "surname", "after_title", "after_given_name", "before_speech_verb",
                     "before_surname", "person_elsewhere", "adjective_only")


def _conflict_cue(tokens: Tokens, start: int, end: int) -> bool:
    """The words of war reporting around a name: "shelled X", "the village of X", "X village",
    "X district". Rare in other news, they keep a village the filter, fitted on local news, doubts."""
    words, n = tokens.words, len(tokens)
    previous = words[start - 1].lower() if start > 0 else ""
    if previous in MILITARY_ACTION_VERBS and not tokens.sentence_start[start] and not _before_group_noun(tokens, end):
        return True
    if previous == "of" and start > 1 and words[start - 2].lower() in ("village", "villages", "hamlet", "settlement"):
        return True
    if end < n and words[end].lower() in ("village", "raion", "hromada", "governorate", "subdistrict"):
        return True
    return _before_military_site(words, end)


#: The nouns of a military site named after its town: "Lask air base", "Hotan airfield".
SITE_NOUNS_AFTER = frozenset({"airbase", "airfield", "airstrip", "aerodrome", "garrison", "cantonment"})
SITE_NOUN_PAIRS = frozenset({("air", "base"), ("air", "field"), ("naval", "base"), ("military", "base"),
                             ("air", "station"), ("naval", "station"), ("training", "ground"), ("training", "area")})


def _before_military_site(words: Sequence[str], end: int) -> bool:
    """"Lask air base", "the Hotan airfield": a base takes its town's name, so the name is the town's."""
    if end < len(words) and words[end].lower() in SITE_NOUNS_AFTER:
        return True
    return end + 1 < len(words) and (words[end].lower(), words[end + 1].lower()) in SITE_NOUN_PAIRS


def _minor_alternate_out_of_place(tokens: Tokens, start: int, end: int, candidates: Sequence[Candidate],
                                  found: dict[str, list[Candidate]]) -> bool:
    """A name known only as small places' alternates, with no place cue and in no list: the rule
    of ``_kept_by_rule`` would drop it; it is dropped before its evidence is weighed (most names
    of an article that are such alternates are English names: "Richard", "Sutton")."""
    names = [c for c in candidates if c.name_kind != NAME_ADJECTIVE]
    return (bool(names) and len(names) == len(candidates) and all(map(is_minor_alternate, names))
            and not (start > 0 and tokens.words[start - 1] in _LIST_SEPARATORS)
            and not _sure_place_cue(tokens, start, end, found))


def _sure_place_cue(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The words around a span surely say place: "in X", "near X", "the village of X", "X
    village", "X district", "X, Idlib"."""
    words, n = tokens.words, len(tokens)
    previous = words[start - 1].lower() if start > 0 else ""
    if _before_group_noun(tokens, end):
        return False  # "attacked Taliban members": an armed group, not a place
    if (previous in SURE_PLACE_WORDS_BEFORE or previous in MILITARY_ACTION_VERBS) and not tokens.sentence_start[start]:
        return True
    if end + 1 < n and words[end] == "in" and names_region_or_country(found.get(_key(_maybe_dotted(tokens, end + 1)))):
        return True  # "Novoselovka in Ukraine"
    if previous == "of" and start > 1 and words[start - 2].lower() in SLOT_NOUNS_BEFORE_OF:
        return True
    if end < n and words[end].lower() in SLOT_NOUNS_AFTER:
        return True
    return names_region_or_country(_after_comma(tokens, end, found))


#: Nouns after a name that make it an armed group's: "Taliban members", "Houthi fighters".
GROUP_NOUNS_AFTER = frozenset({"members", "member", "fighters", "militants", "militiamen", "rebels", "insurgents",
                               "commanders", "commander", "loyalists", "supporters", "operatives"})


def _before_group_noun(tokens: Tokens, end: int) -> bool:
    return end < len(tokens) and tokens.words[end].lower() in GROUP_NOUNS_AFTER


_WORKER_RECOGNIZER: GazetteerRecognizer | None = None


def _recognize_in_worker(text: str) -> list[Mention]:
    assert _WORKER_RECOGNIZER is not None
    return _WORKER_RECOGNIZER(text)
