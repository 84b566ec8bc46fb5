"""Polling feeds into a store: what is new is stored once, an unchanged feed costs one request, a
stop between articles leaves the rest for the next poll, and a broken feed or store is survived."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tracker.pipelines.engines import local_engine
from tracker.sources.fetch import FetchOptions, Fetcher, FetchCache
from tracker.store.database import open_store
from tracker.store.watch import default_state_path, poll, watch


def stored_ids(store) -> list[str]:
    with sqlite3.connect(store) as connection:
        return sorted(r[0] for r in connection.execute("SELECT article_id FROM articles"))


@pytest.fixture(scope="module")
def extract_batch():
    return local_engine()


def test_a_second_poll_of_unchanged_feeds_costs_one_request_each(news_site, tmp_path, extract_batch):
    store = str(tmp_path / "s.gpkg")
    feeds = [news_site.url("/feed.xml"), news_site.url("/atom.xml")]
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        first = poll(store, feeds, fetcher=fetcher, extract_batch=extract_batch, on_error=pytest.fail)
        before = fetcher.requests
        second = poll(store, feeds, fetcher=fetcher, extract_batch=extract_batch, on_error=pytest.fail)
    assert (first.articles, first.skipped, first.errors) == (4, 1, 0) and first.deployments > 0
    assert (second.articles, second.urls_read) == (0, 2) and fetcher.requests - before == 2
    assert len(stored_ids(store)) == 4


def test_watch_once_saves_validators_beside_the_store(news_site, tmp_path, extract_batch):
    store = str(tmp_path / "s.gpkg")
    state = default_state_path(store)
    lines: list[str] = []
    for _ in range(2):  # as cron runs it: a new process, a new fetcher, the state file between them
        sent = len(news_site.log)
        with Fetcher(FetchOptions(delay=0), cache=FetchCache.load(state)) as fetcher:
            result = watch(store, [news_site.url("/feed.xml")], fetcher=fetcher, extract_batch=extract_batch,
                           on_error=pytest.fail, log=lines.append, once=True, state_path=state)
    assert state.name == "s.gpkg.http-cache.json"
    # the second run costs one request: the feed, answered 304 (robots.txt is remembered for a day)
    assert result.articles == 0 and [r.path for r in news_site.log[sent:]] == ["/feed.xml"]
    assert news_site.log[-1].headers.get("if-none-match") == '"feed-v1"'
    assert "3 new articles" in lines[0] and "0 new articles" in lines[1] and len(lines) == 2


def test_a_stop_between_articles_leaves_the_rest_for_the_next_poll(news_site, tmp_path, extract_batch):
    store = str(tmp_path / "s.gpkg")
    stop = threading.Event()

    def extract_then_stop(articles):
        stop.set()  # as a SIGTERM during the first article would
        return extract_batch(articles)

    lines: list[str] = []
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        result = watch(store, [news_site.url("/feed.xml")], fetcher=fetcher, extract_batch=extract_then_stop,
                       on_error=pytest.fail, log=lines.append, every=3600, stop=stop, batch_size=1)
        assert result.articles == 1 and lines[-1].endswith("(stopped)") and len(lines) == 1
        assert fetcher.cache.get(news_site.url("/feed.xml")) is None
        rest = poll(store, [news_site.url("/feed.xml")], fetcher=fetcher, extract_batch=extract_batch,
                    on_error=pytest.fail)
    assert (rest.articles, rest.skipped) == (2, 1) and len(stored_ids(store)) == 3


def test_a_feed_that_is_down_or_garbage_is_an_error_of_the_poll(news_site, tmp_path, extract_batch):
    errors = []
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        result = poll(str(tmp_path / "s.gpkg"), ["http://127.0.0.1:9/down.xml", news_site.url("/garbage.xml"),
                                                 news_site.url("/atom.xml")],
                      fetcher=fetcher, extract_batch=extract_batch, on_error=errors.append)
    assert result.errors == 2 and result.articles == 2 and not result.nothing_read
    assert "cannot be reached" in str(errors[0]) and "not a readable" in str(errors[1])


def test_a_store_that_cannot_be_written_is_logged_and_the_watch_goes_on(news_site, tmp_path, extract_batch):
    blocked = tmp_path / "blocked.gpkg"
    blocked.mkdir()  # a folder where the store should be
    stop = threading.Event()
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        if len(lines) == 2:
            stop.set()

    with Fetcher(FetchOptions(delay=0)) as fetcher:
        result = watch(str(blocked), [news_site.url("/feed.xml")], fetcher=fetcher, extract_batch=extract_batch,
                       on_error=pytest.fail, log=log, every=0.01, stop=stop)
    assert len(lines) == 2 and all("store not written" in line for line in lines)
    assert result.errors == 1


def slow_feed(site, pages: int, seconds: float) -> str:
    """A feed of ``pages`` items whose pages each take ``seconds`` to answer; its URL."""
    import time

    from local_server import Reply
    from news_site import TANKS, page

    items = "".join(f"<item><title>Story {n}</title><link>{site.url(f'/slow/{n}')}</link></item>" for n in range(pages))
    site.routes["/slow.xml"] = Reply(200, f'<rss version="2.0"><channel><title>Slow</title>{items}</channel></rss>'
                                     .encode(), "application/rss+xml")

    def answer_slowly(number: int):
        def answer(request):
            time.sleep(seconds)
            return Reply(200, page(f"Story {number}", [f"On day {number + 1} of the exercise, {TANKS[0]}"]))
        return answer

    for n in range(pages):
        site.routes[f"/slow/{n}"] = answer_slowly(n)
    return site.url("/slow.xml")


def test_a_poll_that_reaches_its_timeout_writes_what_it_read_and_leaves_the_rest(news_site, tmp_path,
                                                                                 extract_batch):
    import time

    store = str(tmp_path / "s.gpkg")
    open_store(store, create=True).close()  # the poll's time goes to reading, not to creating the store
    feed = slow_feed(news_site, pages=4, seconds=1.2)
    lines: list[str] = []
    with Fetcher(FetchOptions(delay=0, timeout=5)) as fetcher:
        started = time.monotonic()
        first = watch(store, [feed], fetcher=fetcher, extract_batch=extract_batch, on_error=pytest.fail,
                      log=lines.append, once=True, poll_timeout=1.9)
        read_for = time.monotonic() - started
        asked = [news_site.requests_to(f"/slow/{n}") for n in range(4)]
        assert fetcher.cache.get(feed) is None  # the feed left part-way is read again from the start
        rest = poll(store, [feed], fetcher=fetcher, extract_batch=extract_batch, on_error=pytest.fail)
    # the first page took 1.2 s; the second was cut at 1.9 s; the other two were never asked for
    assert (first.articles, first.items_left, first.timed_out, first.errors) == (1, 3, 1.9, 0)
    assert "poll timeout (1.9 s) reached; 3 feed items and 0 URLs left for the next poll" in lines[0]
    assert read_for < 6  # 1.9 s of reading, then extraction; without the timeout 4.8 s of pages
    assert asked == [1, 1, 0, 0]
    assert (rest.articles, rest.skipped, rest.items_left, rest.timed_out) == (3, 1, 0, None)
    assert len(stored_ids(store)) == 4


def test_feeds_not_reached_before_the_poll_timeout_are_counted(news_site, tmp_path, extract_batch):
    store = str(tmp_path / "s.gpkg")
    open_store(store, create=True).close()
    feeds = [slow_feed(news_site, pages=2, seconds=1.2), news_site.url("/feed.xml"), news_site.url("/atom.xml")]
    with Fetcher(FetchOptions(delay=0, timeout=5)) as fetcher:
        result = poll(store, feeds, fetcher=fetcher, extract_batch=extract_batch, on_error=pytest.fail, timeout=1.9)
    assert (result.articles, result.items_left, result.urls_left) == (1, 1, 2)
    assert news_site.requests_to("/feed.xml") == 0 and news_site.requests_to("/atom.xml") == 0
    assert "1 feed item and 2 URLs left for the next poll" in result.summary()
