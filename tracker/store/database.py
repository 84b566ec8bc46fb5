"""A store that keeps each article, deployment and place mention once: GeoPackage or PostGIS.

``open_store("tracker.gpkg")`` or ``open_store("postgresql://…")``. Both hold three tables —
``articles``, ``deployments``, ``places`` — and a ``movements`` layer of LineStrings from each moved
group's origin to its place (a table kept in the same transaction in a GeoPackage, whose SQL cannot
build geometries; a view in PostGIS). Both write **one transaction per batch**: a batch
of articles goes in with all its rows, or not at all, so a crash or ``kill -9`` mid-ingest leaves
a readable store and a re-run completes it. An article already stored (same id, or the same
normalised text, by SHA-256) is skipped, so ingesting a corpus twice adds nothing.

The GeoPackage is created by GDAL (through pyogrio, so QGIS and every OGR reader open it) and
then written with Python's sqlite3, whose transactions we control; geometries are GeoPackage
binary points in EPSG:4326. PostGIS tables use ``geometry(Point, 4326)`` and psycopg.

A store written before a column existed (the origin of a move) is brought up to date when it is
opened for writing: missing columns are added (``ALTER TABLE … ADD COLUMN``), missing layers
created; each step checks first, so opening twice changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from tracker.common.atomic import fsync_file
from tracker.errors import TrackerError
from tracker.pipelines.extract import ExtractedArticle
from tracker.pipelines.frame import DEPLOYMENT_COLUMNS, TOPONYM_FIELDS, _clean
from tracker.models import Article

ARTICLE_COLUMNS = ("article_id", "text_hash", "source", "title", "published", "url", "ingested_at",
                   "deployment_count", "place_count")
PLACE_COLUMNS = ("article_id", "published", *[f for f in TOPONYM_FIELDS if f not in ("lat", "lon")])
#: a movement is its deployment's row drawn as a line; deployment_fid joins it back
MOVEMENT_COLUMNS = ("deployment_fid", *DEPLOYMENT_COLUMNS)
INTEGER_COLUMNS = frozenset({"count", "count_max", "geonameid", "precision", "start", "end", "deployment_count",
                             "place_count", "origin_geonameid", "deployment_fid"})
REAL_COLUMNS = frozenset({"confidence", "origin_lat", "origin_lon"})
#: The unique index that keeps each text once, whatever its id, even under concurrent writers.
_HASH_INDEX = "articles_text_hash_unique"


class StoreError(TrackerError, RuntimeError):
    """The store cannot be opened, read or written."""

    exit_code = 7


def lock_timeout_seconds() -> float:
    """How long a writer waits for another one's lock before giving up with a ``StoreError``:
    ``TRACKER_LOCK_TIMEOUT`` seconds, 30 by default (SQLite's busy timeout, PostgreSQL's
    ``lock_timeout``)."""
    try:
        return max(0.0, float(os.environ.get("TRACKER_LOCK_TIMEOUT", "30")))
    except ValueError:
        return 30.0


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _sqlite_failure(location: str, doing: str, error: sqlite3.Error) -> StoreError:
    """The real cause of a SQLite failure, in words: locked, full, read-only or otherwise."""
    message = _first_line(error)
    if "locked" in message or "busy" in message:
        return StoreError(f"{location}: {doing}: the store is locked by another writer "
                          f"(waited {lock_timeout_seconds():g} s; {message}); try again when it is done")
    return StoreError(f"{location}: {doing} ({message})")


def text_hash(text: str) -> str:
    """SHA-256 of the text with case, accents, punctuation and spacing folded: the same article
    fetched twice (another URL, a changed byline spacing) hashes the same."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if ch.isalnum() or ch.isspace())
    return hashlib.sha256(" ".join(folded.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class IngestCounts:
    articles: int = 0
    skipped: int = 0
    deployments: int = 0
    places: int = 0


@dataclass(frozen=True, slots=True)
class Query:
    """Which rows to read back: dates are ISO strings compared on the first ten characters."""

    since: str | None = None
    until: str | None = None
    actors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class Store(Protocol):
    location: str

    def known(self) -> tuple[set[str], set[str]]: ...
    def write_batch(self, batch: Sequence[ExtractedArticle]) -> IngestCounts: ...
    def read(self, query: Query = Query()) -> tuple[Any, Any]: ...
    def close(self) -> None: ...


def open_store(location: str | Path, *, create: bool = False) -> Store:
    """The store at ``location``; a missing GeoPackage is created only when ``create`` is true."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgisStore(text)
    if Path(text).suffix.lower() != ".gpkg":
        raise StoreError(f"{text}: a store is a .gpkg file or a postgresql:// URL")
    if not create and not Path(text).exists():
        raise StoreError(f"{text}: no such store; create one with: tracker ingest INPUT... --store {text}")
    return GeoPackageStore(Path(text))


def article_row(item: ExtractedArticle) -> dict[str, Any]:
    article = item.article
    return _clean({"article_id": article.id, "text_hash": text_hash(article.text), "source": article.source,
                   "title": article.title, "published": article.published, "url": article.url,
                   "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "deployment_count": len(item.deployments), "place_count": len(item.toponyms)})


def deployment_rows(item: ExtractedArticle) -> list[tuple[dict[str, Any], tuple[float, float] | None]]:
    rows = []
    for deployment in item.deployments:
        record = _clean(deployment.to_dict())
        point = (record.pop("lon"), record.pop("lat"))
        rows.append(({c: record[c] for c in DEPLOYMENT_COLUMNS}, point if None not in point else None))
    return rows


def movement_line(record: dict[str, Any], point: tuple[float, float] | None) -> list[tuple[float, float]] | None:
    """The stored row's move as [(lon, lat) of the origin, (lon, lat) of the place], or None."""
    if point is None or record.get("origin_lon") is None or record.get("origin_lat") is None:
        return None
    return [(record["origin_lon"], record["origin_lat"]), point]


def place_rows(item: ExtractedArticle) -> list[tuple[dict[str, Any], tuple[float, float] | None]]:
    rows = []
    for toponym in item.toponyms:
        record = _clean({"article_id": item.article.id, "published": item.article.published,
                         **{f: getattr(toponym, f) for f in TOPONYM_FIELDS}})
        point = (record.pop("lon"), record.pop("lat"))
        rows.append((record, point if None not in point else None))
    return rows


def _gpkg_point(point: tuple[float, float] | None) -> bytes | None:
    """GeoPackage binary: 'GP', version 0, flags (little endian, no envelope), SRS id, WKB point."""
    if point is None:
        return None
    return b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<bIdd", 1, 1, point[0], point[1])


def _gpkg_line(points: list[tuple[float, float]]) -> bytes:
    """GeoPackage binary (header as in ``_gpkg_point``) holding a WKB LineString."""
    body = struct.pack("<bII", 1, 2, len(points)) + b"".join(struct.pack("<dd", x, y) for x, y in points)
    return b"GP\x00\x01" + struct.pack("<i", 4326) + body


def _point_from_gpkg(blob: bytes | None):
    from shapely.geometry import Point

    if not blob:
        return None
    flags = blob[3]
    envelope = (0, 32, 48, 48, 64)[(flags >> 1) & 0b111]
    x, y = struct.unpack("<dd", blob[8 + envelope + 5:8 + envelope + 21])
    return Point(x, y)


class GeoPackageStore:
    """The embedded default: a GeoPackage file that QGIS opens."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self._hash_unique: bool | None = None
        if not path.exists():
            self._create()
        try:
            self.connection = sqlite3.connect(path, timeout=lock_timeout_seconds(), isolation_level=None)
            self.connection.execute("PRAGMA foreign_keys = OFF")
            tables = {r[0] for r in self.connection.execute("SELECT table_name FROM gpkg_contents")}
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise _sqlite_failure(self.location, "cannot be opened", error) from error
            raise StoreError(f"{path}: not a readable GeoPackage ({error})") from error
        missing = {"articles", "deployments", "places"} - tables
        if missing:
            raise StoreError(f"{path}: not a tracker store (no {', '.join(sorted(missing))} table); "
                             "give a new file name or a store written by tracker ingest")
        if os.access(path, os.W_OK):  # a read-only store is read as it is: missing columns read as null
            if "movements" not in tables:
                self._add_movements_layer()
            self._add_missing_columns()

    def _create(self) -> None:
        import pandas
        import pyogrio

        import tempfile

        from pyogrio.errors import DataLayerError, DataSourceError

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".creating"))
        except OSError as error:
            raise StoreError(f"{self.path}: cannot be created ({error.strerror or error})") from error
        temporary = folder / self.path.name
        try:
            for layer, columns in (("deployments", DEPLOYMENT_COLUMNS), ("places", PLACE_COLUMNS)):
                _create_gpkg_layer(temporary, layer, columns, "Point", append=layer != "deployments")
            _create_gpkg_layer(temporary, "movements", MOVEMENT_COLUMNS, "LineString", append=True)
            pyogrio.write_dataframe(pandas.DataFrame(_empty_columns(ARTICLE_COLUMNS)), temporary, layer="articles",
                                    driver="GPKG", append=True)
            with sqlite3.connect(temporary) as connection:
                connection.execute("CREATE UNIQUE INDEX articles_id ON articles (article_id)")
                connection.execute(f"CREATE UNIQUE INDEX {_HASH_INDEX} ON articles (text_hash)")
                connection.execute("CREATE INDEX deployments_article ON deployments (article_id)")
                connection.execute("CREATE INDEX places_article ON places (article_id)")
            connection.close()
            fsync_file(temporary)
            try:
                # create-if-absent: a link fails when another process created the store first,
                # and then that store is the one we open
                os.link(temporary, self.path)
            except FileExistsError:
                pass
        except (OSError, sqlite3.Error, DataSourceError, DataLayerError) as error:
            reason = getattr(error, "strerror", None) or _first_line(error)
            raise StoreError(f"{self.path}: cannot be created ({reason})") from error
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _add_movements_layer(self) -> None:
        """The layer a store written before moves were kept lacks, made by GDAL as a new store's is."""
        try:
            _create_gpkg_layer(self.path, "movements", MOVEMENT_COLUMNS, "LineString", append=True)
        except Exception as error:  # pyogrio raises DataSourceError and friends
            raise StoreError(f"{self.path}: cannot add the movements layer ({type(error).__name__}: {error})") from error

    def _missing_columns(self) -> list[tuple[str, str]]:
        """(table, column) of the current schema that a store written before lacks."""
        missing = []
        for table, columns in (("deployments", DEPLOYMENT_COLUMNS), ("movements", MOVEMENT_COLUMNS)):
            present = {row[1] for row in self.connection.execute(f'PRAGMA table_info("{table}")')}
            missing += [(table, column) for column in columns if present and column not in present]
        return missing

    def _add_missing_columns(self) -> None:
        """Add the missing columns in one transaction; the write lock is taken only when some are
        missing, so opening an up-to-date store never waits for an ingest."""
        if not self._missing_columns():
            return
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            for table, column in self._missing_columns():  # again: another process may have added them
                cursor.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {_sqlite_type(column)}')
            cursor.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            if self.connection.in_transaction:
                cursor.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot add the new columns ({error})") from error

    def known(self) -> tuple[set[str], set[str]]:
        try:
            rows = self.connection.execute("SELECT article_id, text_hash FROM articles").fetchall()
        except sqlite3.Error as error:
            raise _sqlite_failure(self.location, "cannot be read", error) from error
        return {r[0] for r in rows}, {r[1] for r in rows}

    def _enforce_unique_hash(self) -> None:
        """Stores made before the text hash was unique get the unique index on first write; one
        that already holds a text twice keeps the check in Python only."""
        if self._hash_unique is not None:
            return
        try:
            self.connection.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {_HASH_INDEX} ON articles (text_hash)")
            self._hash_unique = True
        except sqlite3.IntegrityError:
            self._hash_unique = False

    def write_batch(self, batch: Sequence[ExtractedArticle]) -> IngestCounts:
        """Write the batch in one transaction. An article another writer stored meanwhile (same id
        or text: the unique indexes say so) is skipped with its rows, counted as already stored."""
        cursor = self.connection.cursor()
        written = skipped = deployments = places = 0
        try:
            self._enforce_unique_hash()
            cursor.execute("BEGIN IMMEDIATE")
            for item in batch:
                if not _insert(cursor, "articles", article_row(item), on_conflict_skip=True):
                    skipped += 1
                    continue
                written += 1
                for record, point in deployment_rows(item):
                    _insert(cursor, "deployments", {"geom": _gpkg_point(point), **record})
                    line = movement_line(record, point)
                    if line is not None:
                        _insert(cursor, "movements", {"geom": _gpkg_line(line), "deployment_fid": cursor.lastrowid,
                                                      **record})
                    deployments += 1
                for record, point in place_rows(item):
                    _insert(cursor, "places", {"geom": _gpkg_point(point), **record})
                    places += 1
            cursor.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                           "WHERE table_name IN ('articles', 'deployments', 'places', 'movements')")
            cursor.execute("COMMIT")
        except BaseException as error:
            # SQLite rolls back by itself on some errors (a full disk): roll back only what is open,
            # so the real cause is the one reported
            if self.connection.in_transaction:
                try:
                    cursor.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(error, sqlite3.Error):
                raise _sqlite_failure(self.location, "batch not written", error) from error
            raise
        return IngestCounts(articles=written, skipped=skipped, deployments=deployments, places=places)

    def read(self, query: Query = Query()) -> tuple[Any, Any]:
        where, parameters = _where(query, placeholder="?")
        deployments = self._frame(f"SELECT * FROM deployments {where}", parameters, DEPLOYMENT_COLUMNS)
        place_where, place_parameters = _where(Query(since=query.since, until=query.until), placeholder="?")
        places = self._frame(f"SELECT * FROM places {place_where}", place_parameters, PLACE_COLUMNS)
        return deployments, places

    def _frame(self, sql: str, parameters: list, columns: Sequence[str]):
        cursor = self.connection.execute(sql, parameters)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        records = [dict(zip(names, row)) for row in rows]
        return _frame_of(records, [_point_from_gpkg(r.get("geom")) for r in records], columns)

    def integrity(self) -> str:
        return self.connection.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        self.connection.close()


def _empty_columns(columns: Iterable[str]) -> dict:
    import pandas

    return {c: pandas.Series([], dtype="Int64" if c in INTEGER_COLUMNS else
                             "float64" if c in REAL_COLUMNS else "string") for c in columns}


def _create_gpkg_layer(path: Path, layer: str, columns: Sequence[str], geometry_type: str, *, append: bool) -> None:
    """An empty layer written by GDAL, so every OGR reader (QGIS) sees the layer it expects."""
    import geopandas
    import pyogrio

    frame = geopandas.GeoDataFrame(_empty_columns(columns), geometry=geopandas.GeoSeries([], crs="EPSG:4326"))
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", geometry_type=geometry_type, append=append,
                            layer_options={"SPATIAL_INDEX": "NO", "FID": "fid"})


def _sqlite_type(column: str) -> str:
    return "INTEGER" if column in INTEGER_COLUMNS else "REAL" if column in REAL_COLUMNS else "TEXT"


def _frame_of(records: list[dict], geometry: list, columns: Sequence[str]):
    """A GeoDataFrame (EPSG:4326) of stored rows with the schema's columns and integer types."""
    import geopandas
    import pandas

    frame = pandas.DataFrame(records, columns=list(columns))
    for column in columns:
        if column in INTEGER_COLUMNS:
            frame[column] = frame[column].astype("Int64")
    return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _insert(cursor, table: str, record: dict[str, Any], *, on_conflict_skip: bool = False) -> bool:
    """Insert one row; with ``on_conflict_skip`` a row breaking a unique index is left out.
    Returns whether the row went in."""
    columns = ", ".join(f'"{c}"' for c in record)
    marks = ", ".join("?" for _ in record)
    conflict = " ON CONFLICT DO NOTHING" if on_conflict_skip else ""
    cursor.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks}){conflict}', list(record.values()))
    return cursor.rowcount == 1


def _where(query: Query, *, placeholder: str) -> tuple[str, list]:
    clauses, parameters = [], []
    if query.since:
        clauses.append(f"substr(published, 1, 10) >= {placeholder}")
        parameters.append(query.since[:10])
    if query.until:
        clauses.append(f"substr(published, 1, 10) <= {placeholder}")
        parameters.append(query.until[:10])
    if query.actors:
        # "unknown" is how stats shows a missing owner, so it finds the rows without one
        missing = " OR actor IS NULL OR actor = ''" if "unknown" in query.actors else ""
        clauses.append(f"(actor IN ({', '.join(placeholder for _ in query.actors)}){missing})")
        parameters.extend(query.actors)
    if query.categories:
        clauses.append(f"category IN ({', '.join(placeholder for _ in query.categories)})")
        parameters.extend(query.categories)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters


# ---------------------------------------------------------------------------- PostGIS

_PG_TYPES = {**{c: "bigint" for c in INTEGER_COLUMNS}, **{c: "double precision" for c in REAL_COLUMNS}}
_SAFE_URL = re.compile(r"//[^@/]*@")
#: Advisory lock key that serialises store creation across sessions (any fixed 64-bit number).
_CREATE_LOCK = 0x747261636B6572
_MOVEMENTS_VIEW = (
    "CREATE OR REPLACE VIEW movements AS SELECT fid, fid AS deployment_fid, "
    "ST_MakeLine(ST_SetSRID(ST_MakePoint(origin_lon, origin_lat), 4326), geom)::geometry(LineString, 4326) AS geom, "
    + ", ".join(f'"{c}"' for c in DEPLOYMENT_COLUMNS) +
    " FROM deployments WHERE origin_lon IS NOT NULL AND origin_lat IS NOT NULL AND geom IS NOT NULL")


class PostgisStore:
    """The same store in PostgreSQL/PostGIS, for teams."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as error:
            raise StoreError("PostGIS stores need psycopg: pip install 'psycopg[binary]'") from error
        self.location = _SAFE_URL.sub("//***@", url)
        try:
            self.connection = psycopg.connect(url, autocommit=False, connect_timeout=10)
        except psycopg.Error as error:
            raise StoreError(f"{self.location}: cannot connect ({str(error).strip().splitlines()[0]})") from error
        try:
            self._create()
        except psycopg.errors.LockNotAvailable as error:
            self.connection.close()
            raise self._locked("cannot be opened", error) from error
        except psycopg.Error as error:
            self.connection.close()
            raise StoreError(f"{self.location}: cannot be created ({_first_line(error)})") from error

    def _locked(self, doing: str, error: BaseException) -> StoreError:
        return StoreError(f"{self.location}: {doing}: the store is locked by another session "
                          f"(waited {lock_timeout_seconds():g} s; {_first_line(error)}); try again when it is done")

    def _create(self) -> None:
        """Create what is missing, idempotently even when several processes start at once: the
        creators take turns on an advisory lock, and a lost race (with an older version that takes
        no lock) is retried once."""
        import psycopg

        for attempt in (1, 2):
            try:
                self._create_once()
                return
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject,
                    psycopg.errors.DuplicateTable) as error:
                self.connection.rollback()
                if attempt == 2:
                    raise StoreError(f"{self.location}: cannot be created ({_first_line(error)})") from error

    def _create_once(self) -> None:
        import psycopg

        def columns(names: Iterable[str]) -> str:
            return ", ".join(f'"{c}" {_PG_TYPES.get(c, "text")}' for c in names)

        with self.connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(lock_timeout_seconds() * 1000)}")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATE_LOCK,))
            cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            cursor.execute(f"CREATE TABLE IF NOT EXISTS articles (fid bigserial PRIMARY KEY, {columns(ARTICLE_COLUMNS)}, "
                           "UNIQUE (article_id))")
            cursor.execute("CREATE INDEX IF NOT EXISTS articles_hash ON articles (text_hash)")
            for table, names in (("deployments", DEPLOYMENT_COLUMNS), ("places", PLACE_COLUMNS)):
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} (fid bigserial PRIMARY KEY, "
                               f"geom geometry(Point, 4326), {columns(names)})")
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_article ON {table} (article_id)")
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_geom ON {table} USING gist (geom)")
            # a store created before a column existed; checked first, as ALTER TABLE locks the table
            cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'deployments' "
                           "AND table_schema = current_schema()")
            present = {row[0] for row in cursor.fetchall()}
            missing = [name for name in DEPLOYMENT_COLUMNS if name not in present]
            for name in missing:
                cursor.execute(f'ALTER TABLE deployments ADD COLUMN IF NOT EXISTS "{name}" {_PG_TYPES.get(name, "text")}')
            cursor.execute("SELECT to_regclass('movements') IS NOT NULL")
            if missing or not cursor.fetchone()[0]:
                cursor.execute(_MOVEMENTS_VIEW)
            try:
                with self.connection.transaction():
                    cursor.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {_HASH_INDEX} ON articles (text_hash)")
            except psycopg.errors.UniqueViolation:
                pass  # an older store already holds a text twice: the check stays in Python
        self.connection.commit()

    def known(self) -> tuple[set[str], set[str]]:
        import psycopg

        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT article_id, text_hash FROM articles")
                rows = cursor.fetchall()
            self.connection.commit()
        except psycopg.errors.LockNotAvailable as error:
            self.connection.rollback()
            raise self._locked("cannot be read", error) from error
        except psycopg.Error as error:
            self.connection.rollback()
            raise StoreError(f"{self.location}: cannot be read ({_first_line(error)})") from error
        return {r[0] for r in rows}, {r[1] for r in rows}

    def write_batch(self, batch: Sequence[ExtractedArticle]) -> IngestCounts:
        """One transaction per batch; an article another session stored meanwhile (same id or
        text, by the unique indexes) is skipped with its rows and counted as already stored."""
        import psycopg

        written = skipped = deployments = places = 0
        try:
            with self.connection.transaction(), self.connection.cursor() as cursor:
                for item in batch:
                    record = article_row(item)
                    cursor.execute(f"INSERT INTO articles ({', '.join(chr(34) + c + chr(34) for c in record)}) "
                                   f"VALUES ({', '.join('%s' for _ in record)}) ON CONFLICT DO NOTHING RETURNING fid",
                                   list(record.values()))
                    if cursor.fetchone() is None:
                        skipped += 1
                        continue
                    written += 1
                    for table, rows in (("deployments", deployment_rows(item)), ("places", place_rows(item))):
                        for record, point in rows:
                            names = ", ".join(f'"{c}"' for c in record)
                            marks = ", ".join("%s" for _ in record)
                            geometry = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)" if point else "NULL"
                            cursor.execute(f"INSERT INTO {table} (geom, {names}) VALUES ({geometry}, {marks})",
                                           [*(point or ()), *record.values()])
                        deployments += len(rows) if table == "deployments" else 0
                        places += len(rows) if table == "places" else 0
        except psycopg.errors.LockNotAvailable as error:
            raise self._locked("batch not written", error) from error
        except psycopg.Error as error:
            raise StoreError(f"{self.location}: batch not written ({_first_line(error)})") from error
        return IngestCounts(articles=written, skipped=skipped, deployments=deployments, places=places)

    def read(self, query: Query = Query()) -> tuple[Any, Any]:
        where, parameters = _where(query, placeholder="%s")
        deployments = self._frame(f"SELECT ST_X(geom) AS x, ST_Y(geom) AS y, * FROM deployments {where}",
                                  parameters, DEPLOYMENT_COLUMNS)
        place_where, place_parameters = _where(Query(since=query.since, until=query.until), placeholder="%s")
        places = self._frame(f"SELECT ST_X(geom) AS x, ST_Y(geom) AS y, * FROM places {place_where}",
                             place_parameters, PLACE_COLUMNS)
        return deployments, places

    def _frame(self, sql: str, parameters: list, columns: Sequence[str]):
        from shapely.geometry import Point

        with self.connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            names = [d[0] for d in cursor.description]
            records = [dict(zip(names, row)) for row in cursor.fetchall()]
        self.connection.commit()
        return _frame_of(records, [Point(r["x"], r["y"]) if r["x"] is not None else None for r in records], columns)

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------------------- ingest


def ingest(store: Store, articles: Iterable[Article], extract_batch, *, batch_size: int = 32,
           progress=None, on_warning=None) -> IngestCounts:
    """Extract and store the articles not stored yet, one transaction per batch.

    ``extract_batch`` turns a list of articles into ``ExtractedArticle``s (the local or the Dask
    engine); ``progress`` is called with the number of articles handled after each batch;
    ``on_warning`` hears of an article skipped because its id is stored with another text.
    """
    ids, hashes = store.known()
    totals = IngestCounts()
    pending: list[Article] = []

    def flush() -> None:
        nonlocal totals
        if not pending:
            return
        counts = store.write_batch(extract_batch(list(pending)))
        totals = IngestCounts(totals.articles + counts.articles, totals.skipped + counts.skipped,
                              totals.deployments + counts.deployments, totals.places + counts.places)
        if progress is not None:
            progress(len(pending))
        pending.clear()

    for article in articles:
        digest = text_hash(article.text)
        if article.id in ids or digest in hashes:
            if on_warning is not None and digest not in hashes:
                on_warning(f"{article.source}: id {article.id!r} is already stored with another text; skipped "
                           "(give each article its own id, e.g. pass the folder that holds both files)")
            totals = IngestCounts(totals.articles, totals.skipped + 1, totals.deployments, totals.places)
            if progress is not None:
                progress(1)
            continue
        ids.add(article.id)
        hashes.add(digest)
        pending.append(article)
        if len(pending) >= batch_size:
            flush()
    flush()
    return totals
