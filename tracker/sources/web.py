"""Articles from the web: a page URL is one article, a feed URL is its items, a list file names feeds.

An HTML page's main text is extracted by trafilatura, as for a local HTML file; its article id is
its canonical URL (``<link rel="canonical">``, else the URL after redirects), so the same story
reached through two feeds is one article. An RSS 2.0, RSS 1.0 or Atom feed gives one article per
item: the item's page is fetched, and the item's title, link and date are carried along (the
page's own metadata gives the date when the item has none); when the page cannot be had the
item's summary is the text. What a response is comes from its declared Content-Type (and, for
XML, the root element), never from the URL's spelling.

Every request goes through ``tracker.sources.fetch.Fetcher``. A URL that fails is an ``InputError``
passed to ``on_error`` (a warning on the command line); the other URLs go on. A hostile or broken
host costs a bounded time and no article: a page not complete within ``--timeout`` is a warning
(the feed item's summary is used when there is one), and a page cut at the size cap is read only
for the prose it holds (a run of filler, such as an inflated compression bomb, is a warning).
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from tracker.sources.dates import feed_date
from tracker.errors import InputError
from tracker.sources.fetch import FetchError, Fetcher, FetchStopped, FetchTimeout, Response
from tracker.sources.articles import ErrorHandler, article_from_html, clean_text, is_url
from tracker.models import Article

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
                        "text/xml", "application/x-rss+xml", "application/x-atom+xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
ATOM = "{http://www.w3.org/2005/Atom}"
#: English prose compresses 2-4 times under zlib; a line of a cut page that compresses more than
#: this repeats itself (filler, an inflated bomb) and is no part of an article.
FILLER_RATIO = 8.0
#: A page cut at the size cap holds an article when this many words of prose are left in it.
MIN_CUT_ARTICLE_WORDS = 20


class CutPageError(InputError):
    """A page cut at the size cap whose text read so far holds no article (a run of filler)."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed, as the feed gives it (``summary`` is plain text)."""

    title: str | None
    link: str | None
    published: str | None
    summary: str | None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    title: str | None
    items: tuple[FeedItem, ...]


class WebReader:
    """Reads URLs through one ``Fetcher``; remembers what a caller needs to report.

    ``known_ids`` are article ids already stored: a feed item whose link is one of them is not
    fetched again (counted in ``skipped_known``). ``stop`` is asked before each item, and
    ``deadline`` (a moment on the fetcher's clock: a poll's end) is one too, which no request
    outlasts; when either comes the reader stops between articles, and the feed's validators are
    not kept, so the next poll reads the rest (counted in ``items_left`` and ``urls_left``).
    ``urls_read`` counts URLs read: a feed parsed, a page's text extracted, or a 304 (nothing new).
    """

    def __init__(self, fetcher: Fetcher, *, known_ids: Container[str] = frozenset(),
                 stop: Callable[[], bool] = lambda: False, deadline: float | None = None) -> None:
        self.fetcher = fetcher
        self.known_ids = known_ids
        self._stop = stop
        self.deadline = deadline
        self.urls_read = 0
        self.skipped_known = 0
        self.items_left = 0  # feed items not read because the reader stopped
        self.urls_left = 0   # feeds and pages not read because the reader stopped

    def stop(self) -> bool:
        """Whether to stop between articles: asked to, or past the deadline."""
        return self._stop() or (self.deadline is not None and self.fetcher.clock() >= self.deadline)

    def read_url(self, url: str, on_error: ErrorHandler) -> Iterator[Article]:
        """A page (one article) or a feed (its items), as the response's Content-Type says."""
        response = self._get(url, accept=f"{PAGE_ACCEPT}, {FEED_ACCEPT}", conditional=True)
        if response is None:
            return
        if response.not_modified:
            self.urls_read += 1
            return
        if response_kind(response) == "feed":
            yield from self._feed_articles(response, on_error)
            return
        article = page_article(response)
        self.urls_read += 1
        yield article
        self.fetcher.remember(response)

    def read_feed(self, url: str, on_error: ErrorHandler) -> Iterator[Article]:
        """The items of the feed at ``url``; an HTML page or other non-feed answer is a ``FetchError``."""
        response = self._get(url, accept=FEED_ACCEPT, conditional=True)
        if response is None:
            return
        if response.not_modified:
            self.urls_read += 1
            return
        if response_kind(response) == "page":
            raise FetchError(f"{url}: an HTML page, not an RSS or Atom feed")
        yield from self._feed_articles(response, on_error)

    def read_list(self, path: Path, list_format: str, on_error: ErrorHandler) -> Iterator[Article]:
        """Every feed named in a file of URLs or an OPML outline."""
        urls = feed_urls(path, list_format, on_error)
        for number, url in enumerate(urls):
            if self.stop():
                self.urls_left += len(urls) - number
                return
            try:
                yield from self.read_feed(url, on_error)
            except InputError as error:
                on_error(error)

    def _get(self, url: str, *, accept: str, conditional: bool = False) -> Response | None:
        """The response for a URL named as input, or None (counted as left) when the reader stops first."""
        if self.stop():
            self.urls_left += 1
            return None
        try:
            return self.fetcher.get(url, conditional=conditional, accept=accept, by=self.deadline)
        except FetchStopped:
            self.urls_left += 1
            return None

    def _feed_articles(self, response: Response, on_error: ErrorHandler) -> Iterator[Article]:
        if response.truncated:
            raise FetchError(f"{response.url}: feed larger than {self.fetcher.options.max_bytes} bytes; not read")
        feed = parse_feed(response.content, response.final_url)
        self.urls_read += 1
        for index, item in enumerate(feed.items, start=1):
            if self.stop():
                self.items_left += len(feed.items) - index + 1
                return
            try:
                article = self._item_article(feed, item, index, on_error)
            except FetchStopped:  # cut by the stop or the deadline: no error of the feed, read next time
                self.items_left += len(feed.items) - index + 1
                return
            except InputError as error:
                on_error(error)
                continue
            if article is not None:
                yield article
        self.fetcher.remember(response)

    def _item_article(self, feed: Feed, item: FeedItem, index: int, on_error: ErrorHandler) -> Article | None:
        """The item's page as an article, or its summary when the page cannot be had; None when
        the item's link is already stored. A page that a hostile or broken host spoils (too slow,
        filler) is also a warning; a page not fetched because the reader stops is no article at
        all (``FetchStopped``), so the item is read in full next time."""
        link = item.link
        if link and link in self.known_ids:
            self.skipped_known += 1
            return None
        failure: InputError | None = None
        if link:
            try:
                response = self.fetcher.get(link, accept=PAGE_ACCEPT, by=self.deadline)
                if response_kind(response) != "page":
                    raise FetchError(f"{link}: not an HTML page ({response.content_type or 'no Content-Type'})")
                page = page_article(response)
                return dataclasses.replace(page, title=item.title or page.title,
                                           published=item.published or page.published)
            except FetchStopped:
                raise
            except InputError as error:
                failure = error
        if item.summary and isinstance(failure, (FetchTimeout, CutPageError)):
            on_error(InputError(f"{failure}; the feed item's summary is used instead"))
        if item.summary:
            identifier = link or item.guid or f"{feed.url}#item-{index}"
            return Article(id=identifier, text=clean_text(item.summary), source=feed.url, title=item.title,
                           published=item.published, url=link)
        if failure is not None:
            raise InputError(f"{failure}; the feed item has no summary to use instead") from failure
        raise InputError(f"{feed.url}: item {index} has neither a link nor a summary; skipped")


def response_kind(response: Response) -> str:
    """'feed', 'page' or 'text' by the declared Content-Type; for XML types the root element
    decides (an XHTML page served as XML is a page). Only a response that declares no type (or
    application/octet-stream) is recognised by its first bytes."""
    media = response.content_type
    if media in HTML_TYPES:
        return "page"
    if media in FEED_TYPES or media.endswith("+xml"):
        return "page" if _root_name(response.content) == "html" else "feed"
    if media == "text/plain":
        return "text"
    if media in ("", "application/octet-stream"):
        head = response.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return "page"
        if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
            return "page" if _root_name(response.content) == "html" else "feed"
    raise FetchError(f"{response.url}: neither a web page nor a feed ({media or 'no Content-Type'})")


def page_article(response: Response) -> Article:
    """One article from a fetched page: main text by trafilatura, id = canonical URL. A page cut
    at the size cap keeps only the prose it holds (``prose_of_cut_page``)."""
    if response_kind(response) == "text":
        text = clean_text(response.text())
        if not text.strip():
            raise InputError(f"{response.url}: empty page, no text to read")
        article = Article(id=response.final_url, text=text, source=response.final_url, url=response.final_url)
        return _checked_if_cut(article, response)
    html: str | bytes = response.text() if response.charset else response.content
    try:
        article = article_from_html(html, source=response.final_url, article_id=response.final_url,
                                    url=response.final_url)
    except InputError as error:
        if response.truncated:
            raise _no_article_in(response) from error
        raise
    canonical = (canonical_link(html, response.final_url)
                 or (article.url if article.url and is_url(article.url) else response.final_url))
    return _checked_if_cut(dataclasses.replace(article, id=canonical, url=canonical), response)


def _checked_if_cut(article: Article, response: Response) -> Article:
    """The article with only its prose when the page was cut at the cap; ``CutPageError`` when
    none is left (a run of filler is a warning, not an article)."""
    if not response.truncated:
        return article
    prose = prose_of_cut_page(article.text)
    if prose is None:
        raise _no_article_in(response)
    return dataclasses.replace(article, text=prose)


def _no_article_in(response: Response) -> CutPageError:
    megabytes = len(response.content) / (1024 * 1024)
    return CutPageError(f"{response.url}: cut at {megabytes:.3g} MB (--max-page-mb) and what was read holds no "
                        "article, only filler; not read")


def prose_of_cut_page(text: str) -> str | None:
    """The lines of a cut page's main text that read as prose: each line once, none that
    compresses more than ``FILLER_RATIO`` times; None when fewer than ``MIN_CUT_ARTICLE_WORDS``
    words are left. A page cut at the cap is suspect (a bomb, a generated page): a real article
    is its text, repeated or self-similar runs are not, whatever words they are made of."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        key = " ".join(line.split())
        if not key or key in seen:
            continue
        seen.add(key)
        encoded = key.encode("utf-8")
        if len(encoded) / len(zlib.compress(encoded, 1)) > FILLER_RATIO:
            continue
        kept.append(line)
    prose = "\n".join(kept)
    return prose if len(prose.split()) >= MIN_CUT_ARTICLE_WORDS else None



def canonical_link(html: str | bytes, base: str) -> str | None:
    """The page's ``<link rel="canonical">`` as an absolute http(s) URL, or None."""
    import lxml.html
    from lxml import etree

    try:
        document = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for link in document.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return _absolute(link.get("href"), base)
    return None


def _xml_parser():
    from lxml import etree

    # no DTDs, no entity expansion, no network: a feed cannot make the parser fetch or balloon
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def _parse_xml(content: bytes, source: str, what: str):
    from lxml import etree

    try:
        root = etree.fromstring(content, _xml_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        reason = " ".join(str(getattr(error, "msg", None) or error).split())
        raise FetchError(f"{source}: not a readable {what} ({reason or 'empty'})") from error
    if root is None:
        raise FetchError(f"{source}: not a readable {what} (empty)")
    return root


def _root_name(content: bytes) -> str | None:
    try:
        root = _parse_xml(content, "", "XML document")
    except FetchError:
        return None
    return _local(root).lower()


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_feed(content: bytes, url: str) -> Feed:
    """The items of an RSS 2.0, RSS 1.0 (RDF) or Atom document; ``FetchError`` when it is none."""
    root = _parse_xml(content, url, "RSS or Atom feed")
    name = _local(root).lower()
    if name == "rss":
        channel = next((c for c in root if _local(c) == "channel"), None)
        if channel is None:
            raise FetchError(f"{url}: an RSS document without a <channel>")
        items = [_rss_item(e, url) for e in channel if _local(e) == "item"]
        return Feed(url=url, title=_text(channel, "title"), items=tuple(items))
    if name == "rdf":
        items = [_rss_item(e, url) for e in root if _local(e) == "item"]
        channel = next((c for c in root if _local(c) == "channel"), None)
        return Feed(url=url, title=_text(channel, "title") if channel is not None else None, items=tuple(items))
    if name == "feed" and root.tag.startswith(ATOM):
        base = root.get("{http://www.w3.org/XML/1998/namespace}base") or url
        items = [_atom_entry(e, urljoin(url, base)) for e in root if e.tag == f"{ATOM}entry"]
        return Feed(url=url, title=_text(root, "title"), items=tuple(items))
    if name == "html":
        raise FetchError(f"{url}: an HTML page, not an RSS or Atom feed")
    raise FetchError(f"{url}: not an RSS or Atom feed (the document is <{_local(root)}>)")


def _text(element, *names: str) -> str | None:
    """Text of the first child named one of ``names`` (any namespace) that has some."""
    for name in names:
        for child in element:
            if _local(child) == name:
                text = " ".join("".join(child.itertext()).split())
                if text:
                    return text
    return None


def _markup_text(element, *names: str) -> str | None:
    """Plain text of the first child named one of ``names`` holding HTML (escaped or inline)."""
    for name in names:
        for child in element:
            if _local(child) != name:
                continue
            if len(child):  # inline XHTML
                text = " ".join(" ".join(child.itertext()).split())
            else:
                text = html_to_text(child.text or "")
            if text:
                return text
    return None


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment (a feed summary), spaces folded; plain text passes through."""
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    import lxml.html
    from lxml import etree

    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(markup.split())
    for bad in fragment.xpath(".//script|.//style"):
        bad.drop_tree()
    return " ".join(" ".join(fragment.itertext()).split())


def _rss_item(element, feed_url: str) -> FeedItem:
    link = _text(element, "link")
    guid_element = next((c for c in element if _local(c) == "guid"), None)
    guid = " ".join((guid_element.text or "").split()) if guid_element is not None else None
    if not link and guid and is_url(guid) and (guid_element.get("isPermaLink") or "true").lower() != "false":
        link = guid
    if not link and element.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
        link = element.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return FeedItem(title=_text(element, "title"), link=_absolute(link, feed_url),
                    published=feed_date(_text(element, "pubDate", "date", "published", "updated")),
                    summary=_markup_text(element, "encoded", "description"), guid=guid or None)


def _atom_entry(element, base: str) -> FeedItem:
    link = None
    for child in element:
        if child.tag == f"{ATOM}link" and child.get("href") and child.get("rel", "alternate") == "alternate":
            if child.get("type") in (None, "text/html", "application/xhtml+xml"):
                link = child.get("href")
                break
    return FeedItem(title=_text(element, "title"), link=_absolute(link, base),
                    published=feed_date(_text(element, "published", "updated")),
                    summary=_markup_text(element, "content", "summary"), guid=_text(element, "id"))


def _absolute(link: str | None, base: str) -> str | None:
    if not link:
        return None
    absolute = urljoin(base, link.strip())
    return absolute if is_url(absolute) else None


def feed_urls(path: Path, list_format: str, on_error: ErrorHandler) -> list[str]:
    """The feed URLs a list file names: one a line (``#`` starts a comment), or OPML outlines' ``xmlUrl``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    if list_format == "opml":
        root = _parse_xml(raw, str(path), "OPML file")
        urls = [o.get("xmlUrl").strip() for o in root.iter() if _local(o) == "outline" and o.get("xmlUrl")]
        bad = [u for u in urls if not is_url(u)]
        for url in bad:
            on_error(InputError(f"{path}: {url!r} is not an http(s) URL; skipped"))
        urls = [u for u in urls if is_url(u)]
    else:
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not valid UTF-8 text (byte 0x{raw[error.start]:02x} at offset "
                             f"{error.start})") from error
        urls = []
        for number, line in enumerate(text.splitlines(), start=1):
            entry = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
            if not entry or entry.startswith("#"):
                continue
            if not is_url(entry):
                on_error(InputError(f"{path}:{number}: {entry!r} is not an http(s) URL; line skipped"))
                continue
            urls.append(entry)
    if not urls:
        raise InputError(f"{path}: names no feed URL")
    return list(dict.fromkeys(urls))
