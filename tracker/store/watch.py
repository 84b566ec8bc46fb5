"""Keep a store current: poll feeds, ingest what is new, say what happened, stop cleanly.

``poll`` reads every feed once (each feed conditionally, so an unchanged feed costs one request)
and stores the new articles; ``watch`` repeats it every ``every`` seconds until ``stop`` is set,
which the command line does on Ctrl-C or SIGTERM. Stopping is checked between articles: the
articles already read are extracted and written in their transaction, nothing is half-written,
and a feed left part-way keeps no validators, so the next poll reads the rest of it. A feed that
is down or answers garbage is an error of that poll, passed to ``on_error``; the others go on.
A poll has a deadline too (``poll_timeout``, by default half of ``every``): a host that answers
slowly on every page cannot hold the loop past it. When it comes the poll stops between articles as
for a stop, writes what it has, and leaves the rest (counted in the log line) for the next poll.
The validators (ETag, Last-Modified) and robots.txt rules are saved to ``state_path`` after each poll
that stored its articles, so a watch run from cron (``once``) also re-polls an unchanged feed with one request.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from tracker.pipelines.engines import ExtractBatch
from tracker.errors import InputError
from tracker.sources.fetch import FetchCache, Fetcher
from tracker.sources.articles import ErrorHandler
from tracker.sources.files import read_articles
from tracker.store.database import StoreError, ingest, open_store
from tracker.sources.web import WebReader

#: A poll's deadline as a share of the time between polls, unless given: the rest is slack for
#: extracting and writing what was read, so polls do not run into each other.
POLL_TIMEOUT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll did: new articles and deployments stored, articles already stored, errors,
    and how many URLs read (a 304 included)."""

    articles: int = 0
    deployments: int = 0
    skipped: int = 0
    errors: int = 0
    urls_read: int = 0
    store_error: str | None = None
    items_left: int = 0            # feed items not read, left for the next poll
    urls_left: int = 0             # feeds (or pages) not read at all, left for the next poll
    timed_out: float | None = None  # the poll timeout, when the poll reached it

    @property
    def nothing_read(self) -> bool:
        """True when no feed could be read at all (every one failed)."""
        return self.urls_read == 0 and self.articles == 0 and self.skipped == 0

    def summary(self) -> str:
        line = (f"{self.articles} new articles, {self.deployments} new deployments, {self.skipped} already stored, "
                f"{self.errors} {'error' if self.errors == 1 else 'errors'}, {self.urls_read} URLs read")
        if self.store_error:
            return f"{line}; store not written: {self.store_error}"
        if self.timed_out is not None:
            line += f"; poll timeout ({self.timed_out:g} s) reached"
        if self.items_left or self.urls_left:
            line += (f"; {self.items_left} feed {'item' if self.items_left == 1 else 'items'} and {self.urls_left} "
                     f"{'URL' if self.urls_left == 1 else 'URLs'} left for the next poll")
        return line


def default_state_path(store_location: str) -> Path:
    """Where a store's feed validators are kept: beside a GeoPackage, or in the user's cache
    folder for a PostGIS store (one file per database URL)."""
    if not store_location.startswith(("postgresql://", "postgres://")):
        return Path(f"{store_location}.http-cache.json")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha256(store_location.encode("utf-8")).hexdigest()[:16]
    return base / "tracker" / f"http-cache-{digest}.json"


def poll(store_location: str, feeds: Sequence[str], *, fetcher: Fetcher, extract_batch: ExtractBatch,
         on_error: ErrorHandler, stop: Callable[[], bool] = lambda: False, batch_size: int = 8,
         timeout: float | None = None) -> PollResult:
    """Read each feed once and store what is new, reading for at most ``timeout`` seconds (on the
    fetcher's clock; no request outlasts it): what was read by then is written, the rest is left.
    A store that cannot be written is a ``StoreError``; the validators of this poll are then
    dropped, so the next poll reads again."""
    deadline = None if timeout is None else fetcher.clock() + timeout
    before = fetcher.cache.copy()
    errors: list[InputError] = []

    def report(error: InputError) -> None:
        errors.append(error)
        on_error(error)

    store = open_store(store_location, create=True)
    try:
        web = WebReader(fetcher, known_ids=store.known()[0], stop=stop, deadline=deadline)
        articles = read_articles(feeds, on_error=report, web=web)
        counts = ingest(store, articles, extract_batch, batch_size=batch_size)
    except BaseException:
        fetcher.cache = before
        raise
    finally:
        store.close()
    timed_out = deadline is not None and fetcher.clock() >= deadline and not stop()
    return PollResult(articles=counts.articles, deployments=counts.deployments,
                      skipped=counts.skipped + web.skipped_known, errors=len(errors), urls_read=web.urls_read,
                      items_left=web.items_left, urls_left=web.urls_left, timed_out=timeout if timed_out else None)


def watch(store_location: str, feeds: Sequence[str], *, fetcher: Fetcher, extract_batch: ExtractBatch,
          on_error: ErrorHandler, log: Callable[[str], None], every: float = 900.0, once: bool = False,
          stop: threading.Event | None = None, state_path: Path | None = None, batch_size: int = 8,
          clock: Callable[[], float] = time.monotonic, poll_timeout: float | None = None) -> PollResult:
    """Poll until ``stop`` is set (or once); log one line per poll; return the last poll's result.
    Each poll reads for at most ``poll_timeout`` seconds (default: ``POLL_TIMEOUT_SHARE`` of ``every``).

    A store error in a long watch is logged and the next poll tries again; with ``once`` it is raised.
    """
    stop = stop or threading.Event()
    poll_timeout = every * POLL_TIMEOUT_SHARE if poll_timeout is None else poll_timeout
    number = 0
    while True:
        number += 1
        started = clock()
        try:
            result = poll(store_location, feeds, fetcher=fetcher, extract_batch=extract_batch, on_error=on_error,
                          stop=stop.is_set, batch_size=batch_size, timeout=poll_timeout)
        except StoreError as error:
            if once:
                raise
            result = PollResult(errors=1, store_error=str(error))
        else:
            if state_path is not None:
                try:
                    fetcher.cache.save(state_path)
                except OSError as error:
                    on_error(InputError(f"{state_path}: feed validators not saved ({error.strerror or error}); "
                                        "the next poll fetches every feed in full"))
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        stopped = " (stopped)" if stop.is_set() else ""
        log(f"{stamp} poll {number}: {result.summary()}{stopped}")
        if once or stop.is_set():
            return result
        stop.wait(max(0.0, every - (clock() - started)))
        if stop.is_set():
            return result


def load_state(state_path: Path) -> FetchCache:
    """The validators and robots.txt rules a previous watch saved (empty when there are none)."""
    return FetchCache.load(state_path)
