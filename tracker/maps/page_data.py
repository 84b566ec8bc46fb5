"""The rows a map page carries, in columns: what lets 100,000 deployments travel in a few MB.

One object per row (the GeoJSON of earlier pages) repeats every key and every article's source
and title on every row. Here each column is a list, a text column is an index into its list of
distinct values, an article's id, date, source and title are stored once, and the place table is
sorted by rank (more rows, then larger counts, then precision 1 before 3), so a place's index is
its rank: the page's clusters and labels keep the best-ranked place without sorting anything.
A quote longer than ``QUOTE_CHARS`` is cut for the popup; its full text goes to a second block that
the page parses only when a reader asks for it. Above ``COMPRESS_ABOVE`` bytes a block is gzipped
and base64-encoded; the browser inflates it with its own ``DecompressionStream``.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy

#: a popup's quote is cut here (the full text is a click away)
QUOTE_CHARS = 320
#: data blocks larger than this (JSON bytes) travel gzipped: a tenth of the size, inflated in well under a second
COMPRESS_ABOVE = 1_000_000
TEXT_COLUMNS = ("category", "role", "model", "count_qualifier", "actor", "status", "origin")


@dataclass(frozen=True, slots=True)
class PageData:
    """The page's row columns, the full text of the quotes cut for popups, and what the legend counts."""

    rows: dict[str, Any]
    full_quotes: dict[str, str]
    category_counts: dict[str, int]
    has_areas: bool
    has_moves: bool


def page_data(deployments) -> PageData:
    """Columns of the placed rows of a deployments GeoDataFrame (``tracker.extract``'s or a store's)."""
    frame = _placed(deployments)
    count = len(frame)
    lat = numpy.round(frame.geometry.y.to_numpy(dtype=float), 5) if count else numpy.array([])
    lon = numpy.round(frame.geometry.x.to_numpy(dtype=float), 5) if count else numpy.array([])
    rows: dict[str, Any] = {"n": count, "lat": _integers(lat * 1e5), "lon": _integers(lon * 1e5)}
    for column in TEXT_COLUMNS:
        rows[column], rows[column + "_values"] = _factorized(frame, column)
    for column in ("count", "count_max", "precision", "confidence"):
        rows[column] = _numbers(frame, column)
    rows["article"], rows["articles"] = _articles(frame)
    quotes, full_quotes = _quotes(frame)
    rows["quote"], rows["quote_values"] = quotes
    rows["place"], rows["places"] = _places(frame, lat, lon)
    rows["moves"] = _moves(frame, lat, lon)
    categories = rows["category_values"]
    category_counts: dict[str, int] = {}
    for index in rows["category"]:
        if index >= 0:
            category_counts[categories[index]] = category_counts.get(categories[index], 0) + 1
    return PageData(rows=rows, full_quotes=full_quotes, category_counts=category_counts,
                    has_areas=3 in rows["precision"], has_moves=bool(rows["moves"]["row"]))


def _placed(deployments):
    """The rows with a point (a row the gazetteer could not place is in the table, not on the map)."""
    if deployments is None or not len(deployments):
        import geopandas

        return geopandas.GeoDataFrame({"category": []}, geometry=[], crs="EPSG:4326")
    geometry = deployments.geometry
    keep = geometry.notna() & ~geometry.is_empty
    return deployments[keep.to_numpy()].reset_index(drop=True)


def _integers(values) -> list[int]:
    return numpy.round(values).astype(numpy.int64).tolist()


def _plain_list(series) -> list:
    """Values as JSON-ready Python values, missing ones as None."""
    values = series.astype(object).where(series.notna(), None).tolist()
    return [v.item() if hasattr(v, "item") else (v.isoformat() if hasattr(v, "isoformat") else v) for v in values]


def _factorized(frame, column: str) -> tuple[list[int], list]:
    """Each row's index into the column's distinct values (-1 for none), and those values."""
    import pandas

    if column not in frame.columns or not len(frame):
        return [-1] * len(frame), []
    codes, uniques = pandas.factorize(frame[column].astype(object).where(frame[column].notna(), None))
    return codes.tolist(), [str(value) for value in uniques]


def _numbers(frame, column: str) -> list:
    if column not in frame.columns:
        return [None] * len(frame)
    values = _plain_list(frame[column])
    return [int(v) if isinstance(v, float) and v.is_integer() and column != "confidence" else v for v in values]


def _articles(frame) -> tuple[list[int], dict[str, list]]:
    """Each row's article, and the articles' id, date, source and title, each stored once."""
    fields = ("article_id", "published", "source", "title")
    columns = [_plain_list(frame[f]) if f in frame.columns else [None] * len(frame) for f in fields]
    index: dict[tuple, int] = {}
    rows = [index.setdefault(key, len(index)) for key in zip(*columns)]
    table: dict[str, list] = {f: [] for f in fields}
    for key in index:
        for field, value in zip(fields, key):
            table[field].append(None if value is None else str(value))
    return rows, table


def _quotes(frame) -> tuple[tuple[list[int], list[str]], dict[str, str]]:
    """Distinct quotes, cut for the popup; the full text of those cut, by their index."""
    codes, uniques = _factorized(frame, "quote")
    cut, full = [], {}
    for number, quote in enumerate(uniques):
        if len(quote) > QUOTE_CHARS:
            full[str(number)] = quote
            quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
        cut.append(quote)
    return (codes, cut), full


def _places(frame, lat, lon) -> tuple[list[int], dict[str, list]]:
    """Each row's place, and the places (name, point, area level) in rank order: more rows first,
    then larger counts, then the more precise; a precision-3 place says whether it is a country."""
    import pandas

    if not len(frame):
        return [], {"name": [], "lat": [], "lon": [], "level": [], "rows": []}
    names = frame["place"].astype(object).where(frame["place"].notna(), None) if "place" in frame.columns \
        else pandas.Series([None] * len(frame))
    keys = pandas.DataFrame({"name": names.fillna(""), "lat": lat, "lon": lon})
    counts = pandas.to_numeric(frame["count"], errors="coerce").fillna(1) if "count" in frame.columns else 1
    precision = pandas.to_numeric(frame["precision"], errors="coerce").fillna(3) if "precision" in frame.columns else 3
    keys["count"], keys["precision"] = counts, precision
    grouped = keys.groupby(["name", "lat", "lon"], sort=False)
    summary = grouped.agg(rows=("count", "size"), counts=("count", "sum"), precision=("precision", "min")).reset_index()
    summary["first"] = grouped.head(1).index.to_numpy()  # groups and their first rows, both in order of appearance
    summary = summary.sort_values(["rows", "counts", "precision", "name"], ascending=[False, False, True, True],
                                  kind="stable").reset_index(drop=True)
    rank = {key: number for number, key in enumerate(zip(summary["name"], summary["lat"], summary["lon"]))}
    row_places = [rank[key] for key in zip(keys["name"], keys["lat"], keys["lon"])]
    geonameids = frame["geonameid"].tolist() if "geonameid" in frame.columns else [None] * len(frame)
    country_codes = frame["country_code"].tolist() if "country_code" in frame.columns else [None] * len(frame)
    levels = [_area_level(geonameids[first], country_codes[first], name) if best == 3 and name else None
              for name, best, first in zip(summary["name"], summary["precision"], summary["first"])]
    return row_places, {"name": [name or None for name in summary["name"]], "lat": _integers(summary["lat"] * 1e5),
                        "lon": _integers(summary["lon"] * 1e5), "level": levels, "rows": summary["rows"].tolist()}


def _area_level(geonameid: Any, country_code: Any, place: str) -> str:
    import pandas

    geonameid = None if geonameid is None or pandas.isna(geonameid) else int(geonameid)
    country_code = country_code if isinstance(country_code, str) and country_code else None
    return _cached_area_level(geonameid, country_code, place)


@lru_cache(maxsize=4096)
def _cached_area_level(geonameid: int | None, country_code: str | None, place: str) -> str:
    return area_level(geonameid, country_code, place)


def area_level(geonameid: Any, country_code: Any, place: str) -> str:
    """'country' when a row placed to a whole area (precision 3) is placed to its country, else
    'region': the popup then says "somewhere in Syria (country-level)"."""
    from tracker.gazetteer.index import default_gazetteer

    country = default_gazetteer().country(str(country_code)) if country_code else None
    if country is None:
        return "region"
    same_id = geonameid is not None and country.geonameid is not None and int(geonameid) == country.geonameid
    return "country" if same_id or place == country.name else "region"


def _moves(frame, lat, lon) -> dict[str, list]:
    """The rows that moved: their path (vertices as integers of 1e-4 degree), arrow angle and length."""
    from tracker.maps.movements import movement_path

    moves: dict[str, list] = {"row": [], "path": [], "angle": [], "km": []}
    if "origin_lat" not in frame.columns or "origin_lon" not in frame.columns:
        return moves
    origin_lat = frame["origin_lat"].to_numpy(dtype=float, na_value=numpy.nan)
    origin_lon = frame["origin_lon"].to_numpy(dtype=float, na_value=numpy.nan)
    for row in numpy.flatnonzero(~numpy.isnan(origin_lat) & ~numpy.isnan(origin_lon)).tolist():
        path = movement_path(float(origin_lat[row]), float(origin_lon[row]), float(lat[row]), float(lon[row]))
        if path is None:
            continue
        moves["row"].append(row)
        moves["path"].append([round(value * 1e4) for vertex in path.vertices for value in vertex])
        moves["angle"].append(path.angle)
        moves["km"].append(path.length_km)
    return moves


def data_block(element_id: str, value: Any) -> str:
    """A ``<script type="application/json">`` holding ``value``: JSON that cannot end the element
    early, gzipped and base64-encoded when large (``data-encoding="gzip-base64"``)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(text) > COMPRESS_ABOVE:
        packed = base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")
        return f'<script type="application/json" id="{element_id}" data-encoding="gzip-base64">{packed}</script>'
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f'<script type="application/json" id="{element_id}">{text}</script>'
