"""The extraction pipeline: article -> places and equipment deployments, one parse per article.

``Extractor.default()`` parses each article once with spaCy (tagger, parser, entities), finds
and resolves its places as ``tracker.geoparse`` does, finds its equipment with the lexicon,
reads count, owner and status from the parse, and links each group to a place
(``tracker.link``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.gazetteer.index import Gazetteer, default_gazetteer
from tracker.geoparse import ResolveMentions
from tracker.link import link_deployments
from tracker.models import Article, Deployment, EquipmentMention, Toponym
from tracker.recognize.attributes import ActorLexicon, actor_of, default_actors, status_of
from tracker.recognize.counts import parse_count
from tracker.recognize.equipment import EquipmentLexicon, default_lexicon
from tracker.recognize.cues import load_common_words
from tracker.recognize.toponyms import ToponymRecognizer, load_language_model
from tracker.resolve import Resolver

MUNITION_CATEGORIES = frozenset({"missile", "drone"})
LAUNCHER_WORDS = re.compile(r"launcher|system|battery|batteries", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    article: Article
    toponyms: tuple[Toponym, ...]
    deployments: tuple[Deployment, ...]
    untyped: tuple[Deployment, ...]  # personnel and untyped equipment


class Extractor:
    def __init__(self, nlp, recognizer: ToponymRecognizer, resolve: ResolveMentions,
                 lexicon: EquipmentLexicon, actors: ActorLexicon) -> None:
        self.nlp = nlp
        self.recognizer = recognizer
        self.resolve = resolve
        self.lexicon = lexicon
        self.actors = actors

    @classmethod
    def default(cls, *, gazetteer: Gazetteer | None = None, resolve: ResolveMentions | None = None) -> Extractor:
        gazetteer = gazetteer or default_gazetteer()
        nlp = load_language_model(parse=True)
        recognizer = ToponymRecognizer(gazetteer, nlp, load_common_words())
        return cls(nlp, recognizer, resolve or Resolver(gazetteer), default_lexicon(), default_actors())

    def extract_articles(self, articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[ExtractedArticle]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._extract_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._extract_batch(batch, batch_size)

    def __call__(self, article: Article) -> ExtractedArticle:
        return next(self.extract_articles([article]))

    def _extract_batch(self, batch: list[Article], batch_size: int) -> Iterator[ExtractedArticle]:
        for article, doc in zip(batch, self.nlp.pipe((a.text for a in batch), batch_size=batch_size)):
            toponyms = self.resolve(self.recognizer.mentions_in(doc), article.text)
            mentions = self.equipment_in(doc, toponyms)
            deployments, untyped = link_deployments(article, mentions, toponyms)
            yield ExtractedArticle(article, tuple(toponyms), tuple(deployments), tuple(untyped))

    def equipment_in(self, doc, toponyms: Sequence[Toponym]) -> list[EquipmentMention]:
        mentions = []
        for match in self.lexicon.find(doc.text):
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            reading = status_of(doc, span.start, span.end)
            if reading.negated or reading.fired and match.category in MUNITION_CATEGORIES \
                    and not LAUNCHER_WORDS.search(match.text):
                continue  # not asserted, or munitions fired: "launched 300 drones and missiles"
            count = parse_count(doc, span.start, span.end)
            actor = actor_of(doc, span.start, span.end, list(toponyms), self.actors)
            sentence = span.sent
            mentions.append(EquipmentMention(
                start=match.start, end=match.end, text=match.text, category=match.category, role=match.role,
                model=match.model, count=count.count, count_qualifier=count.qualifier, count_max=count.count_max,
                definite=count.definite, actor=actor.name if actor else None, status=reading.status,
                sentence_start=sentence.start_char, sentence_end=sentence.end_char))
        return mentions


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
    from tracker.frame import deployments_frame, places_frame
    from tracker.ingest import article_from_text, read_articles

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
