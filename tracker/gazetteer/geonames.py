"""Build a full gazetteer from GeoNames dumps the user downloaded (issue 14).

The bundled gazetteer holds GeoNames' 235k populated places of 500 people or more. GeoNames
itself lists about 4.7 million: every village of a war's front line. ``build_from_geonames``
copies a base gazetteer (the bundled one: its countries, regions, curated features, airports and
point conventions stay as they are) and adds, from the dumps at https://download.geonames.org/export/dump/
(``allCountries.zip``, or one file per country such as ``UA.zip``, ``SY.zip``; licence CC BY 4.0):

* every populated place (feature class P), first- to fourth-level division (ADM1-ADM4, ADMD) and
  military site (bases, airfields) not in the base, with its name, ASCII name and every
  Latin-script alternate name of the dump's ``alternatenames`` column;
* the dumps' alternate names for places the base already holds (by GeoNames id);
* with ``alternateNamesV2.zip``, its names too (codes, links and postal codes left out), for
  every place of the result;
* the transliteration folds of all names (``folded_names``).

The dumps are read line by line from inside the zip and written in batches: memory stays bounded
whatever their size (``allCountries.txt`` is 1.5 GB unzipped); only the GeoNames ids of the base
(a few hundred thousand) are held.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.common.atomic import atomic_path, refuse_inputs
from tracker.errors import DataError, InputError
from tracker.gazetteer.build import DIRECTION_ONLY, is_code_like, is_usable_name, write_folded_names
from tracker.gazetteer.index import MILITARY_SITE_CODES, NAME_ALTERNATE, NAME_PRIMARY
from tracker.gazetteer.names import normalize_name
from tracker.common.resources import data_file

#: Columns of a GeoNames dump line (readme.txt of the dump folder).
GEONAMES_COLUMNS = 19
ALTERNATE_NAMES_COLUMNS = 10
#: Feature codes kept besides every populated place (class P): divisions and military sites.
KEPT_FEATURE_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD"}) | MILITARY_SITE_CODES
#: Pseudo-languages of alternateNamesV2 that are no names: links, codes, postal codes.
NOT_NAMES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "fr_1793"})
BATCH_ROWS = 20_000
SOURCE_TEXT = "GeoNames dump ({files}), CC BY 4.0"


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build added: places new to the base, names written, lines skipped as malformed."""

    output: Path
    places_added: int
    names_added: int
    alternate_names_read: int
    malformed_lines: int
    places_total: int


def build_from_geonames(dumps: Iterable[str | Path], output: str | Path, *, alternate_names: str | Path | None = None,
                        base: str | Path | None = None, min_population: int = 0) -> BuildSummary:
    """Write at ``output`` the base gazetteer (default: the bundled one) extended with the
    GeoNames dumps ``dumps`` (``.zip`` as downloaded, or the ``.txt`` inside) and, if given, the
    alternate names file. Populated places under ``min_population`` people are left out (0
    keeps all: GeoNames gives most villages no population). The file is written under a
    temporary name beside ``output`` and put in place when complete (``tracker.common.atomic``); an
    output that is one of the inputs is refused."""
    dump_paths = [Path(p) for p in dumps]
    if not dump_paths:
        raise InputError("no GeoNames dump given; download allCountries.zip or a country's XX.zip from "
                         "https://download.geonames.org/export/dump/")
    base_path = Path(base) if base is not None else data_file("gazetteer.sqlite")
    output_path = Path(output)
    inputs = [*dump_paths, base_path, *([Path(alternate_names)] if alternate_names else [])]
    for path in inputs:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    refuse_inputs(output_path, inputs)
    try:
        with atomic_path(output_path) as temporary:
            shutil.copyfile(base_path, temporary)
            summary = _extend(temporary, dump_paths, Path(alternate_names) if alternate_names else None, min_population)
    except sqlite3.DatabaseError as error:
        raise DataError(f"{base_path}: not a gazetteer that can be extended ({error})") from error
    return BuildSummary(output_path, *summary)


def _extend(path: Path, dumps: list[Path], alternate_names: Path | None,
            min_population: int) -> tuple[int, int, int, int, int]:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("CREATE INDEX IF NOT EXISTS places_geonameid ON places (geonameid)")
        names_before = connection.execute("SELECT count(*) FROM names").fetchone()[0]
        known = dict(connection.execute("SELECT geonameid, id FROM places WHERE geonameid IS NOT NULL"))
        next_id = (connection.execute("SELECT max(id) FROM places").fetchone()[0] or 0) + 1
        source_text = SOURCE_TEXT.format(files=", ".join(p.name for p in dumps))
        connection.execute("INSERT OR IGNORE INTO sources (text) VALUES (?)", (source_text,))
        source_id = connection.execute("SELECT id FROM sources WHERE text = ?", (source_text,)).fetchone()[0]
        places: list[tuple] = []
        names: list[tuple[str, int, int]] = []
        added = malformed = 0
        for dump in dumps:
            for fields in _rows(dump, GEONAMES_COLUMNS):
                if fields is None:
                    malformed += 1
                    continue
                try:
                    geonameid = int(fields[0])
                    lat, lon, population = float(fields[4]), float(fields[5]), int(fields[14] or 0)
                except ValueError:
                    malformed += 1
                    continue
                place_id = known.get(geonameid)
                if place_id is None:
                    feature_class, feature_code = fields[6], fields[7]
                    if not (feature_class == "P" and population >= min_population or feature_code in KEPT_FEATURE_CODES):
                        continue
                    place_id, next_id = next_id, next_id + 1
                    places.append((place_id, geonameid, fields[1], lat, lon, feature_class, feature_code, fields[8],
                                   fields[10], fields[11], population, source_id))
                    names.extend((key, place_id, NAME_PRIMARY) for key in _keys([fields[1]]))
                    names.extend((key, place_id, NAME_ALTERNATE) for key in _keys([fields[2]]))
                    added += 1
                names.extend((key, place_id, NAME_ALTERNATE) for key in _keys(fields[3].split(",")))
                if len(names) >= BATCH_ROWS:
                    _write(connection, places, names)
                    places, names = [], []
        _write(connection, places, names)
        alternates_read = _add_alternate_names(connection, alternate_names) if alternate_names else 0
        write_folded_names(connection)
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('built', ?)", (date.today().isoformat(),))
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('geonames_dumps', ?)",
                           (", ".join(p.name for p in [*dumps, *([alternate_names] if alternate_names else [])]),))
        connection.commit()
        names_after = connection.execute("SELECT count(*) FROM names").fetchone()[0]
        total = connection.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        connection.close()
    return added, names_after - names_before, alternates_read, malformed, total


def _keys(texts: Iterable[str]) -> Iterator[str]:
    """Lookup keys of the names worth keeping: Latin script, no codes, not direction words alone."""
    for text in texts:
        text = text.strip()
        if text and is_usable_name(text) and not is_code_like(text) and not DIRECTION_ONLY.match(text):
            key = normalize_name(text)
            if key:
                yield key


def _write(connection: sqlite3.Connection, places: list[tuple], names: list[tuple[str, int, int]]) -> None:
    connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    connection.executemany("INSERT INTO names VALUES (?,?,?) "
                           "ON CONFLICT (key, place_id) DO UPDATE SET kind = min(kind, excluded.kind)", names)


def _add_alternate_names(connection: sqlite3.Connection, path: Path) -> int:
    """Names of alternateNamesV2 for the places of the gazetteer, joined by GeoNames id in SQL
    (the file lists 15 million names; none is held in memory beyond a batch)."""
    connection.execute("CREATE TEMP TABLE alternate_keys (geonameid INTEGER NOT NULL, key TEXT NOT NULL)")
    batch: list[tuple[int, str]] = []
    read = 0
    for fields in _rows(path, ALTERNATE_NAMES_COLUMNS, at_least=True):
        if fields is None or fields[2] in NOT_NAMES or not fields[1].isdigit():
            continue
        for key in _keys([fields[3]]):
            batch.append((int(fields[1]), key))
            read += 1
        if len(batch) >= BATCH_ROWS:
            connection.executemany("INSERT INTO alternate_keys VALUES (?,?)", batch)
            batch = []
    connection.executemany("INSERT INTO alternate_keys VALUES (?,?)", batch)
    connection.execute(f"INSERT INTO names (key, place_id, kind) SELECT a.key, p.id, {NAME_ALTERNATE} "
                       "FROM alternate_keys a JOIN places p ON p.geonameid = a.geonameid WHERE true "
                       "ON CONFLICT (key, place_id) DO NOTHING")
    connection.execute("DROP TABLE alternate_keys")
    return read


def _rows(path: Path, columns: int, *, at_least: bool = False) -> Iterator[list[str] | None]:
    """The tab-separated fields of each line of a dump (``.zip`` as downloaded, or ``.txt``);
    None for a line with the wrong number of fields. Comment lines (``#``) are skipped."""
    with _open_text(path) as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\r\n").split("\t")
            yield fields if (len(fields) >= columns if at_least else len(fields) == columns) else None


@contextmanager
def _open_text(path: Path) -> Iterator[Iterable[str]]:
    if path.suffix.lower() != ".zip":
        with open(path, encoding="utf-8", newline="") as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InputError(f"{path}: not a zip file ({error}); give the GeoNames dump as downloaded") from error
    with archive:
        members = [m for m in archive.namelist() if m.endswith(".txt") and not m.lower().startswith(("readme", "iso"))]
        if len(members) != 1:
            raise InputError(f"{path}: expected one data file in the zip, found {members or 'none'}")
        with archive.open(members[0]) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
