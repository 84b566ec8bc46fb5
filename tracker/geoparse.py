"""The geoparsing pipeline: article text -> recognised mentions -> resolved toponyms."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.gazetteer.index import Gazetteer, default_gazetteer
from tracker.ingest import article_from_text
from tracker.models import Article, Mention, Toponym
from tracker.recognize.toponyms import ToponymRecognizer, load_common_words, load_language_model
from tracker.resolve import Resolver

#: Anything that turns (mentions, text) into toponyms: the offline ``Resolver`` or an online geocoder's.
ResolveMentions = Callable[[Sequence[Mention], str], list[Toponym]]


@dataclass(frozen=True, slots=True)
class GeoparsedArticle:
    article: Article
    toponyms: tuple[Toponym, ...]


class Geoparser:
    """Recogniser plus resolver. ``Geoparser.default()`` uses the bundled data, offline."""

    def __init__(self, recognizer: ToponymRecognizer, resolve: ResolveMentions) -> None:
        self.recognizer = recognizer
        self.resolve = resolve

    @classmethod
    def default(cls, *, gazetteer: Gazetteer | None = None, resolve: ResolveMentions | None = None) -> Geoparser:
        gazetteer = gazetteer or default_gazetteer()
        recognizer = ToponymRecognizer(gazetteer, load_language_model(), load_common_words())
        return cls(recognizer, resolve or Resolver(gazetteer))

    def __call__(self, text: str) -> list[Toponym]:
        return self.resolve(self.recognizer(text), text)

    def parse_articles(self, articles: Iterable[Article], *, batch_size: int = 32,
                       processes: int = 1) -> Iterator[GeoparsedArticle]:
        """Geoparse articles in spaCy batches, yielding results in input order.

        ``processes`` > 1 runs the language model in that many worker processes (spaCy's
        ``n_process``); recognition and resolution stay in this one.
        """
        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in articles:
                pending.append(article)
                yield article.text

        docs = self.recognizer.nlp.pipe(texts(), batch_size=batch_size, n_process=processes)
        for doc in docs:
            article = pending.popleft()
            mentions = self.recognizer.mentions_in(doc)
            yield GeoparsedArticle(article, tuple(self.resolve(mentions, article.text)))


@lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    return Geoparser.default()


def geoparse(text: str) -> list[Toponym]:
    """Place names in ``text``, resolved offline with the bundled gazetteer, in text order."""
    article = article_from_text(text)
    return default_geoparser()(article.text)
