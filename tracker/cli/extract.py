"""``tracker extract``: equipment deployments with their places, to GeoPackage, GeoJSON, CSV or KML."""

from __future__ import annotations

import argparse
import dataclasses
import itertools
from collections.abc import Iterator
import sys

from tracker.cli.common import (CliReporter, add_engine_options, choose_processes, progress_bar,
                                refuse_output_over_inputs)
from tracker.cli.geocoder_options import add_geocoder_options, resolver_from_args
from tracker.errors import UsageError
from tracker.pipelines.extract import ExtractedArticle, Extractor
from tracker.pipelines.frame import EXPORT_FORMATS, deployment_feature, movements_sibling, places_sibling, write_extraction
from tracker.cli.input_options import add_input_options, read_inputs

EXAMPLE = """example:
  tracker extract data/samples/ -o deployments.gpkg      # layers: deployments, places, other_mentions, movements
  tracker extract corpus.jsonl -o deployments.geojson    # + deployments.places.geojson, deployments.movements.geojson
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "extract", help="extract equipment deployments (what, how many, whose, status, where)",
        description="Find military equipment in each article with its count, owner and status, tie each "
                    "group to a place, and write one row per deployment.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_options(parser)
    parser.add_argument("-o", "--output", metavar="OUT",
                        help=f"output file, format by extension ({', '.join(sorted(EXPORT_FORMATS))}); "
                             "default: GeoJSON on standard output")
    add_engine_options(parser, auto_processes=True)
    add_geocoder_options(parser)
    parser.set_defaults(run=run)


def extract_stream(args: argparse.Namespace, reporter: CliReporter) -> Iterator[ExtractedArticle]:
    """Every article extracted, in input order, by the chosen engine, batch by batch, with a
    progress bar; each result without its article's text (no writer needs it)."""
    from tracker.pipelines.engines import make_engine

    articles = read_inputs(args, reporter)
    if args.geocoder != "offline":
        if (args.processes or 1) > 1 or args.engine != "local":
            raise UsageError("an online geocoder runs in this process only: use --processes 1 and --engine local, "
                             "so its rate limit and cache are shared")
        extractor = Extractor.default(resolve=resolver_from_args(args, reporter))
        engine = lambda batch: list(extractor.extract_articles(batch))  # noqa: E731
    else:
        processes, articles = choose_processes(args.processes if args.engine == "local" else 1, articles)
        engine = make_engine(args.engine, workers=args.workers, scheduler=args.scheduler, processes=processes)
    batch: list = []
    try:
        with progress_bar(None, "extract") as bar:
            for article in articles:
                batch.append(article)
                if len(batch) >= args.batch_size:
                    yield from map(without_text, engine(batch))
                    bar.update(len(batch))
                    batch = []
            if batch:
                yield from map(without_text, engine(batch))
                bar.update(len(batch))
    finally:
        getattr(engine, "close", lambda: None)()


def without_text(item: ExtractedArticle) -> ExtractedArticle:
    """The result without the article's text, which no writer needs after extraction: a corpus
    of 100,000 articles is not held in memory twice."""
    return dataclasses.replace(item, article=dataclasses.replace(item.article, text=""))


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    if args.output not in (None, "-"):
        geojson = args.output.lower().endswith((".geojson", ".json"))
        siblings = (places_sibling(args.output), movements_sibling(args.output)) if geojson else ()
        refuse_output_over_inputs(args, args.output, *siblings)
    stream = extract_stream(args, reporter)
    first = next(stream, None)
    if first is None:
        raise reporter.nothing_read()
    extracted = itertools.chain([first], stream)
    if args.output in (None, "-"):
        import json

        features = [deployment_feature(d) for item in extracted for d in item.deployments]
        json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        counts = write_extraction(extracted, args.output)  # streamed: memory does not grow with the corpus
        reporter.info(f"wrote {counts['deployments']} deployments and {counts['places']} place mentions "
                      f"from {counts['articles']} articles to {args.output}")
    return reporter.exit_status()
