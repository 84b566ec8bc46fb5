"""``tracker geoparse``: the places in articles, as JSON lines or GeoJSON."""

from __future__ import annotations

import argparse

from tracker.cli.common import PROCESSES_HELP, CliReporter, choose_processes, output_stream, positive_int, refuse_output_over_inputs
from tracker.pipelines.frame import write_geoparse
from tracker.pipelines.geoparse import RECOGNIZERS, Geoparser
from tracker.cli.input_options import add_input_options, read_inputs

EXAMPLE = """example:
  tracker geoparse data/samples/ --format jsonl -o places.jsonl
  echo "Russian jets landed near Latakia, Syria." | tracker geoparse -
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "geoparse", help="find and locate the places named in articles",
        description="Find the place names in each article and locate them with the bundled gazetteer "
                    "(offline), or with an online geocoder if asked.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_options(parser)
    parser.add_argument("--format", choices=("jsonl", "geojson"), default=None,
                        help="jsonl: one line per article (default); geojson: one feature per place mention")
    parser.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    parser.add_argument("--recognizer", choices=RECOGNIZERS, default="gazetteer",
                        help="gazetteer: gazetteer matching with a learned filter (default, fast); "
                             "spacy: spaCy's named entities (slower)")
    parser.add_argument("--batch-size", type=positive_int, default=32, help="articles per batch (default: 32)")
    parser.add_argument("--processes", type=_at_least_one, default=None,
                        help=f"{PROCESSES_HELP}; with an online geocoder or --recognizer spacy, recognition "
                             "only, and one process unless asked")
    from tracker.cli.geocoder_options import add_geocoder_options

    add_geocoder_options(parser)
    parser.set_defaults(run=run)


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.cli.geocoder_options import resolver_from_args

    refuse_output_over_inputs(args, args.output)
    output_format = args.format or ("geojson" if (args.output or "").endswith((".geojson", ".json")) else "jsonl")
    geoparser = Geoparser.default(resolve=resolver_from_args(args, reporter), recognizer=args.recognizer)
    articles = read_inputs(args, reporter)
    offline = args.recognizer == "gazetteer" and args.geocoder == "offline"
    processes, articles = choose_processes(args.processes if args.processes or offline else 1, articles)
    with output_stream(args.output) as stream:
        count = write_geoparse(geoparser.parse_articles(articles, batch_size=args.batch_size, processes=processes), stream, output_format)
    if count == 0:
        raise reporter.nothing_read()
    return reporter.exit_status()
