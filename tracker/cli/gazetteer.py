"""``tracker gazetteer build``: a full gazetteer from GeoNames dumps, for ``--gazetteer PATH``."""

from __future__ import annotations

import argparse

from tracker.cli.common import CliReporter, add_gazetteer_option

EXAMPLE = """example:
  # download https://download.geonames.org/export/dump/UA.zip and SY.zip (CC BY 4.0), then
  tracker gazetteer build --geonames UA.zip SY.zip -o war-gazetteer.sqlite
  tracker geoparse --gazetteer war-gazetteer.sqlite reports/
  # every country (allCountries.zip, 400 MB; the result takes about 2 GB), with alternate names:
  tracker gazetteer build --geonames allCountries.zip alternateNamesV2.zip -o full.sqlite
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "gazetteer", help="build a full gazetteer from GeoNames dumps",
        description="Build a gazetteer from GeoNames dumps you downloaded: the bundled gazetteer (or the one "
                    "--gazetteer names) plus every populated place, division and military site of the dumps, "
                    "with their alternate names. Use it on any verb with --gazetteer PATH or TRACKER_GAZETTEER.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="build a gazetteer from GeoNames dumps", epilog=EXAMPLE,
        description="Stream GeoNames dumps (allCountries.zip, or per-country files such as UA.zip) into a "
                    "gazetteer, in bounded memory. A file named alternateNamesV2.zip (or .txt) among them, or "
                    "given with --alternate-names, adds GeoNames' alternate names.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--geonames", nargs="+", required=True, metavar="DUMP",
                       help="GeoNames dump files as downloaded (allCountries.zip, UA.zip, … or the .txt inside)")
    build.add_argument("--alternate-names", metavar="FILE", help="alternateNamesV2.zip (or .txt)")
    build.add_argument("-o", "--output", required=True, metavar="PATH", help="the gazetteer to write (.sqlite)")
    build.add_argument("--min-population", type=int, default=0,
                       help="leave out populated places smaller than this (default: 0, keep every village)")
    add_gazetteer_option(build)  # here: the gazetteer to extend (default: the bundled one)
    build.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.errors import InputError
    from tracker.gazetteer.geonames import build_from_geonames

    dumps = [path for path in args.geonames if not _is_alternate_names_file(path)]
    alternates = [path for path in args.geonames if _is_alternate_names_file(path)]
    if args.alternate_names:
        alternates.append(args.alternate_names)
    if len(alternates) > 1:
        raise InputError(f"one alternate names file at most, got {', '.join(alternates)}")
    summary = build_from_geonames(dumps, args.output, alternate_names=alternates[0] if alternates else None,
                                  base=getattr(args, "gazetteer", None), min_population=args.min_population)
    size_mb = summary.output.stat().st_size / 1e6
    print(f"wrote {summary.output}: {summary.places_total} places ({summary.places_added} added), "
          f"{summary.names_added} names added, {size_mb:.1f} MB; use it with --gazetteer {summary.output}")
    if summary.malformed_lines:
        reporter.warning(f"{summary.malformed_lines} lines of the dumps were not GeoNames records and were skipped")
    return 0


def _is_alternate_names_file(path: str) -> bool:
    """GeoNames names the file alternateNamesV2.zip (alternateNames.zip before 2018)."""
    from pathlib import Path

    return Path(path).name.lower().startswith("alternatenames")
