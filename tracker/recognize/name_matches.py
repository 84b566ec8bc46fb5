"""What a capitalised run names: gazetteer matches, longest name first ("St. Paris" is not
Paris); a street, road, building or natural feature ("Royal Street", "Highway 10", "Barclays
Center") as a ``site``; and a place slot ("the village of X", "near X", "X, Kherson region") that
holds a name the gazetteer lacks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from tracker.gazetteer.index import (MINOR_PLACE_POPULATION, NAME_ADJECTIVE, NAME_ALTERNATE, Candidate,
                                     is_minor_alternate)
from tracker.recognize.cues import (AREA_WORDS_AFTER, CALENDAR_WORDS, MILITARY_ACTION_VERBS, PHYSICAL_FEATURE_WORDS,
                                    POLITICAL_WORDS, SLOT_NOUNS_AFTER, SLOT_NOUNS_BEFORE_OF, SURE_PLACE_WORDS_BEFORE,
                                    names_region_or_country)
from tracker.recognize.name_runs import (HYPHENED_ARTICLES, LIST_SEPARATORS, MAX_NGRAM, ROAD_NUMBER_WORDS, is_connector,
                                         keys_for, maybe_dotted, name_key)
from tracker.recognize.tokens import Tokens
from tracker.recognize.written_areas import is_area, lies_in


PERSON_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "gov", "governor", "rep", "president", "judge", "officer",
    "sheriff", "coach", "minister", "mayor", "chief", "sgt", "lt", "capt", "gen", "col", "prof", "rev",
    "pastor", "father", "sister", "brother", "king", "queen", "prince", "princess", "lord", "lady", "sir",
    "deputy", "detective", "trooper", "attorney", "secretary", "commissioner", "councilman", "councilwoman",
    "chairman", "director", "manager", "superintendent", "spokesman", "spokeswoman", "actor", "actress",
    "singer", "star", "player", "quarterback", "pitcher", "striker", "defender", "midfielder", "goalkeeper",
})
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
#: The longest run read as the name of a place the gazetteer lacks ("the village of X").
MAX_SLOT_WORDS = 3
#: The words before a run that may open a place slot: "of" ("the village of X"), "near", "outside".
_SLOT_WORDS_BEFORE = frozenset({"of", "near", "outside"})


class KnownWords(Protocol):
    """The word lists a name is read against (``GazetteerRecognizer`` holds them): lowercase
    common English words, given names and surnames."""

    common_words: frozenset[str]
    given_names: frozenset[str]
    surnames: frozenset[str]


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


def bears_name_strongly(candidates: Sequence[Candidate] | None) -> bool:
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


def minor_alternate_out_of_place(tokens: Tokens, start: int, end: int, candidates: Sequence[Candidate],
                                  found: dict[str, list[Candidate]]) -> bool:
    """A name known only as small places' alternates, with no place cue and in no list: the rule
    of ``kept_by_rule`` would drop it; it is dropped before its evidence is weighed (most names
    of an article that are such alternates are English names: "Richard", "Sutton")."""
    names = [c for c in candidates if c.name_kind != NAME_ADJECTIVE]
    return (bool(names) and len(names) == len(candidates) and all(map(is_minor_alternate, names))
            and not (start > 0 and tokens.words[start - 1] in LIST_SEPARATORS)
            and not has_sure_place_cue(tokens, start, end, found))


def with_place_slots(known: KnownWords, tokens: Tokens, runs: Sequence[tuple[int, int]], spans: list, found: dict[str, list[Candidate]]) -> list:
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
                or slots and start > 1 and words[start - 1] in LIST_SEPARATORS
                or _article_joined_after_place_word(tokens, start, end)):
            continue
        matches = [match for match, _ in by_run.get((start, end), [])]
        if any(label != "GAZ" for *_, label in matches):
            continue  # a street, a building, a feature
        words_start = place_slot(known, tokens, start, end, matches, found)
        if words_start is None and not matches and listed_after_slot(known, tokens, start, end, slots):
            words_start = start  # "the villages of Robotyne and Klishchiivka"
        if words_start is not None:
            slots[(start, end)] = ((words_start, end, name_key(tokens.span_text(words_start, end)), [], "SLOT"), (start, end))
    if not slots:
        return spans
    for start, end in reversed(runs):  # "Bila Hora and Zelena Dolyna, Donetsk oblast": the names before
        if (start, end) not in slots and listed_before_slot(known, tokens, start, end, slots, by_run, found):
            slots[(start, end)] = ((start, end, name_key(tokens.span_text(start, end)), [], "SLOT"), (start, end))
    kept = [span for span in spans if span[1] not in slots]
    return sorted(kept + list(slots.values()), key=lambda span: span[0][0])


def place_slot(known: KnownWords, tokens: Tokens, start: int, end: int, matches: list, found: dict[str, list[Candidate]]) -> int | None:
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
              or (end < n and words[end] == "," and before_comma_area(tokens, end, found))
              # "shelled Wadi Bana in Taiz governorate", "in Qaifa (Al Bayda governorate)"; not
              # "the March for Babies in DeKalb County"
              or (end < n and words[end] in ("(", "in") and (previous in SURE_PLACE_WORDS_BEFORE
                                                             or previous in MILITARY_ACTION_VERBS)
                  and before_comma_area(tokens, end, found)))
    # "in Boston al-Hamra orchards": the article joins the words into one name, none alone
    joined = _article_joined_after_place_word(tokens, start, end) \
        and not any(match[0] == start and match[1] == end for match in matches)
    strong = strong or joined
    name_words = [i for i in range(start, end) if words[i] != "-" and words[i] not in HYPHENED_ARTICLES]
    if not (strong or near) or len(name_words) > MAX_SLOT_WORDS \
            or any(tokens.kinds[i] != "word" and words[i] != "-" for i in range(start, end)):
        return None
    several = end - start >= 2
    if matches and not named_in_part(known, tokens, start, end, matches, found) \
            and not (strong and several and (joined or _words_name_other_places(tokens, end, matches, found))):
        return None
    lowered = [words[i].lower() for i in name_words]
    if any(w in NOT_A_PLACE_ALONE or w in PERSON_TITLES for w in lowered):
        return None
    if end < n and tokens.kinds[end] == "poss":
        return None  # "near Smith's house"
    # a name of several words in a firm slot may hold a word ("Kyauk Ye village"), not only words
    if strong and (not any(w in known.common_words for w in lowered)
                   or several and not all(w in known.common_words for w in lowered)):
        return start
    if near and not any(w in known.common_words or w in known.given_names or w in known.surnames for w in lowered):
        return start
    return None


def listed_after_slot(known: KnownWords, tokens: Tokens, start: int, end: int, slots: dict) -> bool:
    """The run follows a place slot's name in a list ("X, Y and Z"), and is no known word."""
    words = tokens.words
    position = start - 1
    while position >= 0 and words[position] in LIST_SEPARATORS:
        position -= 1
    if position == start - 1 or end - start > MAX_SLOT_WORDS:
        return False
    if not any(run_end == position + 1 for _, run_end in slots):
        return False
    lowered = [w.lower() for w in words[start:end]]
    return all(tokens.kinds[i] == "word" for i in range(start, end)) and not any(
        w in known.common_words or w in known.given_names or w in known.surnames or w in NOT_A_PLACE_ALONE
        for w in lowered)


def listed_before_slot(known: KnownWords, tokens: Tokens, start: int, end: int, slots: dict, by_run: dict,
                        found: dict[str, list[Candidate]]) -> bool:
    """The run comes before a place slot's name in a list ("Bila Hora and Zelena Dolyna,
    Donetsk oblast"), is no known word nor person, and is a name of several words whose
    words name no large place, or one the gazetteer lacks."""
    words, n = tokens.words, len(tokens)
    position = end
    while position < n and words[position] in LIST_SEPARATORS:
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
        w in NOT_A_PLACE_ALONE or w in PERSON_TITLES or w in known.given_names for w in lowered) \
        and not all(w in known.common_words or w in known.surnames for w in lowered)


def named_in_part(known: KnownWords, tokens: Tokens, start: int, end: int, matches: list, found: dict[str, list[Candidate]]) -> bool:
    """The gazetteer names only part of the run and the words it leaves are no known words nor
    acronyms ("Guma LGA" is Guma's local government area): "Sultan Abdallah", "Ain Eissa"."""
    covered = {i for match_start, match_end, *_ in matches for i in range(match_start, match_end)}
    if not covered or all(start <= i < end for i in covered) and covered >= set(range(start, end)):
        return False
    rest = [tokens.words[i] for i in range(start, end) if i not in covered]
    return bool(rest) and not any(name_key(word) in found or word.isupper() or word.lower() in known.common_words
                                  or word.lower() in ORGANISATION_WORDS or word.lower() in BUILDING_WORDS
                                  or word.lower() in known.given_names for word in rest)


def before_comma_area(tokens: Tokens, end: int, found: dict[str, list[Candidate]]) -> bool:
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
            return name_key(tokens.span_text(end + 1, stop)) in found
        if not (tokens.kinds[stop] == "word" and words[stop][:1].isupper()):
            return False
    return False


def matches_in_run(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]],
                    listed: dict[tuple[int, int], str]) -> Iterator[tuple[int, int, str, list[Candidate], str]]:
    words = tokens.words
    division = listed.get((start, end))
    if division in found:  # "Walton" in "Walton and Oconee counties" is Walton County
        yield start, end, division, found[division], "GAZ"
        return
    matches = list(gazetteer_matches(tokens, start, end, found))
    # a street, road, building or natural feature named by the whole run: "Royal Street",
    # "Highway 10", "Barclays Center", "Lake Robinson". A town at the head of a building's
    # name ("Mount Pleasant High School") is the place the article names.
    lowered = [w.lower().rstrip(".") for w in words[start:end]]
    whole_key = name_key(tokens.span_text(start, end))
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


def gazetteer_matches(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]
                       ) -> Iterator[tuple[int, int, str, list[Candidate], str]]:
    words = tokens.words
    position = start
    while position < end:
        if tokens.kinds[position] in ("punct", "poss") or is_connector(tokens, position):
            position += 1
            continue
        match = weak = None
        for stop in range(min(end, position + MAX_NGRAM), position, -1):
            if tokens.kinds[stop - 1] in ("punct", "poss") or is_connector(tokens, stop - 1):
                continue
            for key in keys_for(tokens, position, stop):
                if key in found:
                    # a longer name known only as a small place's alternate ("Las Vegas City")
                    # gives way to a shorter one a large place bears ("Las Vegas"); not to a
                    # small one ("Tell Tamer" is no "Tell")
                    if weak is None and not bears_name_strongly(found[key]):
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
        if words[position] == "The" and stop - position > 1 and name_key(tokens.span_text(position + 1, stop)) in found:
            position += 1  # "The Hague" is a name; "The Kremlin" is not "the" plus a name
        before = position - 1 - (position - 1 > start and words[position - 1] == ".")
        if before >= start and words[before].lower().rstrip(".") in NAME_PREFIXES:
            position = stop  # "St. Paris", "New Salem": another place, one the gazetteer lacks
            continue
        yield position, stop, key, found[key], "GAZ"
        position = stop


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
            areas = [c for c in found.get(name_key(tokens.span_text(position, stop)), []) if is_area(c.place)]
            if areas:
                return areas
    return None


def after_comma(tokens: Tokens, index: int, found: dict[str, list[Candidate]]) -> list[Candidate] | None:
    """The gazetteer's candidates for the word after a comma at ``index`` ("Paris, Texas")."""
    if index + 1 < len(tokens) and tokens.words[index] == ",":
        return found.get(name_key(maybe_dotted(tokens, index + 1)))
    return None


def has_sure_place_cue(tokens: Tokens, start: int, end: int, found: dict[str, list[Candidate]]) -> bool:
    """The words around a span surely say place: "in X", "near X", "the village of X", "X
    village", "X district", "X, Idlib"."""
    words, n = tokens.words, len(tokens)
    previous = words[start - 1].lower() if start > 0 else ""
    if before_group_noun(tokens, end):
        return False  # "attacked Taliban members": an armed group, not a place
    if (previous in SURE_PLACE_WORDS_BEFORE or previous in MILITARY_ACTION_VERBS) and not tokens.sentence_start[start]:
        return True
    if end + 1 < n and words[end] == "in" and names_region_or_country(found.get(name_key(maybe_dotted(tokens, end + 1)))):
        return True  # "Novoselovka in Ukraine"
    if previous == "of" and start > 1 and words[start - 2].lower() in SLOT_NOUNS_BEFORE_OF:
        return True
    if end < n and (words[end].lower() in SLOT_NOUNS_AFTER or words[end].lower() in AREA_NOUNS_AFTER):
        return True  # "X district"; "the Bialowieza region", "the Shakargarh sector"
    return names_region_or_country(after_comma(tokens, end, found))


#: Area words after a name that make a known name a place ("the Bialowieza region"). They are no
#: slot nouns: a run the gazetteer lacks before them is not read as a new place ("the South of
#: Rostov region" stays Rostov's region).
AREA_NOUNS_AFTER = frozenset({"region", "sector"})


#: Nouns after a name that make it an armed group's: "Taliban members", "Houthi fighters".
GROUP_NOUNS_AFTER = frozenset({"members", "member", "fighters", "militants", "militiamen", "rebels", "insurgents",
                               "commanders", "commander", "loyalists", "supporters", "operatives"})


def before_group_noun(tokens: Tokens, end: int) -> bool:
    return end < len(tokens) and tokens.words[end].lower() in GROUP_NOUNS_AFTER
