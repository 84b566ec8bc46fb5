"""The evidence an analyst reads around a name, as the named features the filter weighs:

* what the gazetteer says: a country, a region, a county, a town of some size, an alias such as
  "Va." or "U.S.", a demonym such as "Syrian";
* the words around it: "in", "near", "outside" before it; ", Texas", "County", "police",
  "residents" after it; a title ("Sen.", "Mr.") or a given name before it and "said" after it,
  which say person; "University", "Department" beside it, which say organisation;
* the word itself: a common English word ("Mobile", "Reading"), a given name or surname
  ("Henry", "Clinton"), a sentence's first word, a word in capitals;
* the article: the same name elsewhere in it after "in" or before ", Texas".

The features are properties of text and gazetteer, never particular words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker.gazetteer.index import NAME_ADJECTIVE, NAME_ALIAS, NAME_ALTERNATE, Candidate, is_minor_alternate
from tracker.recognize.cues import (DEPLOYMENT_PREPOSITIONS, DEPLOYMENT_VERBS, DISEASE_WORDS, DOTTED_ABBREVIATION,
                                    LOCATIVE_WORDS, MILITARY_ACTION_VERBS,
                                    PERSIAN_GULF_COUNTRIES, PLACE_NOUNS_AFTER, case_fits, is_name_of_place,
                                    names_region_or_country)
from tracker.recognize.name_matches import (NOT_A_PLACE_ALONE, ORGANISATION_WORDS, PERSON_TITLES, KnownWords,
                                            after_comma, bears_name_strongly, before_group_noun, has_sure_place_cue)
from tracker.recognize.name_runs import MAX_NGRAM, name_key, written_text
from tracker.recognize.tokens import Tokens


#: "of" is left out: it is a feature of its own (a place after "of", unless "University of").
LOCATIVE_BEFORE = (LOCATIVE_WORDS - {"of"}) | {"inside", "within", "via", "nearby", "off"}  # "off Brittany": its coast
PLACE_NOUNS = PLACE_NOUNS_AFTER | {
    "natives", "teen", "governorate", "oblast", "state", "village", "town", "metro", "parish", "borough",
    "neighborhood", "neighbourhood", "border", "coast", "authorities", "government", "capital",
}
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "wrote", "asked", "explained", "noted", "stated",
                          "announced", "replied", "tweeted", "argued", "continued", "believes", "thinks"})
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
#: Flags beside the features that rules read, not the filter (``kept_by_rule``): a name known only
#: as small places' alternates, a sure place cue around it, a place slot, a lowercase region.
RULE_FLAGS = ("minor_alternate_only", "sure_place_cue", "conflict_cue", "place_slot", "lowercase_region",
              "listed_after_cue", "near_cue")


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
class ArticleEvidence:
    """What the whole article says about its names, read once per article."""

    found: dict[str, list[Candidate]]
    key_counts: Counter[str]
    keys_cued: frozenset[str]         # named somewhere with a place cue ("in X", "X, Texas")
    keys_of_people: frozenset[str]    # named somewhere as a person ("President X", "X said")


#: Words that follow a place in an organisation's or a place's name, whatever surnames they match.
_NOT_A_SURNAME_AFTER_A_NAME = ORGANISATION_WORDS | PLACE_NOUNS


def _run_has_organisation_word(tokens: Tokens, run: tuple[int, int]) -> bool:
    # runs are short in news; a hostile text may make one run of a million words, so look at
    # most at the words near a name rather than the whole run for each name in it
    start, end = run
    if end - start > 4 * MAX_NGRAM:
        return False
    return any(w.lower().rstrip(".") in ORGANISATION_WORDS for w in tokens.words[start:end])


def names_something_else(tokens: Tokens, end: int, key: str, written: str, candidates: Sequence[Candidate],
                          found: dict[str, list[Candidate]]) -> bool:
    """A gazetteer name that the words around it show to be no place, whatever the filter would say:
    "Us" in a headline or "HIV" (short names are written in capitals, acronyms name places only
    as their abbreviations); "in March", "University", "the Liberal MPP" (a lone date, institution
    or party word, unless ", Region" follows); "US$543" (a currency); "West Nile virus" (a
    disease); "St. Patrick's Day" (a holiday)."""
    if not case_fits(written, candidates):
        return True
    if key in NOT_A_PLACE_ALONE and (not _before_comma_place(tokens, end, found) or not bears_name_strongly(candidates)) \
            and not _the_gulf_of_gulf_states(tokens, end, key, found):
        return True
    return tokens.text.startswith("$", tokens.ends[end - 1]) or _before_disease_word(tokens, end) or _before_day(tokens, end) \
        or _before_time_word(tokens, end)


def _before_time_word(tokens: Tokens, end: int) -> bool:
    """ "Greenwich Mean Time", "Moscow time", "Eastern Standard Time": the name is a clock's, and
    gives the article no place (a strike report's "Greenwich" made Palmyra a town in Pennsylvania)."""
    words = [w.lower() for w in tokens.words[end:end + 2]]
    return bool(words) and (words[0] == "time" or len(words) == 2 and words[1] == "time"
                            and words[0] in ("mean", "standard", "daylight", "summer"))


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


def _before_comma_place(tokens: Tokens, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The span is followed by a comma and a place's name: "March, Cambridgeshire"."""
    return (end + 1 < len(tokens) and tokens.words[end + 1][:1].isupper()
            and is_name_of_place(after_comma(tokens, end, found)))


def _proper_name_readings(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The places a word names as a proper name. A demonym that is otherwise only the name of
    towns ("English", Indiana; "Canadian", Texas; "Spanish", Ontario) reads as the demonym: news
    writes of English courts far more often than of that town. A region keeps its name ("the
    Somali region")."""
    names = [c for c in candidates if c.name_kind != NAME_ADJECTIVE]
    if len(names) < len(candidates) and all(c.place.is_settlement for c in names):
        return []
    return names


#: The surest of the cues (``LOCATIVE_WORDS``, ``PLACE_NOUNS_AFTER``) that make a name a place
#: throughout its article: "in X" here, "X" alone three sentences later.
SURE_LOCATIVE_WORDS = frozenset({"in", "near", "outside", "at"})
SURE_PLACE_NOUNS_AFTER = frozenset({"county", "residents", "police", "township", "parish"})


def local_cue(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The words right around a span say place: "in X", "X, Texas", "X County"."""
    words, n = tokens.words, len(tokens)
    if start > 0 and words[start - 1].lower() in SURE_LOCATIVE_WORDS and not tokens.sentence_start[start]:
        return True
    if end < n and words[end].lower() in SURE_PLACE_NOUNS_AFTER:
        return True
    return names_region_or_country(after_comma(tokens, end, found))


def _after_title(tokens: Tokens, start: int) -> bool:
    """"President Obama", "Sen. Jackson": a person's title right before the span."""
    words = tokens.words
    previous = words[start - 1].lower() if start > 0 else ""
    if previous == ".":
        previous = words[start - 2].lower() if start > 1 else ""
    return previous.rstrip(".") in PERSON_TITLES


def person_cue(tokens: Tokens, start: int, end: int) -> bool:
    """A title before a span or "said" after it: the name is a person's here."""
    return _after_title(tokens, start) or (end < len(tokens) and tokens.words[end].lower() in SPEECH_VERBS)


def _in_list_of_places(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """"Becker, Clay, Douglas and Grant counties": a name between commas beside other places."""
    words, n = tokens.words, len(tokens)
    neighbours = []
    if start > 1 and words[start - 1] in (",", "and", "or"):
        neighbours.append(start - 2)
    if end + 1 < n and words[end] in (",", "and", "or"):
        neighbours.append(end + 1)
    return any(tokens.kinds[i] == "word" and words[i][:1].isupper() and is_name_of_place(found.get(name_key(words[i])))
               for i in neighbours)


def _conflict_cue(tokens: Tokens, start: int, end: int) -> bool:
    """The words of war reporting around a name: "shelled X", "the village of X", "X village",
    "X district". Rare in other news, they keep a village the filter, fitted on local news, doubts."""
    words, n = tokens.words, len(tokens)
    previous = words[start - 1].lower() if start > 0 else ""
    if previous in MILITARY_ACTION_VERBS and not tokens.sentence_start[start] and not before_group_noun(tokens, end):
        return True
    if previous == "of" and start > 1 and words[start - 2].lower() in ("village", "villages", "hamlet", "settlement"):
        return True
    if end < n and words[end].lower() in ("village", "raion", "hromada", "governorate", "subdistrict"):
        return True
    return _before_military_site(words, end)


def _deployment_cue(tokens: Tokens, start: int, end: int) -> bool:
    """"deployed to X", "landed at X": a force's move or post names a place, in war reporting
    as after the verbs of war."""
    words = tokens.words
    if not (start > 1 and words[start - 1].lower() in DEPLOYMENT_PREPOSITIONS) or before_group_noun(tokens, end):
        return False
    # the verb right before, or a few words before with its object between: "moved two squadrons
    # of fighter jets to Leh"
    for index in range(start - 2, max(-1, start - 2 - DEPLOYMENT_OBJECT_WORDS), -1):
        word = words[index]
        if word.lower() in DEPLOYMENT_VERBS:
            return True
        if tokens.sentence_start[index] or word in (",", ";", ":", "(", ")") or tokens.kinds[index] != "word":
            return False
    return False


#: How many words may stand between a deployment verb and the preposition before the place.
DEPLOYMENT_OBJECT_WORDS = 7


#: The nouns of a military site named after its town: "Lask air base", "Hotan airfield".
SITE_NOUNS_AFTER = frozenset({"airbase", "airfield", "airstrip", "aerodrome", "garrison", "cantonment"})
SITE_NOUN_PAIRS = frozenset({("air", "base"), ("air", "field"), ("naval", "base"), ("military", "base"),
                             ("air", "station"), ("naval", "station"), ("training", "ground"), ("training", "area")})


def _before_military_site(words: Sequence[str], end: int) -> bool:
    """"Lask air base", "the Hotan airfield": a base takes its town's name, so the name is the town's."""
    if end < len(words) and words[end].lower() in SITE_NOUNS_AFTER:
        return True
    return end + 1 < len(words) and (words[end].lower(), words[end + 1].lower()) in SITE_NOUN_PAIRS


def span_features(known: KnownWords, tokens: Tokens, start: int, end: int, key: str, candidates: Sequence[Candidate], label: str,
              run: tuple[int, int], article: ArticleEvidence) -> dict[str, float]:
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
            if has_sure_place_cue(tokens, start, end, found):  # read only for such names
                f["sure_place_cue"] = 1.0
    if _conflict_cue(tokens, start, end) or label == "GAZ" and _deployment_cue(tokens, start, end):
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
        if not letters.isupper() and not DOTTED_ABBREVIATION.match(written_text(tokens, start, end).replace(" ", "")):
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
                name_key(words[start - 2]))):
            f["after_comma_place"] = 1.0
    if _after_title(tokens, start):
        f["after_title"] = 1.0
    if start > 0 and tokens.kinds[start - 1] == "word" and words[start - 1][:1].isupper() \
            and previous in known.given_names and not bears_name_strongly(found.get(name_key(words[start - 1]))):
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
        following_key = name_key(words[nxt])
        if following_key not in found and after not in ORGANISATION_WORDS and after not in PLACE_NOUNS:
            f["before_capitalised_word"] = 1.0
        if after in known.surnames and end - start == 1 and after not in _NOT_A_SURNAME_AFTER_A_NAME:
            f["before_surname"] = 1.0  # "Paris Hilton", "Lincoln Chafee": a person's first name
    if after in SPEECH_VERBS:
        f["before_speech_verb"] = 1.0
    if names_region_or_country(after_comma(tokens, nxt, found)):
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
        if word in known.given_names:
            f["given_name"] = 1.0
        if word in known.surnames:
            f["surname"] = 1.0
        if word in known.common_words:
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
