"""``tracker report``: one self-contained HTML report (map, sortable table, summaries, sources)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli.common import (CliReporter, add_store_query_options, output_stream,
                                refuse_output_over_inputs)
from tracker.cli.input_options import add_input_options
from tracker.cli.geocoder_options import add_geocoder_options
from tracker.cli.map import load_rows

EXAMPLE = """example:
  tracker report data/samples/ -o report.html
  tracker report deployments.gpkg --format fragment -o map-snippet.html   # an <iframe srcdoc> to paste
  tracker report --store tracker.gpkg --since 2024-01-01 -o report.html
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "report", help="write a self-contained HTML report with the map, a table and sources",
        description="Write one HTML file with the map embedded, a sortable table of deployments, a summary per "
                    "category, actor and place, and the sources; or, with --format fragment, the map alone as an "
                    "<iframe srcdoc> snippet to paste into other reports.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_options(parser, required=False)
    add_store_query_options(parser)
    parser.add_argument("-o", "--output", metavar="OUT", help="report file (default: standard output)")
    parser.add_argument("--format", choices=("html", "fragment"), default="html")
    parser.add_argument("--title", default="Equipment deployments")
    parser.add_argument("--tiles", choices=("none", "osm", "carto"), default="none")
    add_geocoder_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.maps.report import build_report

    refuse_output_over_inputs(args, args.output)
    deployments, places = load_rows(args, reporter)
    text = build_report(deployments, places, title=args.title, tiles=args.tiles, output_format=args.format)
    with output_stream(args.output) as stream:
        stream.write(text)
    if args.output:
        reporter.info(f"wrote {Path(args.output)} ({len(deployments)} deployments)")
    return reporter.exit_status()
