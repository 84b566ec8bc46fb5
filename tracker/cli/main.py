"""Entry point: parse arguments, run one verb, turn library errors into a one-line message.

Exit codes (also in the README):
  0  done, every input read whole
  1  other tracker error
  2  usage error, or a named input does not exist
  3  an input or a corpus row could not be read (the rest was processed and written)
  4  bundled data missing or unreadable
  5  online geocoder error
  6  output cannot be written (the old file is kept)
  7  the store cannot be created, opened, read or written (full disk, locked, read-only)
  8  the Dask engine could not start or lost its workers
  9  no URL could be fetched or read as a feed (unreachable, HTTP error, robots.txt, not a feed)
  70 internal error (a bug: run again with --debug and report the traceback)
  130 interrupted
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tracker.common.version import __version__
from tracker.cli import extract as extract_verb
from tracker.cli import gazetteer as gazetteer_verb
from tracker.cli import geoparse as geoparse_verb
from tracker.cli import ingest as ingest_verb
from tracker.cli import stats as stats_verb
from tracker.cli import watch as watch_verb
from tracker.cli import map as map_verb
from tracker.cli import report as report_verb
from tracker.cli.common import CliReporter, add_gazetteer_option, use_gazetteer
from tracker.errors import TrackerError

VERBS = (geoparse_verb, extract_verb, map_verb, report_verb, ingest_verb, stats_verb, watch_verb, gazetteer_verb)
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Find places and military deployments in news text, offline.",
        epilog="Run 'tracker VERB --help' for a verb's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb in VERBS:
        verb.add_parser(verbs)
    for verb_parser in verbs.choices.values():
        if verb_parser._subparsers is None:  # a verb with actions ("gazetteer build") has it on each
            add_gazetteer_option(verb_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    reporter = CliReporter()
    try:
        use_gazetteer(getattr(args, "gazetteer", None))
        status = args.run(args, reporter)
    except TrackerError as error:
        if args.debug:
            raise
        reporter.error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        reporter.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (tracker ... | head): not an error
        return 0
    except Exception as error:  # the edge of the program: anything else is a bug, reported in one line
        if args.debug:
            raise
        reporter.error(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)")
        return EXIT_INTERNAL
    return status


if __name__ == "__main__":
    sys.exit(main())
