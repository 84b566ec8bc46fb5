"""Pages, RSS and Atom feeds and lists of feeds, read as articles from a local news site."""

from __future__ import annotations

import pytest

from news_site import HELICOPTERS_SUMMARY, TANKS
from local_server import Reply
from tracker.errors import InputError
from tracker.sources.fetch import FetchError, FetchOptions, Fetcher
from tracker.sources.files import read_articles
from tracker.sources.web import WebReader, feed_urls, html_to_text, parse_feed


@pytest.fixture
def web():
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        yield WebReader(fetcher)


def read(web, *inputs, **options):
    errors: list[InputError] = []
    articles = list(read_articles([str(i) for i in inputs], on_error=errors.append, web=web, **options))
    return articles, errors


def test_an_rss_feed_is_its_items_with_title_link_and_date(news_site, web):
    articles, errors = read(web, news_site.url("/feed.xml"))
    assert errors == []
    by_id = {a.id: a for a in articles}
    ships = by_id[news_site.url("/news/warships-sevastopol")]
    assert ships.title == "Russia moves frigates and submarines to Sevastopol"
    assert ships.published == "2026-11-30T08:15:00+00:00"
    assert "four frigates and two submarines" in ships.text
    for boilerplate in ("Subscribe to our newsletter", "Most read", "Celebrity chef", "Copyright", "Cookie"):
        assert boilerplate not in ships.text
    assert by_id[news_site.url("/news/lviv-trams")].published == "2026-12-01T10:00:00+02:00"


def test_an_item_whose_page_is_gone_keeps_its_summary(news_site, web):
    articles, errors = read(web, news_site.url("/feed.xml"))
    [removed] = [a for a in articles if a.id == news_site.url("/news/removed-story")]
    assert removed.text == HELICOPTERS_SUMMARY
    assert removed.source == news_site.url("/feed.xml") and removed.published.startswith("2026-11-26")
    assert news_site.requests_to("/news/removed-story") == 1


def test_an_atom_feed_resolves_links_and_ids_are_canonical_urls(news_site, web):
    articles, errors = read(web, news_site.url("/atom.xml"))
    assert errors == []
    ids = [a.id for a in articles]
    # the page's relative canonical link drops the tracking parameter; "?ref=atom" is the RSS story again
    assert ids == [news_site.url("/news/tanks-belgorod"), news_site.url("/news/warships-sevastopol")]
    tanks = articles[0]
    assert tanks.published == "2026-12-01T07:30:00+00:00" and tanks.title == "Russian tanks arrive near Belgorod"
    assert tanks.source == news_site.url("/news/tanks-belgorod?utm_source=atom")


def test_the_same_story_in_two_feeds_has_one_id(news_site, web):
    articles, _ = read(web, news_site.url("/feed.xml"), news_site.url("/atom.xml"))
    ids = [a.id for a in articles]
    assert ids.count(news_site.url("/news/warships-sevastopol")) == 2  # the store keeps the first


def test_a_page_url_is_one_article_and_a_feed_list_refuses_an_html_page(news_site, web, tmp_path):
    articles, errors = read(web, news_site.url("/news/lviv-trams"))
    assert [a.id for a in articles] == [news_site.url("/news/lviv-trams")] and errors == []
    assert articles[0].published == "2026-12-01"  # from the page's metadata
    listing = tmp_path / "feeds.urls"
    listing.write_text(f"# defence feeds\n{news_site.url('/html-feed.xml')}\n{news_site.url('/atom.xml')}  # Europe\n",
                       encoding="utf-8")
    articles, errors = read(web, listing)
    assert [str(e) for e in errors] == [f"{news_site.url('/html-feed.xml')}: an HTML page, not an RSS or Atom feed"]
    assert len(articles) == 2


@pytest.mark.parametrize("path, message", [
    ("/garbage.xml", "not a readable RSS or Atom feed"),
    ("/missing.xml", "HTTP 404"),
    ("/loop-a", "redirect loop"),
])
def test_a_broken_feed_is_one_error_and_the_others_go_on(news_site, web, path, message):
    articles, errors = read(web, news_site.url(path), news_site.url("/atom.xml"))
    assert len(errors) == 1 and message in str(errors[0]) and isinstance(errors[0], FetchError)
    assert len(articles) == 2


def test_a_feed_answered_304_gives_nothing_new_for_one_request(news_site, web):
    read(web, news_site.url("/feed.xml"))
    before = web.fetcher.requests
    articles, errors = read(web, news_site.url("/feed.xml"))
    assert articles == [] and errors == [] and web.fetcher.requests - before == 1
    assert web.urls_read == 2


def test_items_already_stored_are_not_fetched_again(news_site):
    known = {news_site.url("/news/warships-sevastopol"), news_site.url("/news/lviv-trams")}
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        web = WebReader(fetcher, known_ids=known)
        articles, _ = read(web, news_site.url("/feed.xml"))
    assert [a.id for a in articles] == [news_site.url("/news/removed-story")]
    assert web.skipped_known == 2 and news_site.requests_to("/news/lviv-trams") == 0


def test_stopping_between_items_keeps_no_validators(news_site):
    with Fetcher(FetchOptions(delay=0)) as fetcher:
        handed = []
        web = WebReader(fetcher, stop=lambda: len(handed) >= 1)
        for article in read_articles([news_site.url("/feed.xml")], web=web):
            handed.append(article)
        assert len(handed) == 1
        assert fetcher.cache.get(news_site.url("/feed.xml")) is None


def test_an_opml_outline_lists_feeds(news_site, web, tmp_path):
    outline = tmp_path / "feeds.opml"
    outline.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head><title>Desk</title></head><body>
      <outline text="Defence"><outline type="rss" text="Europe" xmlUrl="{news_site.url('/atom.xml')}"/>
      <outline type="rss" text="Old" xmlUrl="{news_site.url('/missing.xml')}"/></outline></body></opml>""",
                       encoding="utf-8")
    assert feed_urls(outline, "opml", lambda e: None) == [news_site.url("/atom.xml"), news_site.url("/missing.xml")]
    articles, errors = read(web, outline)
    assert len(articles) == 2 and len(errors) == 1 and "HTTP 404" in str(errors[0])


def test_a_url_list_names_bad_lines(tmp_path):
    listing = tmp_path / "feeds.urls"
    listing.write_text("# comment\n\nhttps://example.invalid/rss\nexample.invalid/atom\n", encoding="utf-8")
    errors = []
    assert feed_urls(listing, "urls", errors.append) == ["https://example.invalid/rss"]
    assert ":4:" in str(errors[0]) and "not an http(s) URL" in str(errors[0])
    listing.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(InputError, match="names no feed URL"):
        feed_urls(listing, "urls", errors.append)


def test_feed_parsing_needs_no_network_and_expands_no_entities():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY ext SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t</title>'
            b'<item><title>&b;&ext;</title><link>/a</link></item></channel></rss>')
    feed = parse_feed(bomb, "http://127.0.0.1/feed.xml")
    [item] = feed.items
    assert "root:" not in (item.title or "") and len(item.title or "") < 100
    assert item.link == "http://127.0.0.1/a"


def test_rss_1_0_items_are_read():
    document = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://127.0.0.1/"><title>Old style</title></channel>
      <item rdf:about="http://127.0.0.1/story"><title>Story</title><link>http://127.0.0.1/story</link>
      <dc:date>2026-11-29T10:00:00Z</dc:date><description>Ships left port.</description></item></rdf:RDF>"""
    [item] = parse_feed(document, "http://127.0.0.1/rdf").items
    assert (item.link, item.published, item.summary) == ("http://127.0.0.1/story", "2026-11-29T10:00:00+00:00",
                                                         "Ships left port.")


@pytest.mark.parametrize("markup, text", [
    ("<p>Four jets <b>landed</b>.</p><p>More later.</p>", "Four jets landed . More later."),
    ("plain words", "plain words"),
    ("<script>alert(1)</script><p>Only this</p>", "Only this"),
])
def test_summaries_become_plain_text(markup, text):
    assert html_to_text(markup) == text


def test_an_enormous_page_is_read_up_to_the_cap(news_site):
    with Fetcher(FetchOptions(delay=0, max_bytes=256 * 1024)) as fetcher:
        articles, errors = read(WebReader(fetcher), news_site.url("/huge.html"))
    assert errors == [] and len(articles) == 1
    # the article's prose is kept, the filler after it (one paragraph over and over) is not
    assert articles[0].text.startswith(TANKS[0]) and "filler" not in articles[0].text


def test_a_hostile_feed_costs_bounded_time_and_keeps_the_good_article(hostile_site):
    import time

    from hostile_site import HELICOPTERS, TRICKLE_SUMMARY

    started = time.monotonic()
    with Fetcher(FetchOptions(delay=0, timeout=1, max_bytes=1024 * 1024)) as fetcher:
        articles, errors = read(WebReader(fetcher), hostile_site.url("/hostile.xml"))
    assert time.monotonic() - started < 6
    by_id = {a.id: a for a in articles}
    assert HELICOPTERS[0] in by_id[hostile_site.url("/news/helicopters")].text
    # the trickling page: a warning, and the item's summary instead
    assert by_id[hostile_site.url("/news/trickle")].text == TRICKLE_SUMMARY and len(articles) == 2
    trickle, bomb, elsewhere = errors
    assert "no complete response within 1 s" in str(trickle) and "summary is used instead" in str(trickle)
    assert "cut at 1 MB (--max-page-mb) and what was read holds no article" in str(bomb)
    assert "only http:// and https://" in str(elsewhere)
    assert all("\n" not in str(e) for e in errors)


def test_an_entity_bomb_feed_is_refused_in_one_line(hostile_site):
    import time

    started = time.monotonic()
    with Fetcher(FetchOptions(delay=0, timeout=1)) as fetcher:
        articles, errors = read(WebReader(fetcher), hostile_site.url("/entity-bomb.xml"))
    assert time.monotonic() - started < 5
    assert articles == [] and len(errors) == 1 and "not a readable RSS or Atom feed" in str(errors[0])
    assert hostile_site.requests_to("/news/helicopters") == 0


@pytest.mark.parametrize("filler", [b"\0" * 4096, b"A" * 4096, b"lol " * 1024, b"<p>More filler text.</p>" * 200])
def test_a_page_of_filler_cut_at_the_cap_is_no_article(news_site, filler):
    from tracker.sources.web import CutPageError

    def endless(request):
        return Reply(200, (b"<html><body><article><p>" + filler * (16 * 1024 * 1024 // len(filler)),))

    news_site.routes["/filler.html"] = endless
    with Fetcher(FetchOptions(delay=0, max_bytes=256 * 1024)) as fetcher:
        articles, errors = read(WebReader(fetcher), news_site.url("/filler.html"))
    assert articles == [] and len(errors) == 1 and isinstance(errors[0], CutPageError)


def test_prose_of_a_cut_page_keeps_each_prose_line_once():
    from tracker.sources.web import prose_of_cut_page

    prose = " ".join(TANKS)
    assert prose_of_cut_page(f"{prose}\n{'ha ' * 5000}\n{prose}\n{'x' * 9000}") == prose
    assert prose_of_cut_page("Tanks arrived.\n" * 1000) is None  # too few words once repeats are dropped
