"""``tracker watch``: poll feeds every few minutes and keep a store current."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from tracker.cli.common import DEFAULT_STORE, CliReporter, _one_line
from tracker.cli.input_options import add_fetch_options, fetcher_from_args

EXAMPLE = """example:
  tracker watch https://example.org/defence/rss.xml feeds.opml --store news.gpkg --every 15m
  tracker watch feeds.urls --store news.gpkg --once          # one poll, e.g. from cron
One line per poll on stderr: new articles, new deployments, errors. Ctrl-C or SIGTERM stops it
between articles, with everything read so far written. An unchanged feed costs one request: its
ETag/Last-Modified (and the host's robots.txt, for a day) are kept beside the store
(STORE.http-cache.json).
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "watch", help="poll RSS/Atom feeds and add new articles to a store, every few minutes",
        description="Poll feeds (URLs, or .urls / .opml lists of them), ingest the articles not stored yet, and "
                    "log one line per poll. A feed that is down or answers garbage is a warning; the others go on.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("feeds", nargs="+", metavar="FEED",
                        help="feed or page URLs, and files listing feed URLs (.urls one a line, or .opml)")
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="PATH_OR_URL",
                        help=f"a .gpkg file (default: {DEFAULT_STORE}) or a postgresql:// URL")
    parser.add_argument("--every", type=_duration, default="15m", metavar="SPAN",
                        help="time between the starts of two polls: 90s, 15m, 1h (default: 15m)")
    parser.add_argument("--poll-timeout", type=_duration, metavar="SPAN",
                        help="a poll reads for at most this long; what it read by then is stored and the rest is "
                             "read next poll: 90s, 5m (default: half of --every)")
    parser.add_argument("--once", action="store_true", help="poll once and exit (for cron or a systemd timer)")
    parser.add_argument("--state", type=Path, metavar="FILE",
                        help="where the feeds' ETag/Last-Modified and robots.txt rules are kept (default: beside the store, "
                             "STORE.http-cache.json)")
    parser.add_argument("--batch-size", type=int, default=8, help="articles per transaction (default: 8)")
    add_fetch_options(parser)
    parser.set_defaults(run=run)


def _duration(value: str) -> float:
    from tracker.sources.dates import parse_duration

    try:
        seconds = parse_duration(value).total_seconds()
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"should be more than 0, got {value!r} instead")
    return seconds


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.pipelines.engines import local_engine
    from tracker.store.database import open_store
    from tracker.store.watch import default_state_path, load_state, watch

    open_store(args.store, create=True).close()  # a store that cannot be opened stops here, not in every poll
    state_path = args.state or default_state_path(args.store)
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set():  # asked twice: stop now (the store's transaction keeps it whole)
            raise KeyboardInterrupt
        stop.set()

    previous = {number: signal.signal(number, request_stop) for number in (signal.SIGINT, signal.SIGTERM)}
    fetcher = fetcher_from_args(args, cache=load_state(state_path), sleep=stop.wait, stop=stop.is_set)
    try:
        result = watch(args.store, args.feeds, fetcher=fetcher, extract_batch=local_engine(),
                       on_error=reporter.input_error, every=args.every, once=args.once, stop=stop,
                       state_path=state_path, batch_size=args.batch_size, poll_timeout=args.poll_timeout,
                       log=lambda line: print(f"tracker: {_one_line(line)}", file=sys.stderr, flush=True))
    finally:
        fetcher.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    if args.once and result.nothing_read:
        raise reporter.nothing_read()
    return reporter.exit_status() if args.once else 0
