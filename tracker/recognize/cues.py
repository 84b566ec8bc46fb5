"""What both toponym recognisers read around a name: word lists and gazetteer predicates.

The spaCy recogniser (``toponyms.py``) uses them as rules; the gazetteer recogniser
(``gazetteer_toponyms.py``) turns them into features of its filter, with a few more words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.gazetteer.index import NAME_ADJECTIVE, NAME_ALIAS, NAME_ALTERNATE, Candidate, is_minor_alternate

#: "Va.", "N.Y.", "W.Va.": dotted abbreviations may stand in a capitalised run.
DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.)+$")
#: Lowercase words that join the parts of a name ("Stratford upon Avon", "La Paz de Ayacucho").
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "upon", "on", "am", "sur", "da", "do", "dos"})
#: Words before a name that say place: "in X", "near X".
LOCATIVE_WORDS = frozenset({"in", "of", "from", "to", "near", "at", "outside", "around", "across", "into",
                            "toward", "towards", "through", "between", "throughout"})
#: Words after a name that say place: "X police", "X residents", and in war reporting "the
#: Shakargarh sector", "the Kupiansk front".
PLACE_NOUNS_AFTER = frozenset({"area", "police", "county", "city", "residents", "resident", "officials",
                               "council", "mayor", "native", "man", "woman", "boy", "girl", "schools",
                               "school", "district", "township", "suburb", "region", "province", "airport",
                               "sector", "front"})
#: Words that make a name a physical feature: "Red River", "Lake Robinson".
PHYSICAL_FEATURE_WORDS = frozenset({
    "river", "creek", "lake", "mountain", "mountains", "mount", "mt", "hill", "hills", "valley", "island",
    "islands", "bay", "sea", "gulf", "strait", "desert", "forest", "plateau", "peninsula", "canyon",
    "ridge", "basin", "delta", "coast", "cape", "heights", "falls", "glacier", "ocean", "lagoon",
})


#: Months, weekdays and holidays: "in March" and "at Christmas" are dates, though March
#: (Cambridgeshire) and Christmas (Florida) are towns. Only "March, Cambridgeshire" names the town.
CALENDAR_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "christmas", "easter", "halloween", "thanksgiving", "ramadan", "eid", "hanukkah", "passover", "diwali",
    # abbreviated months: "in Nov. 2015" (Nov is a town in Tajikistan)
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})


#: Parties and institutions: "the Liberal MPP", "a Green councillor", "Federal agents", though
#: Liberal (Kansas), Green (Ohio) and Federal (Argentina) are towns.
POLITICAL_WORDS = frozenset({
    "liberal", "conservative", "republican", "democrat", "democratic", "labour", "labor", "socialist",
    "communist", "green", "reform", "federal", "royal", "national",
})


#: Words after which a place's name names a disease: "West Nile virus", "Marburg virus", "Lassa
#: fever", "Minamata disease" are no mention of the Nile, Marburg, Lassa or Minamata.
DISEASE_WORDS = frozenset({"virus", "viruses", "fever", "disease", "encephalitis", "syndrome"})


def is_name_of_place(candidates: Sequence[Candidate] | None) -> bool:
    """The name (not only an adjective such as "Syrian", nor only a small place's alternate
    spelling such as "Richard") of some place."""
    return bool(candidates) and any(c.name_kind != NAME_ADJECTIVE and not is_minor_alternate(c)
                                    for c in candidates)  # type: ignore[union-attr]


def names_region_or_country(candidates: Sequence[Candidate] | None) -> bool:
    """A country's or a first-level region's name: what follows a town in "Paris, Texas"."""
    return any(c.name_kind != NAME_ADJECTIVE and (c.place.is_admin1 or c.place.is_country) for c in candidates or ())


def case_fits(text: str, candidates: Sequence[Candidate]) -> bool:
    """Short names must be written in capitals: "US" is a country, "Us" in a headline is not. And a
    short word in capitals is an acronym: it names a place only as that place's own abbreviation
    ("US", "UAE", "NSW"), never as a town's name ("HIV" is not Hiv, "SOS" not Sos, "UN" not Un)."""
    letters = [ch for ch in text if ch.isalpha()]
    if DOTTED_ABBREVIATION.match(text.replace(" ", "")):
        return True
    if len(letters) <= 3 and all(ch.isupper() for ch in letters):
        return any(c.name_kind == NAME_ALIAS or c.place.name == text
                   or (c.name_kind == NAME_ALTERNATE and not c.place.is_settlement) for c in candidates)
    if len(letters) > 3 or all(ch.isupper() for ch in letters):
        return True
    return any(c.place.name == text and c.place.population >= 5000 for c in candidates)


#: Nouns before "of" that say the name after them is a settlement or area: "the village of X".
SLOT_NOUNS_BEFORE_OF = frozenset({"village", "villages", "town", "towns", "hamlet", "settlement", "settlements",
                                  "city", "outskirts", "district", "area", "municipality", "suburb", "township"})
#: Nouns after a name that say it is a settlement or a division: "X village", "X district".
SLOT_NOUNS_AFTER = frozenset({"village", "district", "raion", "subdistrict", "sub-district", "governorate",
                              "oblast", "hromada", "settlement", "municipality", "township", "locality"})
#: Region words after an area's name: "X, Kherson region", "X, Idlib province".
AREA_WORDS_AFTER = frozenset({"region", "oblast", "province", "governorate", "district", "raion", "county", "state",
                              "prefecture", "area"})
#: Words before a name that surely say place: "in X", "near X", "outside X".
SURE_PLACE_WORDS_BEFORE = frozenset({"in", "near", "outside", "at", "around", "toward", "towards", "into"})
#: Verbs of war whose object is a place: "shelled X", "retook X", "captured X".
MILITARY_ACTION_VERBS = frozenset({"shelled", "retook", "recaptured", "captured", "seized", "liberated", "stormed",
                                   "besieged", "bombed", "bombarded", "struck", "attacked", "entered", "encircled",
                                   "surrounded", "overran", "took", "hit", "targeted", "evacuated", "abandoned"})
#: Verbs that move or hold forces, whose place follows a preposition: "deployed to X", "arrived
#: in X", "stationed at X". Like the verbs of war above, they keep a name the filter, fitted on
#: local news, doubts ("sent to Misrata", "landed at Leh").
DEPLOYMENT_VERBS = frozenset({"deployed", "redeployed", "sent", "moved", "arrived", "stationed", "based", "transferred",
                              "flown", "landed", "relocated", "docked", "dispatched", "rushed", "positioned",
                              "sailed", "redeploying", "deploying", "deploy", "arriving"})
DEPLOYMENT_PREPOSITIONS = frozenset({"to", "in", "at", "into", "near"})
#: Regions of military reporting that prose writes in lowercase, with the key of their curated
#: feature: "NATO's eastern flank", "the eastern flank of NATO".
LOWERCASE_REGIONS = (
    (re.compile(r"\b(?:NATO['’]s\s+eastern\s+flank|eastern\s+flank\s+of\s+(?:the\s+)?(?:NATO|Alliance|alliance))\b"),
     "nato eastern flank"),
)
#: A direction written in lowercase before a name: "the eastern Mediterranean", "the western
#: Pacific". The pair is one name when the gazetteer has it (a curated region of reporting).
DIRECTIONAL_NAME = re.compile(r"\b(?:eastern|western|northern|southern|north-eastern|north-western|"
                              r"south-eastern|south-western|northeastern|northwestern|southeastern|southwestern)"
                              r"\s+[A-Z][a-z]+\b")
#: The countries on the Persian Gulf: an article naming one means that gulf by "the Gulf".
PERSIAN_GULF_COUNTRIES = frozenset({"IR", "IQ", "KW", "SA", "BH", "QA", "AE", "OM"})
