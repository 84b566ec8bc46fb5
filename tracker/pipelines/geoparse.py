"""The geoparsing pipeline: article text -> recognised mentions -> resolved toponyms."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tracker.gazetteer.index import Gazetteer, default_gazetteer
from tracker.gazetteer.word_lists import load_common_words
from tracker.sources.articles import article_from_text
from tracker.models import Article, Mention, Toponym
from tracker.recognize.gazetteer_toponyms import GazetteerRecognizer
from tracker.recognize.toponyms import ToponymRecognizer, load_language_model
from tracker.resolve.resolver import Resolver

#: Anything that turns (mentions, text) into toponyms: the offline ``Resolver`` or an online geocoder's.
ResolveMentions = Callable[[Sequence[Mention], str], list[Toponym]]


@dataclass(frozen=True, slots=True)
class GeoparsedArticle:
    article: Article
    toponyms: tuple[Toponym, ...]


#: The recognisers a geoparser can use: the gazetteer recogniser (default, fast) or spaCy's NER.
RECOGNIZERS = ("gazetteer", "spacy")


class Geoparser:
    """Recogniser plus resolver. ``Geoparser.default()`` uses the bundled data, offline.

    The default recogniser matches the gazetteer with a learned filter (about 15 times faster
    than the neural NER and more accurate on the dev corpora); ``recognizer="spacy"`` uses
    spaCy's entities with the same gazetteer.
    """

    def __init__(self, recognizer: GazetteerRecognizer | ToponymRecognizer, resolve: ResolveMentions) -> None:
        self.recognizer = recognizer
        self.resolve = resolve

    @classmethod
    def default(cls, *, gazetteer: Gazetteer | None = None, resolve: ResolveMentions | None = None,
                recognizer: str = "gazetteer") -> Geoparser:
        gazetteer = gazetteer or default_gazetteer()
        if recognizer == "spacy":
            chosen: GazetteerRecognizer | ToponymRecognizer = ToponymRecognizer(
                gazetteer, load_language_model(), load_common_words())
        elif recognizer == "gazetteer":
            chosen = GazetteerRecognizer.default(gazetteer)
        else:
            raise ValueError(f"unknown recognizer {recognizer!r}; choose one of {', '.join(RECOGNIZERS)}")
        return cls(chosen, resolve or Resolver(gazetteer))

    def __call__(self, text: str) -> list[Toponym]:
        return self.resolve(self.recognizer(text), text)

    def parse_articles(self, articles: Iterable[Article], *, batch_size: int = 32,
                       processes: int = 1) -> Iterator[GeoparsedArticle]:
        """Geoparse articles, yielding results in input order.

        ``processes`` > 1 works in that many worker processes: the offline geoparser (gazetteer
        recogniser, offline ``Resolver``) runs whole in a fork pool; otherwise only recognition
        does (spaCy's ``n_process`` for the spaCy recogniser) and resolution stays in this
        process, so an online geocoder's rate limit and cache are shared.
        """
        if processes > 1 and isinstance(self.recognizer, GazetteerRecognizer) and isinstance(self.resolve, Resolver):
            yield from self._parse_in_pool(articles, batch_size=batch_size, processes=processes)
            return
        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in articles:
                pending.append(article)
                yield article.text

        for mentions in self.recognizer.pipe(texts(), batch_size=batch_size, processes=processes):
            article = pending.popleft()
            yield GeoparsedArticle(article, tuple(self.resolve(mentions, article.text)))


    def _parse_in_pool(self, articles: Iterable[Article], *, batch_size: int, processes: int) -> Iterator[GeoparsedArticle]:
        """The offline geoparser whole (recognition and resolution) in a pool of forked workers
        that inherit it, ``batch_size`` // 2 articles handed out at a time: only texts and
        toponyms cross between processes, and the results are those of one process."""
        global _WORKER_GEOPARSER
        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in articles:
                pending.append(article)
                yield article.text

        _WORKER_GEOPARSER = self
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for toponyms in pool.imap(_geoparse_in_worker, texts(), chunksize=max(1, batch_size // 2)):
                yield GeoparsedArticle(pending.popleft(), tuple(toponyms))


_WORKER_GEOPARSER: Geoparser | None = None


def _geoparse_in_worker(text: str) -> list[Toponym]:
    assert _WORKER_GEOPARSER is not None
    return _WORKER_GEOPARSER(text)


@lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    return Geoparser.default()


def geoparse(text: str) -> list[Toponym]:
    """Place names in ``text``, resolved offline with the bundled gazetteer, in text order."""
    article = article_from_text(text)
    return default_geoparser()(article.text)
