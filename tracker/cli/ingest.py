"""``tracker ingest``: extract articles and add them to a store, each article once."""

from __future__ import annotations

import argparse

from tracker.cli.common import DEFAULT_STORE, CliReporter, add_engine_options, progress_bar
from tracker.cli.input_options import add_input_options, fetcher_from_args, names_urls, read_inputs
from tracker.sources.web import WebReader

EXAMPLE = """example:
  tracker ingest data/samples/                                   # into ./tracker.gpkg
  tracker ingest corpus.jsonl --store postgresql://user@host/db --engine dask --workers 2
  tracker ingest https://example.org/defence/rss.xml --store news.gpkg   # each feed item's page
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
    from tracker.pipelines.engines import make_engine
    from tracker.store.database import ingest, open_store

    store = open_store(args.store, create=True)
    engine = make_engine(args.engine, workers=args.workers, scheduler=args.scheduler, processes=args.processes)
    web = None
    try:
        if names_urls(args):  # a feed item already stored is not fetched again
            web = WebReader(fetcher_from_args(args), known_ids=store.known()[0])
        articles = read_inputs(args, reporter, web=web)
        with progress_bar(None, "ingest") as bar:
            counts = ingest(store, articles, engine, batch_size=args.batch_size, progress=bar.update,
                            on_warning=reporter.warning)
    finally:
        if web is not None:
            web.fetcher.close()
        getattr(engine, "close", lambda: None)()
        store.close()
    skipped = counts.skipped + (web.skipped_known if web is not None else 0)
    if counts.articles == 0 and skipped == 0 and (web is None or web.urls_read == 0):
        raise reporter.nothing_read()
    reporter.info(f"{store.location}: added {counts.articles} articles ({counts.deployments} deployments, "
                  f"{counts.places} place mentions); skipped {skipped} already stored")
    return reporter.exit_status()
