"""``tracker ingest``: extract articles and add them to a store, each article once."""

from __future__ import annotations

import argparse
import sys

from tracker.cli.common import DEFAULT_STORE, CliReporter, add_engine_options, add_input_options, progress_bar
from tracker.ingest import read_articles

EXAMPLE = """example:
  tracker ingest data/samples/                                   # into ./tracker.gpkg
  tracker ingest corpus.jsonl --store postgresql://user@host/db --engine dask --workers 2
Re-running on the same input adds nothing: an article already stored (same id or same text) is skipped.
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "ingest", help="extract articles and append them to a store (GeoPackage or PostGIS)",
        description="Extract deployments and places from articles and add them to a store, one transaction per "
                    "batch; articles already stored are skipped.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_options(parser)
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="PATH_OR_URL",
                        help=f"a .gpkg file (default: {DEFAULT_STORE}) or a postgresql:// URL")
    add_engine_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.engines import make_engine
    from tracker.store import ingest, open_store

    store = open_store(args.store, create=True)
    engine = make_engine(args.engine, workers=args.workers, scheduler=args.scheduler)
    try:
        articles = read_articles(args.inputs, input_format=args.input_format, encoding=args.encoding,
                                 on_error=reporter.input_error)
        with progress_bar(None, "ingest") as bar:
            counts = ingest(store, articles, engine, batch_size=args.batch_size, progress=bar.update)
    finally:
        getattr(engine, "close", lambda: None)()
        store.close()
    print(f"tracker: {store.location}: added {counts.articles} articles ({counts.deployments} deployments, "
          f"{counts.places} place mentions); skipped {counts.skipped} already stored", file=sys.stderr)
    if counts.articles == 0 and counts.skipped == 0:
        raise reporter.nothing_read()
    return reporter.exit_status()
