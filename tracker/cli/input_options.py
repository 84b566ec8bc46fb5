"""The options of reading inputs (files, encodings, URLs) and of fetching URLs (pages, feeds),
shared by every verb that reads articles."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tracker.cli.common import number_at_least
from tracker.sources.fetch import DEFAULT_USER_AGENT, FetchCache, FetchOptions, Fetcher

if TYPE_CHECKING:
    from tracker.cli.common import CliReporter
    from tracker.models import Article
    from tracker.sources.web import WebReader


def add_input_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("inputs", nargs="+" if required else "*", metavar="INPUT",
                        help="text, HTML, JSONL or CSV files, folders, - for standard input, http(s) URLs of "
                             "pages or RSS/Atom feeds, or lists of feed URLs (.urls, .opml)")
    parser.add_argument("--input-format", choices=("auto", "text", "html", "jsonl", "csv", "urls", "opml"),
                        default="auto", help="how to read the inputs (default: by file extension; stdin is text)")
    parser.add_argument("--encoding", default="utf-8", type=encoding_name,
                        help="text encoding of the inputs, or 'auto' to detect it (default: utf-8; a byte order "
                             "mark decides for UTF-8/16/32 files)")
    add_fetch_options(parser)


def encoding_name(value: str) -> str:
    """An argparse type: a codec Python knows, or 'auto'."""
    import codecs

    if value == "auto":
        return value
    try:
        codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r}; give a name such as utf-8, utf-16, "
                                         "latin-1, cp1251, or 'auto'") from None
    return value


#: An argparse type: seconds, 0 or more.
_SECONDS = number_at_least(0, float, "a number of seconds")


def add_fetch_options(parser: argparse.ArgumentParser) -> None:
    defaults = FetchOptions()
    group = parser.add_argument_group("fetching http(s) URLs (pages and RSS/Atom feeds)")
    group.add_argument("--user-agent", help="User-Agent sent when fetching URLs and to online geocoders; name "
                                            f"yourself and a contact (default: {DEFAULT_USER_AGENT!r})")
    group.add_argument("--delay", type=_SECONDS, default=defaults.delay, metavar="SECONDS",
                       help="pause between two requests to the same host (default: 1)")
    group.add_argument("--timeout", type=_SECONDS, default=defaults.timeout, metavar="SECONDS",
                       help="seconds a whole response may take, from connect to last byte; a page cut by it is a "
                            "warning (default: 20)")
    group.add_argument("--max-page-mb", type=float, default=defaults.max_bytes / (1024 * 1024), metavar="MB",
                       help="a page or feed is cut at this size (default: 5)")


def fetcher_from_args(args: argparse.Namespace, *, cache: FetchCache | None = None, **seams: object) -> Fetcher:
    """A fetcher with the verb's options; ``seams`` (sleep, stop, clock) go to ``Fetcher``."""
    options = FetchOptions(user_agent=args.user_agent or DEFAULT_USER_AGENT, delay=args.delay, timeout=args.timeout,
                           max_bytes=max(1, int(args.max_page_mb * 1024 * 1024)))
    return Fetcher(options, cache=cache, **seams)


def names_urls(args: argparse.Namespace) -> bool:
    """Whether any input is fetched: an http(s) URL or a list of feed URLs."""
    from pathlib import Path

    from tracker.sources.articles import is_url

    from tracker.sources.files import LIST_EXTENSIONS, LIST_FORMATS

    return getattr(args, "input_format", "auto") in LIST_FORMATS or any(
        is_url(str(name)) or Path(str(name)).suffix.lower() in LIST_EXTENSIONS for name in args.inputs)


def read_inputs(args: argparse.Namespace, reporter: CliReporter, *,
                web: WebReader | None = None) -> Iterator[Article]:
    """``read_articles`` over the verb's inputs, URLs fetched with the verb's fetching options;
    a fetcher is made only when some input is fetched, and closed when the articles are read.
    Each article that does not look like English gets one warning."""
    from tracker.sources.files import read_articles
    from tracker.sources.web import WebReader

    own = None
    if web is None and names_urls(args):
        own = web = WebReader(fetcher_from_args(args))
    try:
        yield from reporter.check_language(read_articles(args.inputs, input_format=args.input_format,
                                                         encoding=args.encoding, on_error=reporter.input_error,
                                                         web=web))
    finally:
        if own is not None:
            own.fetcher.close()
