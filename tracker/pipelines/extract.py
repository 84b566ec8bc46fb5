"""The extraction pipeline: article -> places and equipment deployments.

Most sentences of most articles name no equipment, and the statistical parse is what costs. So
``Extractor`` works in this order:

1. places: the geoparser's own fast recogniser and resolver (``tracker.geoparse``), so a map made
   from ``extract`` shows the places ``geoparse`` finds;
2. equipment candidates: the lexicon's compiled matching over the whole text (``tracker.recognize.equipment``);
3. the spaCy parse, only of the sentences that hold a candidate (an article without one costs
   what geoparsing costs), from which count, owner and status are read;
4. the link of each group to its place, and the folding of restatements (``tracker.link``).

Sentences are cut by the recogniser's rule tokeniser, so each parsed sentence is a small document
of its own; offsets are moved back to the article's.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.gazetteer.index import Gazetteer, default_gazetteer
from tracker.pipelines.geoparse import Geoparser, ResolveMentions
from tracker.link.linker import link_deployments
from tracker.models import Article, Deployment, EquipmentMention, Toponym
from tracker.recognize.attributes import ActorLexicon, actor_of, country_actor, default_actors, is_shot_down, status_of
from tracker.recognize.counts import Count, parse_count
from tracker.recognize.equipment import SHIP_NAME, EquipmentLexicon, EquipmentMatch, default_lexicon, ship_owner
from tracker.recognize.military import (MILITARY_SENTENCES_IN_ARTICLE, MILITARY_WORDS, may_be_military,
                                        military_context, military_sentence_count, strong_term)
from tracker.recognize.tokens import tokenize
from tracker.recognize.toponyms import load_language_model

MUNITION_CATEGORIES = frozenset({"missile", "drone"})
#: What carries out a raid: its aircraft and guns are the means of an attack told elsewhere.
ATTACKER_CATEGORIES = frozenset({"aircraft", "helicopter", "drone", "artillery", "ship"})
LAUNCHER_WORDS = re.compile(r"launcher|system|battery|batteries", re.IGNORECASE)
#: Verbs that bring down a drone in flight: "shot down four drones", "downed", "destroyed nine
#: drones over the Red Sea", "intercepted".
DOWNING_LEMMAS = frozenset({"shoot", "down", "destroy", "intercept", "neutralise", "neutralize"})
#: Verbs by which a drone is sent at a target: "drones launched by the Houthis".
LAUNCHING_LEMMAS = frozenset({"launch", "fire"})
#: Nouns that an equipment word may modify and still be the thing itself: "tank units" is not,
#: "howitzer systems", "drone swarm" are.
THING_NOUNS = frozenset({"system", "systems", "battery", "batteries", "launcher", "launchers", "swarm", "swarms",
                         "fleet", "complex", "complexes", "platform", "platforms", "gunship", "gunships"})
#: Words before equipment named only to compare: "like the U.S. F-16", "comparable to a Rafale".
COMPARED_WITH = re.compile(r"\b(?:like|unlike|(?:the\s+)?equivalent\s+(?:of|to)|similar\s+to|comparable\s+(?:to|with)|"
                           r"compared\s+(?:to|with)|akin\s+to|modell?ed\s+on|rival\s+to|answer\s+to)\s+"
                           r"(?:the\s+|an?\s+)?(?:[A-Z][\w.\-]*\s+){0,2}$")
#: A kind's plural right before "like" and a bare plural after it give examples, not a comparison:
#: "frontline aircraft like Sukhoi-30s" (but "aircraft like the U.S. F-15E" compares).
KINDS_BEFORE_LIKE = re.compile(r"\b(?:aircraft|jets|fighters|planes|bombers|helicopters|gunships|drones|tanks|vehicles|"
                               r"carriers|ships|warships|vessels|submarines|systems|batteries|launchers|howitzers|"
                               r"guns|weapons|hardware|equipment|assets|platforms)\s+like\s+$", re.IGNORECASE)
#: What a group belongs to, not a group: "part of the carrier strike group", "a member of the fleet".
PART_OF_BEFORE = re.compile(r"\b(?:part|member|members|elements?)\s+of\s+(?:the\s+|a\s+|an\s+|its\s+)?$", re.IGNORECASE)
#: "missile defences", "missile shield": a kind of defence, not a missile system.
MISSILE_AS_MODIFIER = re.compile(r"\s*(?:defen[cs]es?|shield|threats?|attacks?|strikes?|fire|tests?|launch(?:es)?|"
                                 r"programs?|programmes?|technology|strikes?)\b", re.IGNORECASE)
#: A carrier of the cargo: "brought to the base in Il-76 planes", "flown in aboard C-17s".
CARRIED_IN = re.compile(r"\b(?:in|aboard|on\s+board|by|via|disembark(?:ed|ing|s)?(?:\s+from)?|board(?:ed|ing|s)?)\s+"
                        r"(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,3}$", re.IGNORECASE)
CARGO_WORDS = re.compile(r"\b(?:equipment|supplies|cargo|troops|personnel|ammunition|vehicles|hardware|materiel|"
                         r"marines|soldiers|sailors|airmen|paratroopers|"
                         r"arriv\w*|flown|airlift\w*|deliver\w*|shipped|transport\w*|brought|carried|ferried)\b",
                         re.IGNORECASE)
#: Shows and ceremonies: the planes of an air show and the ships open for tours are no deployment.
SHOW_SENTENCE = re.compile(r"\b(?:air\s*shows?|airshows?|fleet\s+week|parades?|fly-?overs?|fly-?pasts?|"
                           r"open\s+for\s+tours|stunts?|aerobatic\w*|museums?|memorials?|spectators?)\b", re.IGNORECASE)
#: Contracts and orders: "the deal includes an option for 248 vehicles" moves nothing anywhere.
TRADE_SENTENCE = re.compile(r"\b(?:contracts?|deals?|orders?|options?|tenders?|procurement|purchases?|"
                            r"acquisitions?|agreements?|billion|million|funding|funds?|budgets?|spending|"
                            r"appropriations?|crores?|\d+(?:\.\d+)?\s?(?:bn|m)|[$€£]\s?\d[\d,.]*)(?!\w)", re.IGNORECASE)
#: A picture's caption and credit: "A MiG-29 in flight (Source: Wikimedia Commons)", "File photo".
CAPTION_SENTENCE = re.compile(r"\((?:source|photo|image|picture|file|credit|courtesy)s?\b[^)]{0,60}\)|"
                              r"\b(?:file\s+(?:photo|image|picture)|wikimedia|getty\s+images|shutterstock|"
                              r"photo\s+credit)\b", re.IGNORECASE)
#: A line that points to another story: "READ: …", "Read more: …", "Also read: …", "RELATED: …",
#: "More:Texas deploys troops …" (a real lead-in seldom opens with "More:").
LINK_LINE = re.compile(r"\s*(?:read(?:\s+more|\s+also)?|also\s+read|related|see\s+also|watch|more)\s*:", re.IGNORECASE)
#: Sentences about how a type is built: its chassis, turret, variants, prototype, engine.
DESIGN_SENTENCE = re.compile(r"\b(?:chassis|turrets?|variants?|prototyp\w*|hybrid\s+platform|engines?|armou?r\s+package|"
                             r"design(?:ed|s)?|develop(?:ed|s|ment)|manufactur\w*|produc(?:ed|es|tion)|"
                             r"range\s+of|code-?named|reporting\s+name|can\s+carry|capable\s+of|warheads?|"
                             r"(?:can|could|able\s+to)\s+(?:detect|intercept|track|hit|strike|destroy|reach|engage|down)|"
                             r"payloads?|top\s+speed|maximum\s+speed)\b", re.IGNORECASE)
#: A loss reported: "the destroyed systems included Russian-produced Pantsir-S1s" is no design note.
LOSS_WORDS = re.compile(r"\b(?:destroyed|damaged|captured|seized|shot\s+down|knocked\s+out|wiped\s+out)\b",
                        re.IGNORECASE)  # past forms: "capable of destroying aircraft" is a design note
MOVED_WORDS = re.compile(r"\b(?:arriv\w*|deliver\w*|receiv\w*|unload\w*|deploy\w*|sent|handed|landed|stationed|"
                         r"based|moved|transferr\w*|shipped)\b", re.IGNORECASE)


def _no_group_here(text: str, match: EquipmentMatch, sentence: Sentence) -> bool:
    """Conventions that no weight decides: a missile word that names a kind of defence or a
    munition, not a launcher ("missile defences", bare "missiles"); the aircraft that only carried
    the cargo ("brought in Il-76 planes"); the planes of an air show and the ships open for
    tours; equipment named only in a contract, an order or a budget, or in a picture's caption;
    what a group is part of."""
    words = text[sentence.start:sentence.end]
    if match.category == "missile" and match.model is None and not LAUNCHER_WORDS.search(match.text) \
            and (MISSILE_AS_MODIFIER.match(text, match.end) or not LAUNCHER_WORDS.match(text[match.end:match.end + 12].strip())):
        return True
    if match.category == "aircraft" and match.role in ("transport", "unknown") and not match.named \
            and CARRIED_IN.search(text, max(sentence.start, match.start - 40), match.start) \
            and CARGO_WORDS.search(text, sentence.start, match.start):
        return True
    if SHOW_SENTENCE.search(words) and not re.search(r"\b(?:captured|seized|trophy|trophies)\b", words, re.IGNORECASE):
        return True
    if PART_OF_BEFORE.search(text, max(sentence.start, match.start - 30), match.start):
        return True  # "the destroyer, part of Carrier Strike Group 12": what it belongs to
    if LINK_LINE.match(words):
        return True  # "READ: Russia sends bombers to Venezuela": another story's headline
    if CAPTION_SENTENCE.search(words) and not MOVED_WORDS.search(words):
        return True  # a picture of the type, not a report of where it is
    if DESIGN_SENTENCE.search(words) and not MOVED_WORDS.search(words) and not LOSS_WORDS.search(words):
        return True  # "the turret of a light tank on the chassis of a personnel carrier"
    return bool(TRADE_SENTENCE.search(words)) and not MOVED_WORDS.search(words)


#: Texts longer than this are extracted in sections (see ``Extractor._in_sections``).
SECTION_CHARS = 100_000
#: The longest stretch of text handed to the parser at once: a "sentence" without any stop (a
#: table, a list run together) is parsed in pieces of this size rather than all at once.
MAX_PARSED_CHARS = 5_000


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    article: Article
    toponyms: tuple[Toponym, ...]
    deployments: tuple[Deployment, ...]
    untyped: tuple[Deployment, ...]  # personnel and untyped equipment


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article: character offsets into the article's text."""

    start: int
    end: int


class Extractor:
    def __init__(self, geoparser: Geoparser, lexicon: EquipmentLexicon, actors: ActorLexicon, nlp=None) -> None:
        self.geoparser = geoparser
        self.lexicon = lexicon
        self.actors = actors
        self._nlp = nlp

    @classmethod
    def default(cls, *, gazetteer: Gazetteer | None = None, resolve: ResolveMentions | None = None) -> Extractor:
        geoparser = Geoparser.default(gazetteer=gazetteer or default_gazetteer(), resolve=resolve)
        return cls(geoparser, default_lexicon(), default_actors())

    @property
    def nlp(self):
        """spaCy's pipeline with the parser, loaded on the first article that names equipment."""
        if self._nlp is None:
            self._nlp = load_language_model(parse=True)
        return self._nlp

    def extract_articles(self, articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[ExtractedArticle]:
        for article in articles:
            yield self(article)

    def __call__(self, article: Article) -> ExtractedArticle:
        if len(article.text) > SECTION_CHARS:
            return self._in_sections(article)
        toponyms, mentions, named = self.linker_inputs(article)
        deployments, untyped = link_deployments(
            article, mentions, toponyms,
            named_actors=Counter({a.name: n for a, n in named.items() if a.kind == "non_state"}),
            named_forces=Counter({a.name: n for a, n in named.items() if a.kind != "non_state"}))
        return ExtractedArticle(article, tuple(toponyms), tuple(deployments), tuple(untyped))

    def linker_inputs(self, article: Article) -> tuple[list[Toponym], list[EquipmentMention], Counter]:
        """What the linker reads of an article: its places, its equipment mentions, and the actors
        it names (counted); ``benchmarks/fit_linker.py`` fits the place chooser on these."""
        toponyms = self.geoparser(article.text)
        matches = self.lexicon.find(article.text)
        ship_names = _ship_names(article.text, matches)
        toponyms = [t for t in toponyms if not _names_no_place(article.text, t, matches, ship_names)]
        mentions = self.equipment_in(article.text, toponyms, article.published, matches=matches)
        named = self.actors.named_in(article.text) + national_forces_named(article.text, toponyms, self.actors) \
            if mentions else Counter()
        return toponyms, mentions, named

    def _in_sections(self, article: Article) -> ExtractedArticle:
        """A very long text (a book, a dump of a feed) in sections of about ``SECTION_CHARS`` cut at
        paragraph or sentence ends: memory and time grow with the text, not with its square.
        Offsets are the article's; a group is not linked to a place in another section."""
        toponyms: list[Toponym] = []
        deployments: list[Deployment] = []
        untyped: list[Deployment] = []
        for start, end in sections_of(article.text):
            part = self(dataclasses.replace(article, text=article.text[start:end]))
            toponyms += _shifted(part.toponyms, start)
            deployments += _shifted(part.deployments, start)
            untyped += _shifted(part.untyped, start)
        return ExtractedArticle(article, tuple(toponyms), tuple(deployments), tuple(untyped))

    def equipment_in(self, text: str, toponyms: Sequence[Toponym], published: str | None = None, *,
                     matches: Sequence[EquipmentMatch] | None = None) -> list[EquipmentMention]:
        """The equipment named in ``text`` with what its sentence says of it (parsing only the
        sentences that name some)."""
        if matches is None:
            matches = self.lexicon.find(text)
        if not matches:
            return []
        published_year = int(published[:4]) if published and published[:4].isdigit() else None
        sentences = sentences_of(text)
        sentence_starts = [s.start for s in sentences]
        # an article about military matters: military words in several sentences, or equipment
        # only armed forces field ("Su-35", "USS Mason", howitzers), which "the six jets" restate
        article_military = military_sentence_count(text, sentences) >= MILITARY_SENTENCES_IN_ARTICLE \
            or any(strong_term(match) for match in matches)
        wanted: dict[int, list[EquipmentMatch]] = {}
        for match in matches:
            index = max(0, bisect_right(sentence_starts, match.start) - 1)
            wanted.setdefault(index, []).append(match)
        # the parse is what costs: a sentence whose every candidate could not be military whatever
        # the parse says ("the suspect's vehicle" in a crime report) is not parsed at all
        chosen = [i for i in sorted(wanted) if article_military or any(
            may_be_military(text, match, sentences[i].start, sentences[i].end, toponyms, self.actors)
            for match in wanted[i])]
        if not chosen:
            return []
        docs = self.nlp.pipe(text[sentences[i].start:sentences[i].end] for i in chosen)
        mentions = []
        for index, doc in zip(chosen, docs):
            sentence = sentences[index]
            local_places = _shifted([t for t in toponyms if sentence.start <= t.start < sentence.end], -sentence.start)
            for match in wanted[index]:
                mention = self._mention(doc, match, sentence, local_places, text, article_military, published_year,
                                        wanted[index])
                if mention is not None:
                    mentions.append(mention)
        return mentions

    def _mention(self, doc, match: EquipmentMatch, sentence: Sentence, local_places: list[Toponym],
                 text: str, article_military: bool, published_year: int | None,
                 sentence_matches: Sequence[EquipmentMatch] = ()) -> EquipmentMention | None:
        offset = sentence.start
        span = doc.char_span(match.start - offset, match.end - offset, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        reading = status_of(doc, span.start, span.end)
        compared = COMPARED_WITH.search(text, max(sentence.start, match.start - 40), match.start)
        if compared and not (KINDS_BEFORE_LIKE.search(text, max(sentence.start, compared.start() - 40), match.start)
                             and not re.search(r"\b(?:the|an?)\s", compared.group(0), re.IGNORECASE)):
            return None  # "a light jet, like the U.S. F-16": named for comparison, not there
        if _no_group_here(text, match, sentence):
            return None
        if reading.negated or reading.hypothetical or reading.attacker and match.category in ATTACKER_CATEGORIES \
                or reading.fired and match.category in MUNITION_CATEGORIES \
                and not LAUNCHER_WORDS.search(match.text):
            return None  # not asserted, or munitions fired: "launched 300 drones and missiles"
        if match.category != "ship" and _defines_a_type(span.root):
            return None  # "The Ka-52 is a Russian attack helicopter": what a type is, not where a group is
        if match.category in CARRIER_CATEGORIES and match.role not in WARSHIP_ROLES \
                and _carries_cargo(span.root, sentence_matches, offset):
            return None  # "a special plane has delivered four helicopters": the transport, not a group
        if _fleet_operated(span.root, words=text[sentence.start:sentence.end]):
            return None  # "Slovakia already operates three Patriot batteries": an inventory, no deployment
        count = parse_count(doc, span.start, span.end)
        if (count.count or 0) > 1 and _shared_with_another_kind(span, match, sentence_matches, offset):
            count = Count(None, "unknown")  # "15 tanks and armored vehicles": a total of both kinds, unsplit
        if match.named:
            # one named vessel, or a list of them, whatever precedes the names
            count = Count(max(1, sum(1 for _ in SHIP_NAME.finditer(match.text))), "exact", None, definite=False)
        actor = actor_of(doc, span.start, span.end, local_places, self.actors)
        if match.category == "drone" and match.model is None and actor is None and _drone_as_munition(span.root):
            return None  # "shot down four drones", "drones launched by the Houthis": attack drones are munitions
        if match.category in MUNITION_CATEGORIES and not LAUNCHER_WORDS.search(match.text) \
                and (_sent_at_a_target(span.root, match.category) or _carried_as_armament(span.root)):
            return None  # "Belarus-launched drones", "drones that Iran launched", "shot down two missiles"
        named_after = _kind_before_ship_name(doc, span, match)
        modifies_a_thing = span.root.dep_ in ("amod", "compound") and span.root.head.lower_ in THING_NOUNS or named_after
        if named_after and count.count is None:
            count = Count(1, "exact", None, definite=True)  # "the frigate Marshal Shaposhnikov": one ship
        names_after = _names_after_plural_kind(doc, span, match) if count.count is None else 0
        if names_after:
            count = Count(names_after, "exact", None, definite=True)  # "the frigates Admiral Essen and Admiral Makarov"
        split_designation = match.model is not None and span.root.pos_ == "PUNCT"
        if not modifies_a_thing and (
                span.root.pos_ not in ("NOUN", "PROPN", "NUM", "X") and not split_designation
                or span.root.dep_ == "compound" and span.root.head.pos_ == "NOUN" and match.model is None
                and not match.named):
            # "the economy continues to tank", "submarine tailings": not the thing itself; a
            # designation split at its hyphen ("J-20": "J", "-", "20") is a thing
            return None
        context = military_context(text, match, sentence.start, sentence.end, actor is not None and actor.armed,
                                   article_military=article_military, published_year=published_year)
        if not context.military:
            return None
        return EquipmentMention(
            start=match.start, end=match.end, text=match.text, category=match.category, role=match.role,
            model=match.model, count=count.count, count_qualifier=count.qualifier, count_max=count.count_max,
            definite=count.definite,
            actor=(ship_owner(match.text) if match.named else None) or (actor.name if actor else None),
            status=reading.status,
            sentence_start=sentence.start, sentence_end=sentence.end, named=match.named)


def _names_after_plural_kind(doc, span, match: EquipmentMatch) -> int:
    """How many ships a plural kind names right after it ("the frigates Admiral Essen and Admiral
    Makarov", "the destroyers Carney, Ross and Gravely"): a list of named ships counts them, as
    the conventions say. 0 where no list of two or more capitalised names follows, or in a
    title-case headline."""
    if match.category != "ship" or match.named or not match.text.endswith("s"):
        return 0
    names, position, in_name = 0, span.end, False
    while position < len(doc):
        token = doc[position]
        if token.tag_ == "NNP" and token.text[:1].isupper():
            names += not in_name
            in_name = True
        elif token.text in (",", "and") and in_name:
            in_name = False
        else:
            break
        position += 1
    return names if names >= 2 and not _title_case(doc) else 0


def _kind_before_ship_name(doc, span, match: EquipmentMatch) -> bool:
    """A ship's singular kind right before its capitalised name ("the frigate Marshal
    Shaposhnikov", "the Kilo-class submarine Krasnodar"): one ship, whatever the parser makes of
    the kind (an adjective of the name, a compound). Not in a headline, where every word is
    capitalised, nor after a number ("two frigates Sachsen and Bayern" counts itself)."""
    if match.category != "ship" or match.named or match.text.endswith("s") or span.end >= len(doc):
        return False
    following = doc[span.end]
    if following.tag_ != "NNP" or not following.text[:1].isupper() or span.start > 0 and doc[span.start - 1].like_num:
        return False
    return not _title_case(doc)


def _title_case(doc) -> bool:
    """A headline written in title case, where every word is capitalised and names stand out of
    nothing ("in", "of", "the" stay small in titles too, so only longer words count)."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 3]
    return sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


#: Prepositions that put an operated fleet somewhere: "operates F-16s from Incirlik", "out of Aviano".
PLACING_PREPOSITIONS = frozenset({"from", "at", "in", "out", "over", "near", "off", "to", "into", "inside"})


def _fleet_operated(root, *, words: str) -> bool:
    """The object of "operate" (a main verb or a relative clause's) with no place anywhere in its
    clause and no move in its sentence: a country's or a force's inventory ("Venezuela's aging
    fleet, which still operates F-16s"), not a group somewhere ("a squadron which operates 24 F-16s
    arrived at Lask")."""
    root = _list_head(root)  # "operates F-16s and Su-30s"
    verb = root.head
    if not (root.dep_ == "dobj" and verb.lemma_.lower() == "operate") or verb.dep_ not in ("ROOT", "conj", "relcl"):
        return False  # a participle ("a squadron operating four F-16s deployed to …") names the unit, not a fleet
    if any(token.dep_ == "prep" and token.lower_ in PLACING_PREPOSITIONS for token in verb.subtree):
        return False  # "operates eight F-35s stationed at Lask", "operates four F-16s from Siauliai"
    return not MOVED_WORDS.search(words)


def _drone_as_munition(root) -> bool:
    """A drone without an owner of its own that the sentence says was shot down or intercepted: a
    one-way attack drone, which the conventions count as a munition (a named type, or "a U.S.
    surveillance drone", is a loss)."""
    node = _list_head(root)
    # not "destroyed three drones parked at the airfield": those stood there ("drones launched by
    # the Houthis" are _sent_at_a_target, whoever owns them)
    return _brought_down(node) is not None and not any(
        child.dep_ in ("acl", "relcl") or child.dep_ == "prep" and child.lower_ in ("at", "on")
        for child in node.children)


def _brought_down(node) -> str | None:
    """The lemma of the verb that brings ``node`` down ("shot down", "downed", "destroyed",
    "intercepted" it), or None."""
    verb = node.head
    lemma = verb.lemma_.lower()
    if node.dep_ in ("dobj", "nsubjpass") and verb.pos_ == "VERB" and lemma in DOWNING_LEMMAS \
            and (lemma != "shoot" or is_shot_down(verb)):
        return lemma
    return None


#: Words that make the next item of a list a group of its own: "six tanks and other armoured vehicles".
SEPARATE_GROUP_WORDS = frozenset({"other", "more", "additional", "further", "extra", "several", "many", "some"})


def _shared_with_another_kind(span, match: EquipmentMatch, sentence_matches: Sequence[EquipmentMatch],
                              offset: int) -> bool:
    """A number before a list of kinds counts them together ("15 tanks and armored vehicles", "two
    dozen armoured vehicles and tanks"): the conventions give each kind's row no count, as for a
    total without a split. Items of one kind ("15 armored vehicles and personnel carriers") and
    items with numbers of their own ("five Cobras and four Hueys") keep theirs."""
    for conjunct in span.root.children:
        if conjunct.dep_ != "conj" or any(
                child.dep_ not in ("amod", "compound") or child.lower_ in SEPARATE_GROUP_WORDS
                or any(token.like_num for token in child.subtree) for child in conjunct.lefts):
            continue  # "and other armoured vehicles", "and some planes", "and 21 IFVs": a group of its own
        other = _match_at(conjunct, sentence_matches, offset)
        if other is not None and other.category not in (match.category, "equipment", "personnel"):
            return True
    return False


def _match_at(token, sentence_matches: Sequence[EquipmentMatch], offset: int) -> EquipmentMatch | None:
    """The equipment match of the sentence that holds ``token`` (the sentence begins at ``offset``
    of the article), or None."""
    at = token.idx + offset
    return next((m for m in sentence_matches if m.start <= at < m.end), None)


def _defines_a_type(root) -> bool:
    """A sentence that says what a type is: "The Ka-52 helicopter is a Russian combat
    helicopter", "The S-400 is a long-range air defence system". Its subject and its "a/an"
    complement are kinds, not groups somewhere ("There is a Russian warship off Tartus" is). Not
    for ships: "The USS Carney is a guided-missile destroyer" says what one ship is."""
    node = _list_head(root)
    verb = node.head
    if verb.lemma_ != "be" or verb.tag_ not in ("VBZ", "VBP") or any(c.dep_ == "expl" for c in verb.children):
        return False
    complement = next((c for c in verb.children if c.dep_ == "attr"), None)
    if complement is None or not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in complement.children):
        return False
    return node.dep_ == "nsubj" or node.i == complement.i


#: What carries others' equipment: the conventions give no row to the flight or ship that brought it.
CARRIER_CATEGORIES = frozenset({"aircraft", "ship", "helicopter", "vehicle"})
#: Warships whose "cargo" is their own air wing or weapons: "the carrier, which brings 70 aircraft".
WARSHIP_ROLES = frozenset({"carrier", "destroyer", "frigate", "cruiser", "submarine", "corvette"})
#: What a transport carries when it is no equipment: "brought supplies", "delivered ammunition".
CARGO_NOUNS = frozenset({"supply", "supplies", "cargo", "equipment", "weapon", "weapons", "ammunition", "munition",
                         "munitions", "troops", "soldiers", "personnel", "aid", "fuel", "hardware", "materiel"})
#: Verbs of carrying a cargo: "a plane delivered four helicopters", "the ship that brought the tanks"
#: (not "carry": a warship carries its own missiles).
CARRYING_LEMMAS = frozenset({"deliver", "bring", "transport", "ferry", "airlift", "haul", "unload"})


def _carries_cargo(root, sentence_matches: Sequence[EquipmentMatch], offset: int) -> bool:
    """The subject of a carrying verb whose object is equipment or a cargo ("a special plane has
    delivered four helicopters", "two Chinooks brought supplies"), or a group whose own clause
    carries one ("the ship that brought the tanks"); not "warships delivered missile strikes"."""
    def cargo(verb) -> bool:  # "delivered four helicopters", "delivering dozens of weapons"
        return any(child.dep_ == "dobj" and any(token.lemma_.lower() in CARGO_NOUNS
                                                or _match_at(token, sentence_matches, offset) is not None
                                                for token in child.subtree)
                   for child in verb.children)
    node = _list_head(root)
    verb = node.head
    if node.dep_ == "nsubj" and verb.lemma_.lower() in CARRYING_LEMMAS and cargo(verb):
        return True
    return any(child.dep_ in ("relcl", "acl") and child.lemma_.lower() in CARRYING_LEMMAS and cargo(child)
               for child in node.children)


#: Verbs and participles by which a platform holds its weapons: "carry Kalibr cruise missiles",
#: "armed with", "equipped with", "fitted with".
ARMAMENT_LEMMAS = frozenset({"carry", "arm", "equip", "fit"})


def _carried_as_armament(root) -> bool:
    """Missiles and drones a ship or aircraft carries ("the frigate carries Kalibr cruise
    missiles", "destroyers equipped with Tomahawk missiles"): its armament, a munition, not a
    group of its own (a launcher system says so in its words)."""
    node = _list_head(root)
    verb = node.head
    if node.dep_ == "dobj" and verb.lemma_.lower() in ARMAMENT_LEMMAS:
        return True
    return node.dep_ == "pobj" and verb.lower_ == "with" and verb.head.lemma_.lower() in ARMAMENT_LEMMAS


def _sent_at_a_target(root, category: str) -> bool:
    """Drones and missiles that someone launched ("eleven Belarus-launched drones", "strike drones
    that Iran launched"), and missiles brought down in flight ("shot down two cruise missiles"),
    whoever owns them: munitions, not a group anywhere. A missile system in flight is never shot down."""
    node = _list_head(root)
    downed = _brought_down(node)
    if any(child.dep_ in ("amod", "acl", "relcl") and child.lemma_.lower() in LAUNCHING_LEMMAS
           and (downed or not any(grand.dep_ == "prep" and grand.lower_ == "from" for grand in child.children))
           for child in node.children):
        return True  # "shot down drones launched from Yemen"; not "Reaper drones launched from Larissa flew"
    # not "destroyed two missiles": those may be launchers struck on the ground
    return category == "missile" and downed is not None and downed != "destroy"


def _list_head(token):
    """The first item of the list a token is in ("F-16s" of "operates F-16s and Su-30s"), whose
    head is the list's governor."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


#: A state's armed service after its adjective: "the Indian Army", "Pakistani troops", "Polish forces".
FORCE_AFTER = re.compile(r"[ \t]+(?:army|air[ \t]+force|navy|marines|coast[ \t]+guard|military|armed[ \t]+forces|"
                         r"troops|forces|soldiers)\b", re.IGNORECASE)


def national_forces_named(text: str, toponyms: Sequence[Toponym], actors: ActorLexicon) -> Counter:
    """How often the text names each state's forces by its adjective ("the Indian Army", "Chinese
    troops"): a vote for the owner of what no sentence gives an owner, as the lexicon's named
    services are ("U.S. Army", "PLA"), which ``ActorLexicon.named_in`` counts already."""
    counts: Counter = Counter()
    for toponym in toponyms:
        force = FORCE_AFTER.match(text, toponym.end) if toponym.mention == "adjective" else None
        if force is not None and actors.lookup(text[toponym.start:force.end()]) is None:
            actor = country_actor(toponym)
            if actor is not None:
                counts[actor] += 1
    return counts


def _shifted(records, offset: int) -> list:
    """Records with ``start``/``end`` moved by ``offset`` characters (between a section or a
    sentence and its article)."""
    return [dataclasses.replace(r, start=r.start + offset, end=r.end + offset) for r in records]


#: Words of a unit's or a formation's name: "Task Force Falcon", "Makin Island Amphibious Ready Group".
UNIT_NAME_BEFORE = re.compile(r"\b(?:Task\s+Force|Operation|Exercise|Camp)\s+$")
UNIT_NAME_AFTER = re.compile(r"^\s+(?:[A-Z][a-z]+\s+){0,2}(?:(?:Amphibious|Carrier|Expeditionary|Strike|Ready|Air|Combat|Battle|Task|"
                             r"Naval|Army|Marine|National)\s+)*(?:Group|Force|Wing|Squadron|Brigade|Battalion|"
                             r"Regiment|Division|Fleet|Guard|Corps|Unit|Team)\b")


def _names_no_place(text: str, toponym: Toponym, matches: Sequence[EquipmentMatch], ship_names: frozenset[str]) -> bool:
    """A place name that is part of another name: a unit's ("Task Force Falcon", "Makin Island
    Amphibious Ready Group"), an equipment word ("Chinook", "Apache"), a service ("Marines"), or
    a ship's (``ship_names``: the article's named ships, "richmond" of "HMS Richmond")."""
    if UNIT_NAME_BEFORE.search(text[max(0, toponym.start - 20):toponym.start]) \
            or UNIT_NAME_AFTER.match(text[toponym.end:toponym.end + 50]):
        return True
    if MILITARY_WORDS.fullmatch(toponym.text):
        return True
    if CLASS_AFTER.match(text, toponym.end):
        return True  # "a Kilo-class submarine", "the Ticonderoga class"
    written = toponym.text.rstrip("s’'").lower()
    if _small_place(toponym) and any(match.model is not None and text[match.start:match.end].lower().startswith(written)
                                     for match in matches):
        return True  # "Patriots protect people" over a story of the Patriot system: the type, not a town
    if _small_place(toponym) and toponym.text.lower() in ship_names \
            and not _other_kinds_near(toponym, matches):
        return True  # "the team in Richmond" in a story of HMS Richmond: the ship's crew, not the town
    if _small_place(toponym) and SHIP_THE_BEFORE.search(text, max(0, toponym.start - 12), toponym.start) \
            and not TOWN_KEPT_AFTER.match(text, toponym.end) and not (toponym.name or "").startswith("The ") \
            and any(m.category == "ship" and abs(m.start - toponym.start) <= SHIP_NEAR_CHARS for m in matches):
        return True  # "moored alongside the Novocherkassk": by a ship, "the" before a town's name makes it a ship's
    for match in matches:
        if match.start < toponym.end and toponym.start < match.end:
            return True
        if match.end <= toponym.start and NAME_GAP.fullmatch(text, match.end, toponym.start):
            return True  # "the cruiser Normandy", "C-130 Hercules": the name of a ship or a type
        if match.category == "ship" and match.end <= toponym.start and SHIP_APPOSITION.fullmatch(
                text, match.end, toponym.start) and not (toponym.feature_code or "").startswith("PCL") \
                and NAME_ENDS.match(text, toponym.end):
            return True  # "The Chinese carrier, the Shandong,", "a carrier vessel, Bushehr.": the ship's name
        if match.end <= toponym.start and QUOTED_NAME_BEFORE.fullmatch(text, match.end, toponym.start) \
                and QUOTE_AFTER.match(text, toponym.end):
            return True  # 'the Type 054A frigate "Hengyang"': a name in quotes after its kind
        if toponym.end <= match.start and NAME_GAP.fullmatch(text, toponym.end, match.start) \
                and _small_place(toponym) and not EVENT_AFTER.match(text, match.end):
            return True  # "Orion drones", "Hermes 900 drones": a type named after a town
    return False


#: "the" right before a name: English writes it before a ship's name, seldom before a town's.
SHIP_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+$")
#: How near a ship word must be for "the X" to read as a ship's name.
SHIP_NEAR_CHARS = 200
#: What keeps a town a town after "the": a place word ("the Kharkiv region", "the Latakia
#: countryside"), a hyphen, or another name it is listed with ("the Belgorod and Kursk regions").
TOWN_KEPT_AFTER = re.compile(r"['’]?s?[ \t]+(?:region|province|oblast|district|area|countryside|governorate|"
                             r"front|sector|direction|axis|airport|air\s*base|port|harbou?r|city|municipality|"
                             r"outskirts|suburbs?|border|garrison|base|bay|shipyard|dockyard|naval)\b|[ \t]*[-–][ \t]*\w|"
                             r"(?:,|[ \t]+and|[ \t]+or)[ \t]+[A-Z]", re.IGNORECASE)


def _ship_names(text: str, matches: Sequence[EquipmentMatch]) -> frozenset[str]:
    """The names of the article's named ships without their prefix ("HMS Richmond" -> "richmond"),
    every name of a list: a story names a ship bare once it has named it in full."""
    return frozenset(found.group("name").lower() for match in matches if match.named
                     for found in SHIP_NAME.finditer(text, match.start, match.end))


def _other_kinds_near(toponym: Toponym, matches: Sequence[EquipmentMatch]) -> bool:
    """Equipment other than ships close to a name: "Ten tanks were seen in Portland" is the town,
    whatever ship of the story bears its name."""
    return any(m.category != "ship" and abs(m.start - toponym.start) <= SHIP_NEAR_CHARS // 2 for m in matches)


#: A ship's name set off after its kind: "the carrier, the Shandong", "a carrier vessel, Bushehr".
SHIP_APPOSITION = re.compile(r"[ \t]*,[ \t]+(?:the[ \t]+)?")
#: A name quoted right after an equipment word: 'frigate "Hengyang"', "destroyer ‘Zunyi’".
QUOTED_NAME_BEFORE = re.compile(r"[ \t]*[\"“‘'«][ \t]*")
QUOTE_AFTER = re.compile(r"[,.]?[\"”’'»]")
#: What ends such a name: a comma, a stop, a bracket, a dash.
NAME_ENDS = re.compile(r"[ \t]*(?:[,.;)]|[–—]|$)")
#: Between an equipment word and a name that is the vessel's or the type's own: a space, a hyphen.
NAME_GAP = re.compile(r"[ \t]*-?[ \t]*|[ \t]+(?:[A-Z]{0,3}-?\d+[A-Za-z]*[ \t]+)?")
CLASS_AFTER = re.compile(r"[ \t]*-?[ \t]*class\b", re.IGNORECASE)
#: "an Odesa drone attack": the town is where the event happened, not the type's name.
EVENT_AFTER = re.compile(r"\s+(?:attacks?|strikes?|raids?|assaults?|incursions?|sightings?|alerts?)\b", re.IGNORECASE)


def _small_place(toponym: Toponym) -> bool:
    """A town, not a country, a region or a capital: a type may be named after one."""
    code = toponym.feature_code or ""
    return code.startswith("PPL") and code not in ("PPLC", "PPLA", "PPLG")


def sections_of(text: str, size: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """(start, end) of sections of about ``size`` characters, each ending at a paragraph break,
    else a sentence's end, else a space, else at ``size`` itself."""
    sections = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start + size // 2:end]
            for pattern in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(pattern)
                if cut >= 0:
                    end = start + size // 2 + cut + len(pattern)
                    break
        sections.append((start, end))
        start = end
    return sections


def sentences_of(text: str) -> list[Sentence]:
    """The sentences of ``text`` as the rule tokeniser cuts them (a new line starts one), with an
    over-long one cut at ``MAX_PARSED_CHARS``."""
    tokens = tokenize(text)
    sentences: list[Sentence] = []
    start: int | None = None
    for index in range(len(tokens)):
        if tokens.sentence_start[index] or start is None:
            if start is not None:
                sentences.append(Sentence(start, tokens.ends[index - 1]))
            start = tokens.starts[index]
        elif tokens.ends[index] - start > MAX_PARSED_CHARS:
            sentences.append(Sentence(start, tokens.ends[index - 1]))
            start = tokens.starts[index]
    if start is not None:
        sentences.append(Sentence(start, tokens.ends[-1]))
    return _without_datelines(text, sentences) or [Sentence(0, len(text))]


#: A wire dateline opening a paragraph: "TAIPEI, Taiwan (AP) —", "KYIV, Ukraine (Reuters) -",
#: "POWIDZ, Poland--", "STUTTGART, Germany, Feb. 14, 2017 —", "DIEGO GARCIA, British Indian Ocean
#: Territory (April 22, 2025) –".
DATELINE = re.compile(r"[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+)*(?:,[^\n—–()]{1,60}?)?(?:\s*\([^()\n]{1,40}\))?"
                      r"\s*(?:—|–|--|-(?=\s))\s*")


def _without_datelines(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """A dateline is a sentence of its own: the place a story was filed from is no part of the
    first sentence's grammar ("TAIPEI, Taiwan (AP) — China sent 21 aircraft": Taiwan owns none)."""
    result = []
    for sentence in sentences:
        at_line_start = sentence.start == 0 or text[sentence.start - 1] == "\n"
        match = DATELINE.match(text, sentence.start, sentence.end) if at_line_start else None
        if match is None or match.end() >= sentence.end or match.end() - sentence.start > 120:
            result.append(sentence)
            continue
        result.append(Sentence(sentence.start, match.end()))
        result.append(Sentence(match.end(), sentence.end))
    return result


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor.default()


def extract(inputs: Iterable[str] | None = None, *, text: str | None = None,
            articles: Iterable[Article] | None = None, layer: str = "deployments"):
    """Deployments as a GeoDataFrame (EPSG:4326), from files/folders, one text, or ``Article``s.

    ``layer="places"`` returns every place mention instead, ``layer="other_mentions"`` the
    personnel and untyped equipment. Exactly one of ``inputs``, ``text``, ``articles`` is given.
    """
    from tracker.errors import InputError
    from tracker.pipelines.frame import deployments_frame, places_frame
    from tracker.sources.articles import article_from_text
    from tracker.sources.files import read_articles

    given = [x is not None for x in (inputs, text, articles)]
    if sum(given) != 1:
        raise InputError("give exactly one of inputs=, text= or articles=")
    if text is not None:
        articles = [article_from_text(text)]
    elif inputs is not None:
        if isinstance(inputs, str):
            inputs = [inputs]
        articles = read_articles(inputs)
    extracted = list(default_extractor().extract_articles(articles))  # type: ignore[arg-type]
    if layer == "places":
        return places_frame(extracted)
    if layer == "other_mentions":
        return deployments_frame(d for item in extracted for d in item.untyped)
    if layer != "deployments":
        raise InputError(f"'layer' should be one of 'deployments', 'places', 'other_mentions', got {layer!r} instead")
    return deployments_frame(d for item in extracted for d in item.deployments)
