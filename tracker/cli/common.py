"""Options and helpers shared by the verbs."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO

from tracker.common.atomic import atomic_stream
from tracker.errors import InputError
from tracker.common.messages import one_line
from tracker.models import Article

EXIT_PARTIAL_INPUT = 3


class CliReporter:
    """Prints one-line messages to stderr and remembers whether any input was skipped."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.skipped_inputs = 0
        self.first_input_error: InputError | None = None

    def error(self, message: str) -> None:
        print(f"tracker: error: {_one_line(message)}", file=self.stream)

    def info(self, message: str) -> None:
        """A line of progress ("wrote …"), escaped like errors: file names reach the terminal."""
        print(f"tracker: {_one_line(message)}", file=self.stream)

    def warning(self, message: str) -> None:
        print(f"tracker: warning: {_one_line(message)}", file=self.stream)

    def input_error(self, error: InputError) -> None:
        self.skipped_inputs += 1
        self.first_input_error = self.first_input_error or error
        self.warning(str(error))

    def check_language(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles, with one warning for each that does not look like English."""
        from tracker.sources.language import language_warning

        for article in articles:
            why = language_warning(article.text)
            if why is not None:
                self.warning(f"{article.source}: {why}")
            yield article

    def nothing_read(self) -> InputError:
        """The error to stop with when no article at all could be read (keeps the first cause's code)."""
        error = InputError("no article could be read from the inputs")
        if self.first_input_error is not None:
            error.exit_code = self.first_input_error.exit_code
        return error

    def exit_status(self) -> int:
        return EXIT_PARTIAL_INPUT if self.skipped_inputs else 0


def _one_line(message: str) -> str:
    return one_line(message)


def number_at_least(minimum: float, convert=int, what: str = "a whole number"):
    """An argparse type: a number (``convert``) of ``minimum`` or more."""

    def parse(value: str):
        try:
            number = convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"should be {what}, got {value!r} instead") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"should be {minimum} or more, got {value!r} instead")
        return number

    return parse


#: An argparse type: a whole number of 1 or more.
positive_int = number_at_least(1)


def since_or_until_value(value: str) -> str:
    """An argparse type: a real calendar date (YYYY-MM-DD) or a span back from now (7d, 24h)."""
    from tracker.sources.dates import since_or_until

    try:
        since_or_until(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


@contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """stdout, or a file written atomically (``tracker.common.atomic``): links written through, FIFOs and
    devices written directly, a failed write leaves the old file."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_stream(path) as handle:
        yield handle


def refuse_output_over_inputs(args: argparse.Namespace, *outputs: object) -> None:
    """Exit 6 before anything is read when an output would overwrite one of the inputs (a
    GeoPackage store read with ``--store`` counts as one)."""
    from tracker.common.atomic import refuse_inputs
    from tracker.sources.files import is_article_file

    sources = list(getattr(args, "inputs", None) or [])
    store = getattr(args, "store", None)
    if store and "://" not in str(store):
        sources.append(store)
    for output in outputs:
        if output is not None:
            refuse_inputs(str(output), sources, would_read=is_article_file)


def add_gazetteer_option(parser: argparse.ArgumentParser) -> None:
    """``--gazetteer PATH`` on every verb: a gazetteer built by ``tracker gazetteer build``."""
    parser.add_argument("--gazetteer", metavar="PATH", default=None,
                        help="a gazetteer built by 'tracker gazetteer build' instead of the bundled one "
                             "(default: $TRACKER_GAZETTEER, else the bundled one)")


def use_gazetteer(path: str | None) -> None:
    """Make ``path`` the gazetteer of this process and of the workers it starts (through
    ``TRACKER_GAZETTEER``, which the library reads)."""
    if path is None:
        return
    import os
    from pathlib import Path

    from tracker.errors import MissingInputError
    from tracker.gazetteer.index import GAZETTEER_ENVIRONMENT

    if not Path(path).is_file():
        raise MissingInputError(f"--gazetteer {path}: no such file; build one with tracker gazetteer build")
    os.environ[GAZETTEER_ENVIRONMENT] = str(Path(path).resolve())


DEFAULT_STORE = "tracker.gpkg"


def add_store_query_options(parser: argparse.ArgumentParser, *, store_required: bool = False) -> None:
    group = parser.add_argument_group("reading a store")
    group.add_argument("--store", required=store_required, metavar="PATH_OR_URL",
                       help="a store written by tracker ingest: a .gpkg file or a postgresql:// URL")
    group.add_argument("--since", metavar="WHEN", type=since_or_until_value, help="only rows published on or after WHEN: a date (YYYY-MM-DD) "
                                                       "or a span back from today (7d, 24h, 2w)")
    group.add_argument("--until", metavar="WHEN", type=since_or_until_value, help="only rows published on or before WHEN (as --since)")
    group.add_argument("--actor", action="append", default=[], help="only this owner (repeatable)")
    group.add_argument("--category", action="append", default=[], help="only this category (repeatable)")


def store_query(args: argparse.Namespace):
    from tracker.sources.dates import since_or_until
    from tracker.errors import UsageError
    from tracker.store.database import Query

    bounds = {}
    for name in ("since", "until"):
        value = getattr(args, name)
        try:
            bounds[name] = since_or_until(value) if value else None
        except ValueError as error:
            raise UsageError(f"--{name} {error}") from None
    return Query(**bounds, actors=tuple(args.actor), categories=tuple(args.category))


#: Articles an input must hold before a command that chooses its own number of processes uses
#: every usable core (up to ``AUTO_PROCESSES``): below it, starting the workers (and, for
#: extract, loading the language model before forking) costs about what they save.
AUTO_PROCESSES_FROM = 200
AUTO_PROCESSES = 2


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def choose_processes(requested: int | None, articles: Iterable[Article]) -> tuple[int, Iterator[Article]]:
    """``requested``, or when None: ``AUTO_PROCESSES`` (at most the usable cores) if the input
    holds ``AUTO_PROCESSES_FROM`` articles or more, else 1. Returns the number and the articles,
    the first ones of which were read ahead to count them."""
    articles = iter(articles)
    if requested is not None:
        return requested, articles
    head = list(itertools.islice(articles, AUTO_PROCESSES_FROM))
    processes = min(AUTO_PROCESSES, usable_cores()) if len(head) >= AUTO_PROCESSES_FROM else 1
    return processes, itertools.chain(head, articles)


PROCESSES_HELP = (f"worker processes (default: both cores when the input holds {AUTO_PROCESSES_FROM} articles "
                  "or more, else 1; a single article stays one process; same output either way)")


def add_engine_options(parser: argparse.ArgumentParser, *, auto_processes: bool = False) -> None:
    group = parser.add_argument_group("where the work runs")
    group.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local (this process, default) or dask (a LocalCluster, or --scheduler)")
    group.add_argument("--workers", type=positive_int, default=None, help="Dask LocalCluster worker processes (default: 2)")
    group.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler to use")
    if auto_processes:
        group.add_argument("--processes", type=positive_int, default=None, help=f"local {PROCESSES_HELP}")
    else:
        group.add_argument("--processes", type=positive_int, default=1,
                           help="local worker processes (default: 1; 2 uses both cores of a laptop; same rows)")
    group.add_argument("--batch-size", type=positive_int, default=32, help="articles per batch and per transaction (default: 32)")


def progress_bar(total: int | None, description: str):
    """A tqdm bar on stderr; silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="article", file=sys.stderr, disable=None, leave=False)
