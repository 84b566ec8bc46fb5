"""The command line on feeds: ingest and watch a local news site, as the README's feed workflow does."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tracker.cli.main import main


def run(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(list(args))
    lines = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(lines)
    assert all(line.startswith("tracker: ") for line in lines), lines
    return code, lines


def articles(store) -> dict[str, str]:
    with sqlite3.connect(store) as connection:
        return dict(connection.execute("SELECT article_id, published FROM articles"))


def test_ingest_a_feed_stores_each_item_once_with_its_date(news_site, tmp_path, capsys):
    store = str(tmp_path / "s.gpkg")
    code, lines = run(capsys, "ingest", news_site.url("/feed.xml"), "--store", store, "--delay", "0")
    assert code == 0 and "added 3 articles" in lines[-1]
    assert articles(store) == {news_site.url("/news/warships-sevastopol"): "2026-11-30T08:15:00+00:00",
                               news_site.url("/news/lviv-trams"): "2026-12-01T10:00:00+02:00",
                               news_site.url("/news/removed-story"): "2026-11-26T12:00:00+00:00"}
    pages = news_site.requests_to("/news/lviv-trams")
    code, lines = run(capsys, "ingest", news_site.url("/feed.xml"), news_site.url("/atom.xml"), "--store", store,
                      "--delay", "0")
    assert code == 0 and "added 1 articles" in lines[-1] and "skipped 4 already stored" in lines[-1]
    assert news_site.requests_to("/news/lviv-trams") == pages  # a stored item's page is not fetched again
    code, lines = run(capsys, "ingest", news_site.url("/feed.xml"), "--store", store, "--delay", "0")
    assert code == 0 and "added 0 articles" in lines[-1] and len(articles(store)) == 4
    code, lines = run(capsys, "stats", "--store", store, "--since", "36500d", "--format", "json")
    assert code == 0


def test_watch_once_adds_what_is_new_and_logs_one_line(news_site, tmp_path, capsys):
    store = str(tmp_path / "s.gpkg")
    for new in (3, 0):
        code, lines = run(capsys, "watch", news_site.url("/feed.xml"), "--once", "--store", store, "--delay", "0")
        assert code == 0 and len(lines) == 1 and f"poll 1: {new} new articles" in lines[0]
    assert news_site.log[-1].headers.get("if-none-match") == '"feed-v1"'
    code, lines = run(capsys, "watch", news_site.url("/feed.xml"), news_site.url("/garbage.xml"), "--once",
                      "--store", store, "--delay", "0")
    assert code == 3 and lines[0].startswith("tracker: warning: ") and "1 error," in lines[-1]


@pytest.mark.parametrize("verb", ["ingest", "watch"])
@pytest.mark.parametrize("path, message", [(None, "cannot be reached"), ("/garbage.xml", "not a readable RSS"),
                                           ("/missing.xml", "HTTP 404 Not Found")])
def test_a_dead_feed_exits_non_zero_with_one_line_each(news_site, verb, path, message, tmp_path, capsys):
    url = news_site.url(path) if path else "http://127.0.0.1:9/feed.xml"
    options = ["--once"] if verb == "watch" else []
    code, lines = run(capsys, verb, url, "--store", str(tmp_path / "s.gpkg"), "--delay", "0", *options)
    assert code == 9 and len(lines) == (3 if verb == "watch" else 2)  # watch also logs its poll
    assert lines[0].startswith(f"tracker: warning: {url}: {message}")
    assert lines[-1] == "tracker: error: no article could be read from the inputs"


def test_a_dead_feed_in_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tracker.cli.main", "ingest", "http://127.0.0.1:9/rss",
                             "--store", str(tmp_path / "s.gpkg")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 9 and "Traceback" not in result.stderr
    assert all(line.startswith("tracker: ") for line in result.stderr.splitlines())


def test_geoparse_reads_a_page_url(news_site, capsys):
    code = main(["geoparse", news_site.url("/news/tanks-belgorod"), "--delay", "0"])
    out = capsys.readouterr().out
    assert code == 0 and '"Belgorod"' in out and news_site.url("/news/tanks-belgorod") in out


def test_a_bad_every_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["watch", "http://127.0.0.1:9/feed.xml", "--every", "soon"])
    assert exit_info.value.code == 2 and "such as 15m" in capsys.readouterr().err


def test_watch_stops_cleanly_on_sigterm(news_site, tmp_path):
    import signal

    store = tmp_path / "s.gpkg"
    process = subprocess.Popen([sys.executable, "-m", "tracker.cli.main", "watch", news_site.url("/feed.xml"),
                                "--store", str(store), "--every", "1h", "--delay", "0"],
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()  # written once the first poll is stored
        assert "poll 1: 3 new articles" in first
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in process.stderr.read()
    assert len(articles(store)) == 3


def test_ingest_a_hostile_feed_ends_in_bounded_time_with_the_good_article(hostile_site, tmp_path, capsys):
    import time

    store = tmp_path / "s.gpkg"
    started = time.monotonic()
    code, lines = run(capsys, "ingest", hostile_site.url("/hostile.xml"), "--store", str(store), "--delay", "0",
                      "--timeout", "1", "--max-page-mb", "1")
    assert time.monotonic() - started < 30
    assert code == 3 and "added 2 articles" in lines[-1]  # the good one, and the trickling page's summary
    warnings = [line for line in lines if line.startswith("tracker: warning: ")]
    assert len(warnings) == 3 and "no complete response within 1 s" in warnings[0]
    with sqlite3.connect(store) as connection:
        rows = connection.execute("SELECT category, count, place FROM deployments WHERE article_id = ?",
                                  (hostile_site.url("/news/helicopters"),)).fetchall()
    assert ("helicopter", 4, "Latakia") in {(c, n, p) for c, n, p in rows}


def test_watch_takes_a_poll_timeout(hostile_site, tmp_path, capsys):
    code, lines = run(capsys, "watch", hostile_site.url("/entity-bomb.xml"), "--once", "--poll-timeout", "30s",
                      "--store", str(tmp_path / "s.gpkg"), "--delay", "0")
    assert code == 9 and "not a readable RSS or Atom feed" in lines[0] and "poll 1: 0 new articles" in lines[1]
    with pytest.raises(SystemExit):
        main(["watch", "http://127.0.0.1:9/feed.xml", "--poll-timeout", "0s"])
