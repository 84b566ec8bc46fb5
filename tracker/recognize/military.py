"""Is an equipment word a military deployment at all? The context test.

"Vehicle", "helicopter", "plane", "boat" and "tank" are words of every kind of news: a crash, a
police chase, an airline's fleet, a flooded tank. A row needs military ownership or context, read
from evidence that holds in any article:

* the term itself: a designation written as one ("F-16", "T-72B3"), a named warship ("USS …"),
  or a kind of thing only armed forces field (howitzers, armoured vehicles, air defence, missile
  systems; fighter, attack and bomber aircraft; destroyers and frigates);
* a military word in the sentence ("army", "troops", "air base", "airstrikes", "militants"), or an
  armed owner ("ISIL", a state's forces);
* an article about military matters (military words in several sentences), for a plain term
  whose own sentence says nothing ("An additional 20 helicopters are scheduled to arrive").

And evidence against, which a weak reading does not outweigh: a civilian word beside the term
("police car", "ambulance", "airliner", "tourist helicopter", "private plane"), a sentence about
passengers or an airline, and a sentence set decades back ("in 1944").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.recognize.equipment import EquipmentMatch

#: Kinds of equipment only armed forces field.
MILITARY_CATEGORIES = frozenset({"armored_vehicle", "artillery", "air_defense", "missile"})
MILITARY_ROLES = frozenset({"fighter", "attack", "bomber", "carrier", "cruiser", "destroyer", "frigate",
                            "submarine", "landing"})
MILITARY_WORDS = re.compile(
    r"\b(?:military|militar(?:y|ies)|army|armies|armed|armou?red|troops?|soldiers?|airmen|marines?|sailors?|navy|"
    r"navies|naval|air\s?force|air\s?forces|(?:air|naval|military|army|airbase|operating)\s+bases?|airbase|"
    r"airfield|defen[cs]e\s+(?:ministry|minister|department|forces|officials?)|ministry\s+of\s+defen[cs]e|"
    r"pentagon|nato|militants?|militias?|rebels?|insurgents?|jihadists?|separatists?|combat|war|wartime|"
    r"warships?|warplanes?|battle|battlefield|front\s?lines?|offensive|invasion|invad\w+|airstrikes?|"
    r"air\s+strikes?|strikes|shelling|shelled|bombard\w*|deploy\w*|redeploy\w*|brigades?|battalions?|"
    r"regiments?|squadrons?|fleet|garrisons?|coalition|counter-?(?:isil|isis|terrorism)|isil|isis|daesh|"
    r"hezbollah|hamas|taliban|houthis?|wagner|national\s+guard|expeditionary|artillery|missiles?|"
    r"commander|general\s+staff|forces)\b",
    re.IGNORECASE)
#: Words that, beside an equipment word, make it a civilian thing.
CIVILIAN_BESIDE = re.compile(
    r"\b(?:police(?!\s+(?:[\w’']+\s+){0,2}?air\s*space)|sheriff'?s?|ambulances?|fire|firefighters?|medical|hospital|news|tourists?|tour|sightseeing|"
    r"passengers?|airlines?|airliners?|commercial|private|civilian|toy|model|rental|taxi|school|delivery(?!\s+of)|"
    r"family|personal|stolen|crop|farm|racing|emergency|rescue|utility\s+company|charter|cargo\s+airline|"
    r"recreational|hobby|camera|company|state\s+police|patrolman|highway)\b",
    re.IGNORECASE)
#: Sentences about air travel or road traffic: their planes and vehicles are not a force's.
CIVILIAN_SENTENCE = re.compile(
    r"\b(?:passengers?|airlines?|airliners?|on board|flight attendants?|crew of the flight|boarding|"
    r"motorists?|drivers?|driving|drove|traffic|crash(?:ed)? into|pickup|sedan|suv|recall(?:ed)?|"
    r"tourists?|commuters?|deput(?:y|ies)|pursuit|arrest(?:ed|s)?|suspects?|council|accident|windshield|"
    r"car\s+seat|fire\s+station|fire\s+department|firefighters?|police(?!\s+(?:[\w’']+\s+){0,2}?air\s*space)|sheriff)\b",
    re.IGNORECASE)
#: Figurative uses: "on the economic plane", "a destroyer of jobs", "a tank of water".
FIGURATIVE_BEFORE = re.compile(r"\b(?:economic|political|spiritual|moral|higher|different|same|another|intellectual|"
                               r"emotional|social|astral|cosmic|think)\s+$", re.IGNORECASE)
FIGURATIVE_AFTER = re.compile(r"\s+of\s+(?!the\s+(?:navy|army|fleet|air\s+force)\b)(?:[a-z]+\s+){0,2}?"
                              r"(?:jobs|value|wealth|worlds?|hopes?|dreams|careers?|water|fuel|gas|oil|fish|petrol|"
                              r"oxygen|propane|beer|wine|sewage|life|lives|democracy|confidence|trust)\b", re.IGNORECASE)
#: A person's service remembered: "served on a destroyer", "a veteran of the carrier".
SERVICE_MEMORY = re.compile(r"\b(?:served|serving|who\s+served|veterans?\s+of|retired\s+from)\s+(?:on|aboard|in|with)?\s*"
                            r"(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
#: The sentences of sports news: "the Winnipeg Jets beat the Raptors", "the Patriots' coach".
SPORTS_SENTENCE = re.compile(r"\b(?:coach(?:es|ed)?|playoffs?|league|NFL|NBA|NHL|MLB|MLS|quarterback|touchdown|"
                             r"stadium|championship|tournament|scored|fans|season\s+opener|home\s+game)\b")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: "since World War II", "since the end of the Cold War", "since 1991": a span reaching to now.
SINCE_AN_ERA = re.compile(r"\bsince\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:World\s+War\s+(?:I|II|One|Two)|WWI|WWII|WW2|"
                          r"(?:Vietnam|Korean|Cold|Gulf|Iraq)\s+War|(?:1[89]\d\d|20\d\d))\b")
#: A sentence set this many years or more before the article's date tells history, not a deployment.
HISTORY_YEARS = 5
#: Military words in this many sentences make an article one about military matters.
MILITARY_SENTENCES_IN_ARTICLE = 2


@dataclass(frozen=True, slots=True)
class MilitaryReading:
    military: bool
    why: str


def military_context(text: str, match: EquipmentMatch, sentence_start: int, sentence_end: int,
                     armed_owner: bool, *, article_military: bool, published_year: int | None) -> MilitaryReading:
    """Whether the equipment named by ``match`` is military, from its words, its sentence and the article."""
    sentence = text[sentence_start:sentence_end]
    before = text[max(sentence_start, match.start - 40):match.start]
    after = text[match.end:min(sentence_end, match.end + 25)]
    beside = " ".join(before.split()[-3:]) + " " + " ".join(after.split()[:1])
    if historical(sentence, published_year):
        return MilitaryReading(False, "history")
    strong = strong_term(match)
    if CIVILIAN_BESIDE.search(beside) and not match.named:
        return MilitaryReading(False, "civilian word beside")
    if not match.named and (FIGURATIVE_BEFORE.search(before) or FIGURATIVE_AFTER.match(after)):
        return MilitaryReading(False, "figurative")
    if SERVICE_MEMORY.search(before) and not match.named:
        return MilitaryReading(False, "a person's service")
    if match.text[:1].isupper() and SPORTS_SENTENCE.search(sentence) and not re.search(r"\d", match.text):
        return MilitaryReading(False, "a team's name")
    in_sentence = bool(MILITARY_WORDS.search(sentence)) or armed_owner
    if CIVILIAN_SENTENCE.search(sentence) and not strong:
        return MilitaryReading(False, "civilian sentence")
    if strong:
        return MilitaryReading(True, "military term")
    if in_sentence:
        return MilitaryReading(True, "military sentence")
    if article_military:
        return MilitaryReading(True, "military article")
    return MilitaryReading(False, "no military context")


def may_be_military(text: str, match: EquipmentMatch, sentence_start: int, sentence_end: int, toponyms,
                    actors) -> bool:
    """Before any parse: could this candidate pass ``military_context``? Only a strong term, a
    military word in its sentence, or an owner-like word just before it (a country, a demonym, an
    armed group: "Russian helicopters", "ISIL vehicles") can make it so."""
    if strong_term(match) or MILITARY_WORDS.search(text, sentence_start, sentence_end):
        return True
    window_start = max(sentence_start, match.start - 40)
    if any(window_start <= t.start < match.start for t in toponyms):
        return True
    return bool(actors.named_in(text[window_start:match.start]))


def strong_term(match: EquipmentMatch) -> bool:
    """A term only armed forces field: a designation written as one, a named warship, a
    howitzer or an armoured vehicle, a fighter or a destroyer."""
    if match.model is not None:
        return designation_written(match)  # "B1 and B2" are levels, not bombers
    return match.named or match.category in MILITARY_CATEGORIES or match.role in MILITARY_ROLES


def designation_written(match: EquipmentMatch) -> bool:
    """A designation as designations are written ("F-16", "Su-24M", "T-72B3", "M142", "S-400"), or
    a system's name the lexicon took only beside an equipment word ("Patriot missiles"); not a
    bare letter and digit that other things share ("levels B1 and B2")."""
    if match.model is None:
        return False
    written = match.text
    if re.search(r"[A-Za-z]+[\-\s]\d", written):
        return True
    digits = re.search(r"\d", written)
    return digits is None or len(re.match(r"[A-Za-z]*", written).group(0)) >= 2 and len(written) >= 4


def historical(sentence: str, published_year: int | None) -> bool:
    """True when the sentence's latest year lies ``HISTORY_YEARS`` or more before the article's."""
    # "the largest deployment since World War II", "for the first time since 1991": the present
    # measured against the past
    sentence = SINCE_AN_ERA.sub(" ", sentence)
    years = [int(y) for y in YEAR.findall(sentence)]
    if not years:
        return bool(re.search(r"\bWorld War (?:I|II|One|Two)\b|\bVietnam War\b|\bKorean War\b", sentence))
    reference = published_year or 2000
    return max(years) <= reference - HISTORY_YEARS


def military_sentence_count(text: str, sentences) -> int:
    """How many sentences of the article carry a military word."""
    return sum(1 for s in sentences if MILITARY_WORDS.search(text, s.start, s.end))
