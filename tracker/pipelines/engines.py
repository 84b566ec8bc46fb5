"""Where the per-article work runs: in this process, or on a Dask cluster.

Both engines are callables ``list[Article] -> list[ExtractedArticle]`` that keep the input
order, so the Dask engine writes exactly the local engine's rows. The Dask engine starts a
``LocalCluster`` of worker processes (one thread each: spaCy is not thread-parallel) or joins a
running scheduler by address; each worker loads the language model and the gazetteer once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from tracker.errors import TrackerError
from tracker.pipelines.extract import ExtractedArticle
from tracker.models import Article

ExtractBatch = Callable[[list[Article]], list[ExtractedArticle]]


class EngineError(TrackerError, RuntimeError):
    """The chosen engine could not start or lost its workers."""

    exit_code = 8


def _extract_chunk(articles: Sequence[Article]) -> list[ExtractedArticle]:
    from tracker.pipelines.extract import default_extractor

    return list(default_extractor().extract_articles(articles))


def local_engine() -> ExtractBatch:
    return lambda articles: _extract_chunk(articles)


def _extract_one(article: Article) -> ExtractedArticle:
    from tracker.pipelines.extract import default_extractor

    return default_extractor()(article)


class ProcessEngine:
    """Extract each batch in ``processes`` forked worker processes, keeping the input order.

    The parent loads the extractor (gazetteer, lexicon, language model) before forking, so the
    workers share those pages instead of loading their own; only articles and results cross the
    process boundary. Rows are exactly the local engine's: the same code runs on each article.
    """

    def __init__(self, processes: int) -> None:
        import multiprocessing

        from tracker.pipelines.extract import default_extractor

        default_extractor().nlp  # noqa: B018 - loaded once here, shared by the forks
        self.processes = processes
        self.pool = multiprocessing.get_context("fork").Pool(processes)

    def __call__(self, articles: list[Article]) -> list[ExtractedArticle]:
        chunk = max(1, len(articles) // (self.processes * 4))
        return self.pool.map(_extract_one, articles, chunksize=chunk)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


class DaskEngine:
    """Split each batch into one chunk per worker, extract the chunks on the cluster, keep the order."""

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as error:
            raise EngineError("the Dask engine needs dask and distributed: pip install 'dask[distributed]'") from error
        try:
            if scheduler:
                self.cluster = None
                self.client = Client(scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError, ValueError, RuntimeError) as error:
            raise EngineError(f"Dask could not start or reach its scheduler ({error})") from error
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or (workers or 2))

    def __call__(self, articles: list[Article]) -> list[ExtractedArticle]:
        size = max(1, -(-len(articles) // self.workers))
        chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
        futures = self.client.map(_extract_chunk, chunks, pure=False)
        try:
            results = self.client.gather(futures)
        except Exception as error:  # a worker died or the scheduler went away
            raise EngineError(f"a Dask worker failed ({type(error).__name__}: {error})") from error
        return [item for chunk in results for item in chunk]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(name: str, *, workers: int | None = None, scheduler: str | None = None, processes: int = 1):
    if name == "local":
        return ProcessEngine(processes) if processes > 1 else local_engine()
    if name == "dask":
        return DaskEngine(workers=workers, scheduler=scheduler)
    raise EngineError(f"'engine' should be one of 'local' or 'dask', got {name!r} instead")
