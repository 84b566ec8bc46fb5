"""Whose and in what state: the owner (actor) and status of an equipment mention.

Both are read from the dependency parse of the mention's sentence:

* status comes from the verb (or noun, "the arrival of") that governs the mention, and from the
  verbs above it: "have arrived" -> arrived, "preparing to send" -> planned, "based outside" ->
  present, "shot down" -> destroyed. Negation ("did not send", "no evidence of") marks the
  mention as not asserted, and weapons fired ("fired two missiles") as munitions, not a
  deployment. With no cue the status is "present".
* the actor is, in order: an owner written inside the noun phrase ("Russian helicopters",
  "ISIL tanks", "Russia's jets"), else the subject of the verb that moves or holds the equipment
  ("Russia is preparing to send attack jets"). Countries are named as in the gazetteer
  ("United States"), groups as in ``data/equipment/actors.csv`` ("ISIL").
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tracker.gazetteer.names import normalize_name
from tracker.models import Toponym
from tracker.common.resources import data_file

Status = Literal["arrived", "present", "planned", "departed", "seized", "destroyed", "damaged"]

STATUS_BY_LEMMA: dict[str, Status] = {
    **dict.fromkeys(("arrive", "land", "reach", "deliver", "deploy", "redeploy", "send", "ship", "fly", "airlift",
                     "transfer", "move", "roll", "enter", "unload", "bring", "dispatch", "supply", "provide",
                     "dock", "sail", "cross", "receive", "head", "steam"), "arrived"),
    **dict.fromkeys(("base", "station", "position", "locate", "park", "see", "spot", "observe", "show", "remain",
                     "operate", "house", "keep", "photograph", "film", "patrol", "have", "stay",
                     "mass", "gather", "concentrate", "amass", "stand"), "present"),
    **dict.fromkeys(("leave", "withdraw", "depart", "pull", "return", "retreat", "evacuate", "relocate",
                     "exit"), "departed"),
    **dict.fromkeys(("seize", "capture", "commandeer", "loot", "steal", "take", "overrun", "abandon"), "seized"),
    **dict.fromkeys(("destroy", "down", "shoot", "wipe", "eliminate", "obliterate", "annihilate", "neutralize",
                     "neutralise", "sink", "burn", "lose", "crash", "kill", "knock"), "destroyed"),
    **dict.fromkeys(("damage", "hit", "strike", "disable", "wound"), "damaged"),
}
STATUS_BY_NOUN: dict[str, Status] = {
    "arrival": "arrived", "deployment": "arrived", "delivery": "arrived", "shipment": "arrived",
    "buildup": "arrived", "build-up": "arrived", "influx": "arrived", "flow": "arrived", "transfer": "arrived",
    "presence": "present", "withdrawal": "departed", "departure": "departed", "pullout": "departed",
    "destruction": "destroyed", "loss": "destroyed", "losses": "destroyed", "capture": "seized",
    "seizure": "seized", "wreckage": "destroyed", "damage": "damaged",
}
PLANNING_LEMMAS = frozenset({"prepare", "plan", "intend", "expect", "consider", "propose", "pledge", "promise",
                             "agree", "approve", "offer", "aim", "seek", "want", "decide", "order", "request",
                             "threaten", "vow", "announce", "mull", "weigh", "authorize", "authorise",
                             "schedule", "slate", "due"})
FUTURE_AUXILIARIES = frozenset({"will", "would", "could", "might", "may", "shall", "'ll", "going"})
FIRING_LEMMAS = frozenset({"fire", "launch", "shoot", "lob", "drop", "intercept"})
#: Verbs whose grammatical subject is the one acting, not the one affected: "artillery damaged
#: three vehicles" says the artillery is there, not that it was damaged.
AGENT_ONLY_STATUSES = frozenset({"destroyed", "damaged", "seized"})
REPORTING_LEMMAS = frozenset({"say", "tell", "report", "show", "see", "announce", "claim", "state", "add"})
OWNER_DEPENDENCIES = frozenset({"amod", "compound", "nmod", "poss", "det", "nummod", "quantmod"})
MANUFACTURE_SUFFIXES = ("made", "built", "designed", "manufactured", "produced", "origin", "supplied")
_MADE_SUFFIXES = tuple("-" + suffix for suffix in MANUFACTURE_SUFFIXES)  # one token: "U.S.-made"
NEGATION_BEFORE = ("no evidence", "no sign", "no indication", "not seen", "denied", "no ", "without ")
#: Buying and selling moves no group anywhere: "approved a deal to sell 180 howitzers".
TRADE_LEMMAS = frozenset({"sell", "buy", "purchase", "acquire", "procure", "export", "import", "lease", "finance",
                          "manufacture", "produce", "build", "design", "develop", "upgrade", "modernize",
                          "modernise", "retire", "replace"})
TRADE_NOUNS = frozenset({"sale", "sales", "deal", "deals", "contract", "contracts", "purchase", "purchases",
                         "export", "exports", "acquisition", "procurement", "order", "orders", "production",
                         "replacement", "program", "programme"})
#: Verbs of an attack: their subject (or the instrument "using …") is the attacker, not a deployment.
ATTACK_LEMMAS = frozenset({"conduct", "strike", "attack", "engage", "bomb", "hit", "target", "pound", "shell",
                           "launch", "use", "employ", "destroy", "damage", "kill", "fire", "drop", "shoot",
                           "intercept"})
#: What an attack does to its target: "sunk by naval drones", "destroyed by drones" (not "intercepted
#: by Greek aircraft": the interceptors are where they fly).
DAMAGING_LEMMAS = frozenset({"strike", "attack", "bomb", "hit", "target", "pound", "shell", "destroy", "damage",
                             "kill", "sink", "disable", "cripple", "breach", "ram"})
#: Nouns of an attack whose "with" or "of" names its means: "an attack with sea drones" (not "an
#: operation": "a rescue operation with two Chinooks").
RAID_NOUN_LEMMAS = frozenset({"attack", "strike", "airstrike", "raid", "assault", "bombardment"})
JOINING_LEMMAS = frozenset({"participate", "join", "support", "take", "contribute"})
RAID_WORDS = re.compile(r"\b(?:air)?strikes?\b|\braids?\b|\bsorties\b", re.IGNORECASE)
STRIKE_AREA = re.compile(r"\bstrike\s+areas?\b|\btarget\s+areas?\b|\breturned\s+(?:safely\s+)?to\s+base\b",
                         re.IGNORECASE)
#: Conditions and suppositions: "if a jet were to strike the dam".
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})


@dataclass(frozen=True, slots=True)
class StatusReading:
    status: Status
    negated: bool = False
    fired: bool = False  # fired, launched or intercepted: for missiles and drones, munitions, not a deployment
    hypothetical: bool = False  # "if a jet were to strike", "could buy": no group anywhere
    attacker: bool = False  # "fighter aircraft conducted 14 strikes": the raid's means, not a group placed


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    kind: str  # state, non_state, alliance
    country_code: str | None

    @property
    def armed(self) -> bool:
        """An armed force or group owns it: every actor the lexicon or a country names."""
        return self.kind in ("state", "non_state", "alliance")


class ActorLexicon:
    """Named armed groups and state forces ("ISIL", "Pentagon" -> United States)."""

    def __init__(self, actors: dict[str, Actor], acronyms: dict[str, Actor] | None = None,
                 written: frozenset[str] = frozenset()) -> None:
        self._by_key = actors
        self._acronyms = acronyms or {}
        self._written = written
        self._pattern: re.Pattern[str] | None = None

    @classmethod
    def from_file(cls, path: Path) -> ActorLexicon:
        actors: dict[str, Actor] = {}
        acronyms: dict[str, Actor] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                actor = Actor(row["name"], row["kind"], row["country_code"] or None)
                for written in [row["name"], *filter(None, row["aliases"].split("|"))]:
                    if written.isupper() and len(written) <= 4:
                        acronyms[written] = actor  # "IS", "SAA": only in capitals
                    else:
                        actors[normalize_name(written)] = actor
        written = frozenset(w for row in _rows_of(path) for w in [row["name"], *filter(None, row["aliases"].split("|"))])
        return cls(actors, acronyms, written)

    def lookup(self, text: str) -> Actor | None:
        return self._acronyms.get(text.strip()) or self._by_key.get(normalize_name(text))

    def named_in(self, text: str) -> Counter[Actor]:
        """How often the text names each actor: armed groups ("ISIS tactical unit", "Houthi") and
        states' forces ("U.S. Army"), but not a state's bare name, which is a place."""
        if self._pattern is None:
            written = sorted({*self._written}, key=len, reverse=True)
            self._pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(map(re.escape, written)) + r")(?:s|'s|’s)?(?![\w\-])")
        counts: Counter[Actor] = Counter()
        for match in self._pattern.finditer(text):
            written = re.sub(r"(?:'s|’s|s)$", "", match.group(0))
            actor = self.lookup(written) or self.lookup(match.group(0))
            if actor is not None and not (actor.kind == "state" and written == actor.name):
                counts[actor] += 1
        return counts


def _rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def default_actors() -> ActorLexicon:
    return ActorLexicon.from_file(data_file("equipment", "actors.csv"))


def _describing_participle(verb, first) -> bool:
    """"upgraded MiG-29s", "newly built frigates": a participle just before the group, without a
    subject or auxiliary of its own, describes it (the parser often reads it as a verb taking the
    group as its object); "India has upgraded its MiG-29s" is a trade."""
    if not 0 < first.i - verb.i <= 2 or verb.tag_ not in ("VBN", "VBD") or verb.dep_ == "xcomp":
        return False  # "ordered upgraded Leopard tanks": what was ordered
    if any(child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for child in verb.children):
        return False
    return not _from_a_seller(verb, ("prep",))  # "moved … from X to Y" still describes


def _ordered_from(verb) -> bool:
    """"ordered Leopard tanks from Germany": bought from a seller, while "ordered tanks to the
    border" moves them."""
    return verb.lemma_.lower() == "order" and _from_a_seller(verb, ("prep", "dative"))


def _from_a_seller(verb, dependencies: tuple[str, ...]) -> bool:
    """A verb with "from" and no destination ("to", "into", "toward"): what it acts on comes from
    someone, it is not moved somewhere."""
    words = {child.lower_ for child in verb.children if child.dep_ in dependencies}
    return "from" in words and not words & {"to", "into", "toward", "towards"}


def status_of(doc, start: int, end: int) -> StatusReading:
    """Status of the mention spanning tokens [start, end) from the words that govern it."""
    head = _head_token(doc, start, end)
    sentence = head.sent
    before = doc.text[sentence.start_char:doc[start].idx].lower()
    negated = any(cue in before[-60:] for cue in NEGATION_BEFORE[:4]) or any(
        child.dep_ == "det" and child.lower_ in ("no", "zero") for child in head.children)
    own = _status_of_own_clause(head)
    if own is not None:  # "the six F-15s that already landed": their own clause, whatever governs them
        return StatusReading(own, negated=negated, attacker=_is_attacker(head))
    status: Status | None = None
    status_lemma = ""
    fired = False
    planned = False
    hypothetical = False
    node = head
    for _ in range(6):  # climb to the governing verbs
        governor = node.head
        if governor.i == node.i:
            break
        lemma = governor.lemma_.lower()
        if governor.pos_ in ("NOUN", "PROPN") and governor.lemma_.lower() in PICTURE_NOUNS \
                or governor.dep_ == "acl" and governor.head.lemma_.lower() in PICTURE_NOUNS:
            status = status or "present"
            break  # "captured images of six bombers": the verbs above act on the picture, not on them
        if any(child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS for child in governor.children):
            hypothetical = True
        if status is None and (lemma in TRADE_LEMMAS and governor.pos_ == "VERB" and not _describing_participle(governor, doc[start])
                               or _ordered_from(governor)
                               or governor.lower_ in TRADE_NOUNS and node.dep_ in ("pobj", "compound")):
            hypothetical = True  # bought, sold, built or ordered: traded, not deployed
        if governor.pos_ in ("NOUN", "PROPN") and node.dep_ == "pobj" and governor.lower_ in STATUS_BY_NOUN:
            status = status or STATUS_BY_NOUN[governor.lower_]
        if governor.lemma_.lower() in ("arrival", "delivery", "deployment", "shipment") and any(
                child.lower_ in PROSPECTIVE_MODIFIERS for child in governor.children):
            planned = True  # "further arrivals are to include", "expected deliveries"
        elif node.dep_ == "pobj" and governor.dep_ == "prep" and governor.head.lower_ in STATUS_BY_NOUN:
            status = status or STATUS_BY_NOUN[governor.head.lower_]
        if governor.pos_ in ("VERB", "AUX"):
            if any(child.dep_ == "neg" for child in governor.children):
                negated = True
            shot_down = is_shot_down(governor)
            if lemma in FIRING_LEMMAS and not shot_down and node.dep_ in ("dobj", "nsubjpass", "conj"):
                fired = True
            if lemma in PLANNING_LEMMAS or any(child.lower_ in FUTURE_AUXILIARIES and child.dep_ == "aux"
                                               for child in governor.children):
                planned = True
            pictured = any(child.dep_ in ("nsubjpass", "dobj") and child.lemma_.lower() in PICTURE_NOUNS
                           for child in governor.children)
            if status is None and lemma in STATUS_BY_LEMMA and not pictured:
                # "the images were captured by sailors aboard the USS New Orleans": the picture was taken
                status = _status_of_verb(governor, lemma)
                status_lemma = lemma
                if lemma == "shoot" and not shot_down:
                    status = "damaged"
                if status in AGENT_ONLY_STATUSES and node.dep_ == "nsubj":
                    status = "present"
            if status is not None and governor.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl"):
                if lemma in PLANNING_LEMMAS:
                    planned = True
                break
        node = governor
    if status is None and not planned:
        status = _status_in_list_clause(doc, start)
    if DEPARTING_WORDS.search(head.sent.text):
        status = "departed"  # "being loaded for shipment home", "packing up"
    after_start = doc[end - 1].idx + len(doc[end - 1].text)
    after = doc.text[after_start:after_start + 80]
    if status in (None, "present") and FUTURE_AFTER.match(after):
        planned = True  # "the jets are to be stationed at", "the tanks are due to arrive"
        status = "planned"
    if status == "departed" and LEFT_FOR.search(head.sent.text):
        status = "planned"  # "left Portsmouth for the Black Sea": under way to where it goes
    if planned and (status in (None, "arrived") or status == "present" and status_lemma in PLACEMENT_LEMMAS):
        status = "planned"  # "will send", "plans to deploy", "will be based at"; "will keep" stays present
    return StatusReading(status or "present", negated=negated, fired=fired, hypothetical=hypothetical,
                         attacker=_is_attacker(head))


def is_shot_down(verb) -> bool:
    """"shot down", "shooting down": the particle that makes shooting a loss of what is shot."""
    return any(child.dep_ == "prt" and child.lower_ == "down" for child in verb.children)


#: Verbs of being put somewhere: in the future ("the jets will be based at …") a plan, not a presence.
PLACEMENT_LEMMAS = frozenset({"base", "station", "position", "locate", "deploy", "house"})
#: After a group, the words of a move to come: "are to be stationed", "are due to arrive".
FUTURE_AFTER = re.compile(r"^\s*(?:[\w\-’']+\s+){0,4}?(?:is|are|was|were)\s+(?:(?:due|scheduled|slated|set|poised|"
                          r"about|expected)\s+to|to\s+be)\s+(?!seen\b|spotted\b|found\b)", re.IGNORECASE)
#: A departure toward a destination: "left Portsmouth for the Black Sea", "sailed from X bound for Y".
LEFT_FOR = re.compile(r"\b(?:left|leaves|leaving|departed|departs|sailed\s+from|set\s+sail\s+from)\b[^.;]{0,60}?"
                      r"\b(?:bound\s+for|for|towards?)\s+(?:the\s+)?[A-Z]")
#: Words that make an arrival a plan: "further arrivals", "expected deliveries".
PROSPECTIVE_MODIFIERS = frozenset({"further", "future", "expected", "planned", "upcoming", "additional", "next"})
DEPARTING_WORDS = re.compile(r"\b(?:pack(?:s|ed|ing)?\s+up|(?:loaded|loading)\s+(?:\w+\s+){0,2}for\s+"
                             r"(?:shipment|transport|return)\s+(?:back\s+)?home|shipment\s+home|heading\s+home|"
                             r"headed\s+home|wind(?:ing)?\s+down\s+(?:its|their)\s+deployment)\b", re.IGNORECASE)
#: Prepositions of where a move goes: "are deploying to Poland", "is sailing toward the Gulf".
GOAL_PREPOSITIONS = frozenset({"to", "toward", "towards", "into", "for"})
#: Moves under way: "were being flown from Italy to Romania", "are deploying": in transit, so planned.
TRANSIT_LEMMAS = frozenset({"fly", "ship", "move", "send", "transfer", "deploy", "redeploy", "airlift", "sail",
                            "transport", "head", "travel", "roll", "drive", "steam"})


def _status_of_own_clause(head) -> Status | None:
    """"The six F-15s that already landed": a clause of the group's own tells its state."""
    for child in head.children:
        if child.dep_ in ("relcl", "acl") and child.lemma_.lower() in STATUS_BY_LEMMA:
            status = STATUS_BY_LEMMA[child.lemma_.lower()]
            if child.tag_ in ("VBD", "VBN") and status not in AGENT_ONLY_STATUSES:
                return status
            if child.dep_ == "acl" and child.tag_ == "VBN" and status in AGENT_ONLY_STATUSES:
                return status  # "vessels struck in the attack", "tanks destroyed near X": what was done to them
    return None


_PAST_VERB = re.compile(r"\b[a-z]+ed\b")
#: Verbs of a strike report that keep a target where it is: "suppressed a mortar system" (present);
#: "engaged", "targeted" say nothing of its state.
_PRESENT_VERBS = frozenset({"suppress", "engage", "target"})


#: Pictures of a group: what is done to them ("captured images of …") is not done to the group.
PICTURE_NOUNS = frozenset({"image", "photo", "photograph", "picture", "footage", "video", "imagery", "screenshot",
                           "clip"})
PICTURE_WORDS = re.compile(r"\b(?:%s)s?\b" % "|".join(sorted(PICTURE_NOUNS)), re.IGNORECASE)


def _status_in_list_clause(doc, start: int) -> Status | None:
    """In a long list ("destroyed four fighting positions, two vehicles and a mortar system") the
    parse often loses the verb; the last verb of the clause before the mention still governs it."""
    clause = doc.text[:doc[start].idx]
    clause = clause[max(clause.rfind(";"), clause.rfind(":"), clause.rfind("—")) + 1:]
    pictured = PICTURE_WORDS.search(clause) is not None
    for match in reversed(list(_PAST_VERB.finditer(clause.lower()))):
        lemmas = (match.group(0)[:-2], match.group(0)[:-1])  # "destroyed" -> destroy, "engaged" -> engage
        if pictured and "captur" in lemmas:
            continue  # "satellite images captured by Maxar show …": a picture taken, nothing seized
        present = next((lemma for lemma in lemmas if lemma in _PRESENT_VERBS), None)
        if present is not None:
            return "present" if present == "suppress" else None
        status = next((STATUS_BY_LEMMA[lemma] for lemma in lemmas if lemma in STATUS_BY_LEMMA), None)
        if status in ("destroyed", "damaged", "seized"):
            return status
    return None


def _is_attacker(head) -> bool:
    """"Attack and fighter aircraft conducted 15 strikes", "U.S. fighters struck two APCs", "using
    bomber and fighter aircraft to conduct airstrikes": the means of a raid."""
    node = head
    # up through lists and modifiers: "Fighter, tanker and surveillance aircraft",
    # "a mix of U.S. fighters and remotely piloted aircraft"
    for _ in range(8):
        if _means_of_an_attack(node):
            return True
        if node.dep_ in ("conj", "compound", "amod", "appos", "nmod") and node.head.i != node.i:
            node = node.head
        elif node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
            node = node.head.head
        else:
            break
    governor = node.head
    lemma = governor.lemma_.lower()
    if node.dep_ == "nsubj" and lemma in ATTACK_LEMMAS:
        return True
    if node.dep_ == "nsubj" and lemma in JOINING_LEMMAS and RAID_WORDS.search(head.sent.text):
        return True  # "fighter aircraft from Saudi Arabia participated in these airstrikes"
    if STRIKE_AREA.search(head.sent.text):
        return True  # "All aircraft departed the strike areas safely"
    return node.dep_ == "dobj" and lemma in ("use", "employ")


def _means_of_an_attack(node) -> bool:
    """The object of the preposition that names an attack's means: "the corvette was sunk by naval
    drones", "an attack with sea drones", "after the strikes of Ukrainian drones", "struck the
    ship with drones"."""
    if node.dep_ != "pobj":
        return False
    preposition = node.head
    governor = preposition.head.lemma_.lower()
    if preposition.dep_ == "agent" and governor in DAMAGING_LEMMAS:
        return True
    if preposition.lower_ in ("with", "of") and preposition.head.pos_ == "NOUN" and governor in RAID_NOUN_LEMMAS:
        return True
    return preposition.lower_ == "with" and preposition.head.pos_ == "VERB" \
        and governor in ATTACK_LEMMAS - {"use", "employ", "engage"}


#: What one takes when it relieves another: "taking its place", "take over the role".
REPLACED_WORDS = frozenset({"place", "role", "spot"})  # not "station", "post": "took the border post" is a capture


def _status_of_verb(verb, lemma: str) -> Status:
    status = STATUS_BY_LEMMA[lemma]
    if lemma == "take" and any(c.dep_ == "dobj" and c.lemma_.lower() in ("delivery", "receipt", "possession")
                               for c in verb.children):
        return "arrived"  # "Mali has taken delivery of four helicopters": received, not captured
    if lemma == "return" and any(c.dep_ == "prep" and c.lower_ in ("to", "into") and any(
            g.dep_ == "pobj" and g.pos_ == "PROPN" for g in c.children) for c in verb.children):
        return "arrived"  # "returned home to Norfolk", "returning to the Red Sea": back at that place
        # ("returned to port after drills", "returned to sea" leave where they were)
    if lemma == "take" and any(c.dep_ == "dobj" and c.lemma_.lower() in REPLACED_WORDS for c in verb.children):
        # "HMS Kent will be taking HMS Argyll's place": a relief on station, nothing captured
        future = any(c.dep_ == "aux" and (c.lower_ in FUTURE_AUXILIARIES or c.lower_ == "to") for c in verb.children)
        return "planned" if future else "arrived"
    if status == "arrived" and lemma in TRANSIT_LEMMAS and verb.tag_ == "VBG" and any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in ("is", "are", "was", "were", "being", "be")
            for c in verb.children) and any(c.dep_ in ("prep", "dative") and c.lower_ in GOAL_PREPOSITIONS
                                           for c in verb.children):
        return "planned"  # under way to a destination (not "is flying P-8s in the region": there)
    if status == "arrived" and lemma in TRANSIT_LEMMAS and any(c.lower_ == "being" for c in verb.children):
        return "planned"  # "were being flown from Italy to Romania"
    if status == "arrived" and verb.tag_ in ("VB",) and not any(c.dep_ == "aux" and c.lower_ in ("did", "do")
                                                               for c in verb.children):
        return "planned"  # "to send", "will deploy": the infinitive is an intention
    return status


def actor_of(doc, start: int, end: int, toponyms: list[Toponym], actors: ActorLexicon) -> Actor | None:
    """Owner of the mention: a modifier inside its noun phrase, else the subject of its verb."""
    head = _head_token(doc, start, end)
    captor = _captor(doc, head, start, end, toponyms, actors)
    if captor is not None:
        return captor  # a seized tank belongs to its captor
    # 1. inside the noun phrase: the words of the head's subtree left of the mention; of the noun
    #    it names, when it is that noun's modifier ("a Syrian Pantsir-S1 system": Syrian modifies system)
    phrase = head.head if head.dep_ == "compound" and head.head.i >= end and head.head.pos_ == "NOUN" else head
    for token in sorted((t for t in phrase.subtree if t.i < start), key=lambda t: -t.i)[:8]:
        position = token.i
        maker = position + 2 < len(doc) and doc[position + 1].text == "-" and \
            doc[position + 2].lower_ in MANUFACTURE_SUFFIXES or \
            token.lower_.endswith(_MADE_SUFFIXES) or \
            position + 1 < len(doc) and doc[position + 1].lower_ in MANUFACTURE_SUFFIXES  # "Chinese-made", "Russian produced": who built it
        # an owner modifies the noun ("Russian jets", "ISIL tanks"); a dateline or an appositive
        # country before it ("DIEGO GARCIA, British Indian Ocean Territory – The destroyer") is
        # where it stands, not whose it is
        owner_slot = token.dep_ in OWNER_DEPENDENCIES or token.head.dep_ in OWNER_DEPENDENCIES and token.head.i < start
        found = None if maker or not owner_slot else _actor_at(doc, token, toponyms, actors)
        if found is not None:
            return found
    for child in head.children:
        if child.dep_ == "acl" and child.lemma_.lower() in BUYING_LEMMAS:  # "tanks bought by Warsaw"
            for agent in (c for c in child.children if c.dep_ == "agent"):
                for buyer in (c for c in agent.children if c.dep_ == "pobj"):
                    found = _subject_actor(doc, buyer, toponyms, actors)
                    if found is not None:
                        return found
        if child.dep_ == "prep" and child.lower_ == "of":  # "F-16s of the Texas Air National Guard"
            for owner in (c for c in child.children if c.dep_ == "pobj"):
                found = _actor_at(doc, owner, toponyms, actors)
                if found is not None:
                    return found
        if child.dep_ == "prep" and child.lower_ == "from":  # "J-20s from China's Air Force": a force, not a place
            for owner in (c for c in child.children if c.dep_ == "pobj" and c.lower_ in OWNED_FORCE_NOUNS):
                found = _subject_actor(doc, owner, toponyms, actors)
                if found is not None:
                    return found
    for child in head.children:
        if child.dep_ == "poss":  # "Russia's jets"
            found = _actor_at(doc, child, toponyms, actors)
            if found is not None:
                return found
    # 2. the subject of the verb that moves, holds, seizes or destroys it; through a pronoun
    #    ("the Pentagon said it would send eight F-35s"), the subject of the verb above
    node = head
    through_pronoun = False
    for _ in range(6):
        governor = node.head
        if governor.i == node.i:
            break
        if governor.pos_ in ("VERB", "AUX"):
            if STATUS_BY_LEMMA.get(governor.lemma_.lower()) in ("destroyed", "damaged"):
                return None  # who destroys a thing is not its owner: "strikes destroyed four vehicles"
            reporting = governor.lemma_.lower() in REPORTING_LEMMAS
            if governor.lemma_.lower() in OBSERVING_LEMMAS:
                return None  # the watcher is no owner; the article's owner decides
            receiver = _receiver(doc, governor, toponyms, actors) if node.dep_ == "dobj" else None
            if receiver is not None:
                return receiver  # "delivered three helicopters to the Somali government": now theirs
            if governor.lemma_.lower() in ACCUSING_LEMMAS:
                # "Armenia accused Azerbaijan of massing tanks": the accused acts, not the accuser
                for accused in (c for c in governor.children if c.dep_ == "dobj"):
                    found = _subject_actor(doc, accused, toponyms, actors)
                    if found is not None:
                        return found
            for subject in (c for c in governor.children if c.dep_ == "nsubj" and not start <= c.i < end):
                if subject.pos_ == "PRON":
                    through_pronoun = True
                    continue
                found = _subject_actor(doc, subject, toponyms, actors)
                if found is not None and (not reporting or through_pronoun):
                    return found
        node = governor
    return None


def _receiver(doc, verb, toponyms: list[Toponym], actors: ActorLexicon) -> Actor | None:
    """Whom a handing verb gives its object to, where the receiver is a state or its forces ("to
    the Somali government", "to Mali's air force", "to the Nigerian Air Force", "to Ukraine"):
    the owner after the hand-over. Not a place that is no state ("delivered to Hmeimim")."""
    if verb.lemma_.lower() not in HANDING_LEMMAS:
        return None
    for preposition in (c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"):
        for receiver in (c for c in preposition.children if c.dep_ == "pobj"):
            found = _subject_actor(doc, receiver, toponyms, actors)
            if found is not None and (receiver.lower_ in OWNED_FORCE_NOUNS | GOVERNMENT_NOUNS
                                      or found.kind != "state" or _names_a_state(receiver, toponyms)):
                return found
            if receiver.lower_ in GOVERNMENT_NOUNS:
                for child in (c for c in receiver.children if c.dep_ in ("amod", "compound", "poss")):
                    found = _actor_at(doc, child, toponyms, actors) or _demonym_actor(child.text)
                    if found is not None:
                        return found
    return None


def _names_a_state(token, toponyms: list[Toponym]) -> bool:
    """Whether the token is a country's name ("to Ukraine"), not a town or base."""
    return any(t.start <= token.idx < t.end and (t.feature_code or "").startswith("PCL") for t in toponyms)


#: Verbs that give a thing to a new owner: "delivered", "handed over", "donated", "transferred".
HANDING_LEMMAS = frozenset({"deliver", "hand", "donate", "transfer", "supply", "give", "gift", "provide"})
#: Nouns for a state's government as a receiver: "to the Somali government".
GOVERNMENT_NOUNS = frozenset({"government", "authorities", "junta", "regime", "ministry"})

#: Verbs by whose agent a thing becomes someone's: "the Abrams tanks bought by Warsaw".
BUYING_LEMMAS = frozenset({"buy", "purchase", "acquire", "order", "receive", "procure"})
#: Verbs of watching: who detects, spots or tracks a group does not own it ("Taiwan said it
#: detected 11 Chinese warships and 30 aircraft").
OBSERVING_LEMMAS = frozenset({"detect", "spot", "see", "observe", "track", "monitor", "identify", "photograph",
                              "film", "record", "intercept", "shadow", "sight", "notice"})
#: Verbs whose object is the one said to act: "accused Azerbaijan of massing tanks".
ACCUSING_LEMMAS = frozenset({"accuse", "blame", "suspect", "charge"})


def _subject_actor(doc, subject, toponyms: list[Toponym], actors: ActorLexicon) -> Actor | None:
    """The actor a subject names, or its owner word: "the Turkish army", "Russia's military"."""
    found = _actor_at(doc, subject, toponyms, actors)
    if found is not None:
        return found
    if subject.lower_ not in OWNED_FORCE_NOUNS:
        return None
    for child in sorted((c for c in subject.children if c.i < subject.i and c.dep_ in ("amod", "compound", "poss")),
                        key=lambda c: -c.i):
        found = _actor_at(doc, child, toponyms, actors) or _demonym_actor(child.text)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def _demonym_actor(word: str) -> Actor | None:
    """The state a demonym names inside a force's name ("the Indian Air Force"), where the
    recogniser, rightly, reads no place."""
    if not word[:1].isupper() or not word.isalpha():
        return None
    from tracker.gazetteer.index import NAME_ADJECTIVE, default_gazetteer

    for candidate in default_gazetteer().lookup(word):
        place = candidate.place
        if candidate.name_kind == NAME_ADJECTIVE and (place.feature_code or "").startswith("PCL"):
            return Actor(_plain_name(place.name), "state", place.country_code)
    return None


#: Nouns for a state's armed forces, whose owner word is the owner: "the Turkish army dispatched".
OWNED_FORCE_NOUNS = frozenset({"army", "military", "navy", "forces", "force", "troops", "marines", "guard",
                               "ministry", "command", "fleet", "units", "soldiers", "armed"})


def _captor(doc, head, start: int, end: int, toponyms: list[Toponym], actors: ActorLexicon) -> Actor | None:
    """The subject of the verb that seizes the group ("Ukrainian forces captured eight T-72s")."""
    node = head
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    verb = node.head
    if node.dep_ != "dobj" or STATUS_BY_LEMMA.get(verb.lemma_.lower()) != "seized":
        return None
    for subject in (c for c in verb.children if c.dep_ == "nsubj" and not start <= c.i < end):
        for token in [subject, *sorted(subject.subtree, key=lambda t: t.i)]:
            found = _actor_at(doc, token, toponyms, actors)
            if found is not None:
                return found
    return None


def country_actor(toponym: Toponym) -> Actor | None:
    """The state a country's name, or a capital standing for its government, names."""
    code = toponym.feature_code or ""
    if not toponym.is_placed:
        return None
    if code.startswith("PCL"):
        return Actor(_plain_name(toponym.name or toponym.text), "state", toponym.country_code)
    if code == "PPLC" and toponym.country_code:
        from tracker.gazetteer.index import default_gazetteer

        country = default_gazetteer().country(toponym.country_code)
        if country is not None:
            return Actor(_plain_name(country.name), "state", toponym.country_code)
    return None


def _plain_name(name: str) -> str:
    return name[4:] if name.startswith("The ") else name


def _actor_at(doc, token, toponyms: list[Toponym], actors: ActorLexicon) -> Actor | None:
    """The actor a token (or the entity around it) names, if any."""
    for toponym in toponyms:
        if toponym.start <= token.idx < toponym.end:
            found = country_actor(toponym)
            if found is not None:
                return found
    span = doc[token.i:token.i + 1]
    if token.ent_iob_ in ("B", "I"):
        entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            span = doc[entity.start:token.i + 1]  # "U.S. Air Force" of "U.S. Air Force F-16"
    text = span.text
    words = text.removeprefix("the ").removeprefix("The ").split()
    # "Texas Air National Guard" -> "Air National Guard"
    for candidate in (text, *(" ".join(words[k:]) for k in range(len(words))), token.text):
        actor = actors.lookup(candidate)
        if actor is not None:
            return actor
    return None


def _head_token(doc, start: int, end: int):
    """The syntactic head of the span: the token whose head lies outside it."""
    return doc[start:end].root
