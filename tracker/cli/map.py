"""``tracker map``: a layered, offline map of deployments and places (HTML, PNG or PDF)."""

from __future__ import annotations

import argparse
import tempfile
import webbrowser
from pathlib import Path

from tracker.cli.common import (CliReporter, add_store_query_options, refuse_output_over_inputs,
                                store_query)
from tracker.cli.input_options import add_input_options
from tracker.cli.geocoder_options import add_geocoder_options, resolver_from_args
from tracker.errors import OutputError

EXAMPLE = """example:
  tracker map data/samples/nbc-2015-09-18-russia-syria-helicopters.txt      # -> maps/nbc-….html
  tracker map deployments.gpkg -o maps/syria.png --by-actor --by-status
  tracker map corpus.jsonl --tiles carto --open
INPUT is articles (as for extract) or rows written by tracker extract (.gpkg, .geojson): the same
map either way.
"""
ROW_SUFFIXES = (".gpkg", ".geojson")


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "map", help="draw deployments and places on a self-contained offline map",
        description="Draw the deployments and place mentions of articles (or of extracted rows) on a layered "
                    "Leaflet map that opens offline: one HTML file, or a PNG/PDF rendered by headless Chromium.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_options(parser, required=False)
    add_store_query_options(parser)
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="map file: .html (default maps/<input-stem>.html), .png or .pdf")
    parser.add_argument("--tiles", choices=("none", "osm", "carto"), default="none",
                        help="an online tile layer offered beside the offline borders (default: none)")
    parser.add_argument("--by-actor", action="store_true", help="add a layer toggle per owner")
    parser.add_argument("--by-status", action="store_true", help="add a layer toggle per status")
    parser.add_argument("--no-heatmap", action="store_true", help="leave out the heatmap layer")
    parser.add_argument("--title", default="Equipment deployments", help="map title (legend and page title)")
    parser.add_argument("--open", action="store_true", help="open the map in the web browser")
    add_geocoder_options(parser)
    parser.set_defaults(run=run)


def default_output(inputs: list[str]) -> Path:
    first = Path(inputs[0]) if inputs and inputs[0] != "-" else Path("stdin")
    stem = first.stem if first.suffix else first.name
    return Path("maps") / f"{stem or 'map'}.html"


def load_rows(args: argparse.Namespace, reporter: CliReporter):
    """Deployments and places: from a store (groups linked across articles), or from extracted
    files or articles (told apart by extension, never by content)."""
    import pandas

    from tracker.errors import UsageError
    from tracker.pipelines.frame import deployments_frame, places_frame, read_extraction

    if getattr(args, "store", None):
        if args.inputs:
            raise UsageError("give INPUT files or --store, not both")
        from tracker.store.database import open_store
        from tracker.store.tracks import link_reports

        store = open_store(args.store)
        try:
            deployments, places = store.read(store_query(args))
        finally:
            store.close()
        return link_reports(deployments), places
    if not args.inputs:
        raise UsageError("give INPUT files (articles or extracted rows), or --store")

    from tracker.sources.articles import is_url

    row_files = [p for p in args.inputs if Path(p).suffix.lower() in ROW_SUFFIXES and not is_url(p)]
    article_inputs = [p for p in args.inputs if p not in row_files]
    deployments, places = [], []
    for path in row_files:
        frame, place_frame = read_extraction(path)
        deployments.append(frame)
        if place_frame is not None:
            places.append(place_frame)
    if article_inputs:
        from tracker.pipelines.extract import Extractor
        from tracker.cli.input_options import read_inputs

        extractor = Extractor.default(resolve=resolver_from_args(args, reporter))
        articles = read_inputs(argparse.Namespace(**{**vars(args), "inputs": article_inputs}), reporter)
        from tracker.cli.extract import without_text

        extracted = [without_text(item) for item in extractor.extract_articles(articles)]  # no texts kept
        if not extracted and not row_files:
            raise reporter.nothing_read()
        deployments.append(deployments_frame(d for item in extracted for d in item.deployments))
        places.append(places_frame(extracted))
    import geopandas

    combine = lambda frames: geopandas.GeoDataFrame(pandas.concat(frames, ignore_index=True), crs="EPSG:4326")
    return combine(deployments), (combine(places) if places else None)


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.maps.render import render_map, save_map

    output = Path(args.output) if args.output else default_output(args.inputs or [Path(args.store or "map").name])
    refuse_output_over_inputs(args, output)
    deployments, places = load_rows(args, reporter)
    fmap = render_map(deployments, places, tiles=args.tiles, title=args.title, by_actor=args.by_actor,
                      by_status=args.by_status, heatmap=not args.no_heatmap)
    suffix = output.suffix.lower()
    if suffix in (".html", ".htm"):
        written = save_map(fmap, output)
    elif suffix in (".png", ".pdf"):
        from tracker.maps import browser

        with tempfile.TemporaryDirectory(prefix="tracker-map-") as folder:
            page = save_map(fmap, Path(folder) / "map.html")
            written = browser.screenshot(page, output) if suffix == ".png" else browser.pdf(page, output)
    else:
        raise OutputError(f"{output}: unknown map format {suffix or '(none)'!r}; use .html, .png or .pdf")
    reporter.info(f"wrote {written} ({len(deployments)} deployments, "
                  f"{0 if places is None else len(places)} place mentions)")
    if args.open:
        webbrowser.open(Path(written).resolve().as_uri())
    return reporter.exit_status()
