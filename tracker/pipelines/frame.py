"""Records -> tables and files: geoparse results as JSON lines, GeoJSON, or a GeoDataFrame.

GeoJSON follows RFC 7946: WGS 84 longitude/latitude, no ``crs`` member; a name the gazetteer
could not place is a feature with a null geometry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from tracker.pipelines.geoparse import GeoparsedArticle
from tracker.models import Toponym

GeoparseFormat = Literal["jsonl", "geojson"]
TOPONYM_FIELDS = ("start", "end", "text", "name", "lat", "lon", "geonameid", "feature_code",
                  "country_code", "admin1_code", "precision", "confidence", "mention")


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Strings with control characters replaced: NUL and friends break GeoPackage, CSV and KML."""
    from tracker.sources.articles import clean_text

    return {key: clean_text(value) if isinstance(value, str) else value for key, value in record.items()}


def toponym_record(toponym: Toponym) -> dict[str, Any]:
    return _clean({name: getattr(toponym, name) for name in TOPONYM_FIELDS})


def geoparse_record(result: GeoparsedArticle) -> dict[str, Any]:
    """One JSON line: ``{"id", "toponyms": [...]}`` with offsets into the article text."""
    return {"id": result.article.id, "toponyms": [toponym_record(t) for t in result.toponyms]}


def toponym_features(result: GeoparsedArticle) -> Iterator[dict[str, Any]]:
    article = result.article
    for toponym in result.toponyms:
        properties = {**_clean({"article_id": article.id, "source": article.source}), **toponym_record(toponym)}
        geometry = ({"type": "Point", "coordinates": [toponym.lon, toponym.lat]}
                    if toponym.is_placed else None)
        yield {"type": "Feature", "geometry": geometry, "properties": properties}


def write_geoparse(results: Iterable[GeoparsedArticle], stream: IO[str], output_format: GeoparseFormat) -> int:
    """Write results as JSON lines or one GeoJSON FeatureCollection; returns the article count."""
    count = 0
    if output_format == "jsonl":
        for result in results:
            stream.write(json.dumps(geoparse_record(result), ensure_ascii=False) + "\n")
            count += 1
        return count
    stream.write('{"type": "FeatureCollection", "features": [')
    first = True
    for result in results:
        count += 1
        for feature in toponym_features(result):
            stream.write(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
    stream.write("\n]}\n")
    return count


def toponyms_frame(results: Iterable[GeoparsedArticle]):
    """A GeoDataFrame (EPSG:4326) with one row per place mention; unplaced names have no geometry."""
    import geopandas
    from shapely.geometry import Point

    rows, geometries = [], []
    for result in results:
        for feature in toponym_features(result):
            rows.append(feature["properties"])
            coordinates = (feature["geometry"] or {}).get("coordinates")
            geometries.append(Point(coordinates) if coordinates else None)
    columns = ["article_id", "source", *TOPONYM_FIELDS]
    return geopandas.GeoDataFrame(rows, columns=columns, geometry=geometries, crs="EPSG:4326")


# ---------------------------------------------------------------------------- deployments

#: where a moved group came from; the row's place (and geometry) is where it went
ORIGIN_COLUMNS = ("origin", "origin_geonameid", "origin_lat", "origin_lon")
DEPLOYMENT_COLUMNS = ("article_id", "published", "source", "title", "category", "role", "model", "count",
                      "count_qualifier", "count_max", "actor", "status", "place", "geonameid", "country_code",
                      "precision", "confidence", "quote", "start", "end", *ORIGIN_COLUMNS)
_INTEGER_COLUMNS = ("count", "count_max", "geonameid", "precision", "start", "end", "origin_geonameid")
_REAL_COLUMNS = ("confidence", "origin_lat", "origin_lon")
EXPORT_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV", ".kml": "KML"}


def deployment_feature(deployment) -> dict[str, Any]:
    record = _clean(deployment.to_dict())
    lat, lon = record.pop("lat"), record.pop("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "geometry": geometry, "properties": {k: record[k] for k in DEPLOYMENT_COLUMNS}}


def movement_ends(deployment) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """(origin, place) as (lon, lat) pairs, or None unless both ends of the move are placed."""
    if not deployment.has_origin or deployment.lat is None or deployment.lon is None:
        return None
    return (deployment.origin_lon, deployment.origin_lat), (deployment.lon, deployment.lat)


def movement_feature(deployment) -> dict[str, Any] | None:
    """The move of a row as a GeoJSON LineString origin -> place, with the row's properties.

    Two vertices, the ends as the text gives them: how to draw the path between them (a great
    circle on the map) is the reader's choice, and a straight pair never misstates the data.
    """
    ends = movement_ends(deployment)
    if ends is None:
        return None
    feature = deployment_feature(deployment)
    feature["geometry"] = {"type": "LineString", "coordinates": [list(ends[0]), list(ends[1])]}
    return feature


def _typed(frame: Any) -> Any:
    """Integer columns as nullable Int64 and real ones as float64, whatever the rows held."""
    for column in _INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in _REAL_COLUMNS:
        frame[column] = frame[column].astype("float64")
    return frame


def deployments_frame(deployments: Iterable) -> Any:
    """GeoDataFrame (EPSG:4326), one row per deployment, columns as in the README."""
    import geopandas
    import pandas
    from shapely.geometry import Point

    rows, geometries = [], []
    for deployment in deployments:
        record = _clean(deployment.to_dict())
        lat, lon = record.pop("lat"), record.pop("lon")
        rows.append(record)
        geometries.append(Point(lon, lat) if lat is not None and lon is not None else None)
    frame = _typed(pandas.DataFrame(rows, columns=list(DEPLOYMENT_COLUMNS)))
    return geopandas.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def movements_frame(deployments: Iterable) -> Any:
    """GeoDataFrame (EPSG:4326) of LineStrings origin -> place, one per moved row with both ends
    placed, with the row's columns: the ``movements`` layer."""
    import geopandas
    import pandas
    from shapely.geometry import LineString

    rows, geometries = [], []
    for deployment in deployments:
        feature = movement_feature(deployment)
        if feature is not None:
            rows.append(feature["properties"])
            geometries.append(LineString(feature["geometry"]["coordinates"]))
    frame = _typed(pandas.DataFrame(rows, columns=list(DEPLOYMENT_COLUMNS)))
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(geometries, dtype="geometry"), crs="EPSG:4326")


def places_frame(extracted: Iterable) -> Any:
    """Every place mention of the extracted articles, as ``toponyms_frame`` lays them out."""
    return toponyms_frame(GeoparsedArticle(item.article, item.toponyms) for item in extracted)


#: Articles written at a time: memory holds one chunk's places, not the corpus's.
WRITE_CHUNK = 500


def write_extraction(extracted: Iterable, path: str | Path, *, chunk: int = WRITE_CHUNK) -> dict[str, int]:
    """Write deployments (and places) to ``path``; the format follows the extension.

    .gpkg: layers ``deployments``, ``places``, ``other_mentions`` (personnel, untyped
    equipment) and ``movements`` (LineStrings origin -> place); .geojson: deployments, with
    places and movements beside it in ``<stem>.places.geojson`` and ``<stem>.movements.geojson``
    (both always written, so no file of an earlier run is left to be read with this one);
    .csv: deployments with ``lat``/``lon`` columns; .kml: deployments.
    ``extracted`` may be any iterable, read once: GeoPackage and GeoJSON are written ``chunk``
    articles at a time, so memory does not grow with the corpus (CSV and KML hold the
    deployments only). Files are written atomically (``tracker.common.atomic``): a failed write leaves
    the old file. Returns the counts of deployments, places and articles written.
    """
    from tracker.errors import OutputError

    from tracker.common.atomic import printable

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise OutputError(f"{printable(path)}: unknown output format {suffix or '(none)'!r}; use one of "
                          f"{', '.join(sorted(EXPORT_FORMATS))}")
    counts = {"deployments": 0, "places": 0, "articles": 0}
    chunks = _chunks(extracted, chunk, counts)
    if suffix in (".geojson", ".json"):
        _write_geojson_extraction(chunks, target)
    elif suffix == ".gpkg":
        _write_gpkg_extraction(chunks, target, path)
    else:
        from tracker.common.atomic import atomic_path, atomic_stream

        deployments = [d for items in chunks for item in items for d in item.deployments]
        if suffix == ".csv":
            frame = deployments_frame(deployments)
            frame["lat"], frame["lon"] = [d.lat for d in deployments], [d.lon for d in deployments]
            frame = neutralise_formulas(frame.drop(columns="geometry"))
            with atomic_stream(target, newline="") as stream:
                # RFC 4180 line ends: a CR inside a cell is then quoted, not read as a line break
                frame.to_csv(stream, index=False, lineterminator="\r\n")
        else:  # .kml; the layer name becomes the KML folder's name
            frame = deployments_frame(deployments)
            frame = frame[frame.geometry.notna()]
            with atomic_path(target, check=_reads_back(path, {"deployments": len(frame)})) as temporary:
                frame.to_file(temporary, driver="KML", layer="deployments")
    return counts


def _chunks(extracted: Iterable, size: int, counts: dict[str, int]) -> Iterator[list]:
    """The extracted articles ``size`` at a time, counting what passes."""
    batch: list = []
    for item in extracted:
        counts["articles"] += 1
        counts["deployments"] += len(item.deployments)
        counts["places"] += len(item.toponyms)
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_geojson_extraction(chunks: Iterator[list], target: Path) -> None:
    """Three FeatureCollections written side by side, one chunk at a time."""
    from contextlib import ExitStack

    from tracker.common.atomic import atomic_stream

    with ExitStack() as stack:
        streams = [stack.enter_context(atomic_stream(p)) for p in (target, places_sibling(target),
                                                                     movements_sibling(target))]
        first = [True, True, True]

        def write(index: int, features: Iterable[dict[str, Any]]) -> None:
            for feature in features:
                streams[index].write(("\n" if first[index] else ",\n")
                                     + json.dumps(feature, ensure_ascii=False, allow_nan=False))
                first[index] = False

        for stream in streams:
            stream.write('{"type": "FeatureCollection", "features": [')
        for items in chunks:
            deployments = [d for item in items for d in item.deployments]
            write(0, map(deployment_feature, deployments))
            write(1, (f for item in items for f in toponym_features(GeoparsedArticle(item.article, item.toponyms))))
            write(2, (f for f in map(movement_feature, deployments) if f is not None))
        for stream in streams:
            stream.write("\n]}\n")


def _write_gpkg_extraction(chunks: Iterator[list], target: Path, path: str | Path) -> None:
    """The four layers, appended chunk by chunk; a layer is created by its first non-empty chunk
    (so its field types are the data's), and an empty one at the end."""
    from tracker.common.atomic import atomic_path

    expected = {"deployments": 0, "places": 0, "other_mentions": 0, "movements": 0}
    created: set[str] = set()
    with atomic_path(target, check=_reads_back(path, expected)) as temporary:

        def write(layer: str, frame, force: bool = False) -> None:
            if len(frame) == 0 and not force:
                return
            frame.to_file(temporary, layer=layer, driver="GPKG", mode="a" if created or layer in created else "w",
                          **({"geometry_type": "LineString"} if layer == "movements" else {}))
            created.add(layer)
            expected[layer] += len(frame)

        for items in chunks:
            deployments = [d for item in items for d in item.deployments]
            write("deployments", deployments_frame(deployments))
            write("places", places_frame(items))
            write("other_mentions", deployments_frame(d for item in items for d in item.untyped))
            write("movements", movements_frame(deployments))
        empty = {"deployments": deployments_frame([]), "places": places_frame([]),
                 "other_mentions": deployments_frame([]), "movements": movements_frame([])}
        for layer in ("deployments", "places", "other_mentions", "movements"):
            if layer not in created:
                write(layer, empty[layer], force=True)


def places_sibling(path: str | Path) -> Path:
    """Where a GeoJSON export puts its place mentions: ``<stem>.places.geojson`` beside it."""
    target = Path(path)
    return target.with_name(f"{target.stem}.places.geojson")


def movements_sibling(path: str | Path) -> Path:
    """Where a GeoJSON export puts its moves: ``<stem>.movements.geojson`` beside it."""
    target = Path(path)
    return target.with_name(f"{target.stem}.movements.geojson")


def _reads_back(path: str | Path, expected: dict[str, int]):
    """A check for ``atomic_path``: the written file opens and holds every row of every layer.

    GDAL's KML writer does not report a failed write (a full disk leaves invalid XML and exit
    0), so the file is read back before it may replace the old one.
    """
    from tracker.common.atomic import printable
    from tracker.errors import OutputError

    def check(written: Path) -> None:
        import pyogrio

        try:
            found = {name: pyogrio.read_info(written, layer=name)["features"] for name in expected}
        except Exception as error:  # GDAL raises assorted errors on a truncated file
            raise OutputError(f"{printable(path)}: cannot be written (the file written does not read back: "
                              f"{str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__};"
                              " is the disk full?)") from error
        short = {name: count for name, count in found.items() if count != expected[name]}
        if short:
            name = next(iter(short))
            raise OutputError(f"{printable(path)}: cannot be written (layer {name!r} read back with {short[name]} of "
                              f"{expected[name]} rows; is the disk full?)")

    return check


#: First characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading ``'`` (OWASP); numbers,
    negative ones included, and every other value stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_formulas(frame):
    """``frame`` with every text cell passed through ``neutralise_formula``."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    frame = frame.copy()
    for column in frame.columns:
        if is_object_dtype(frame[column]) or is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise_formula, na_action="ignore")
    return frame


def _write_feature_collection(stream: IO[str], features: Iterable[dict[str, Any]]) -> None:
    stream.write('{"type": "FeatureCollection", "features": [')
    for index, feature in enumerate(features):
        stream.write(("\n" if index == 0 else ",\n") + json.dumps(feature, ensure_ascii=False, allow_nan=False))
    stream.write("\n]}\n")


def read_extraction(path: str | Path):
    """(deployments, places or None) from a file ``tracker extract`` wrote (.gpkg or .geojson)."""
    import geopandas

    from tracker.errors import InputError

    source = Path(path)
    if not source.is_file():
        raise InputError(f"{path}: no such file")
    try:
        if source.suffix.lower() == ".gpkg":
            import pyogrio

            layers = {name for name, _ in pyogrio.list_layers(source)}
            if "deployments" not in layers:
                raise InputError(f"{path}: no 'deployments' layer; is it a file written by tracker extract?")
            deployments = geopandas.read_file(source, layer="deployments")
            places = geopandas.read_file(source, layer="places") if "places" in layers else None
            return deployments, places
        deployments = geopandas.read_file(source)
        sibling = places_sibling(source)
        places = geopandas.read_file(sibling) if sibling.is_file() else None
    except InputError:
        raise
    except Exception as error:  # pyogrio raises DataSourceError and friends for broken files
        raise InputError(f"{path}: not a readable GeoPackage/GeoJSON ({type(error).__name__}: {error})") from error
    if len(deployments) and "category" not in deployments.columns:
        raise InputError(f"{path}: rows have no 'category'; is it a file written by tracker extract?")
    if len(deployments) and (deployments.geom_type.dropna() != "Point").any():
        raise InputError(f"{path}: rows are not points (a movements file?); give the deployments file beside it")
    return deployments, places
