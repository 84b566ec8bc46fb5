"""Read-only access to the bundled gazetteer (``data/gazetteer.sqlite``).

Opening costs a few milliseconds: SQLite pages are read on demand, so start-up stays fast and
several processes can share the file. Lookups take normalised keys (see ``names.py``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.errors import DataError
from tracker.gazetteer.names import normalize_name
from tracker.models import Place
from tracker.resources import data_file

NAME_PRIMARY, NAME_ALTERNATE, NAME_ALIAS, NAME_ADJECTIVE = 0, 1, 2, 3

_PLACE_COLUMNS = ("p.id, p.geonameid, p.name, p.lat, p.lon, p.feature_class, p.feature_code, "
                  "p.country_code, p.admin1_code, p.admin2_code, p.population")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to, and how the name is attached to it (primary, alias…)."""

    place: Place
    name_kind: int


class Gazetteer:
    """Name -> candidate places, plus a few lookups the resolver needs (countries, admin-1)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_file("gazetteer.sqlite")
        self._local = threading.local()
        try:
            self._connection().execute("SELECT 1 FROM places LIMIT 1").fetchone()
        except sqlite3.DatabaseError as error:
            raise DataError(f"{self.path}: not a readable gazetteer ({error}); rebuild it with "
                            "python -m tracker.gazetteer.build") from error
        self._countries = {p.country_code: p for p in self._places_where("p.feature_code = 'PCLI'")}
        self._admin1 = {(p.country_code, p.admin1_code): p for p in self._places_where("p.feature_code = 'ADM1'")}

    def _connection(self) -> sqlite3.Connection:
        # one connection per thread and per process: sqlite3 connections must cross neither
        # threads nor a fork (the geoparser's worker processes)
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            self._local.pid = os.getpid()
            uri = f"file:{self.path}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=True)
            self._local.connection = connection
        return connection

    def _places_where(self, condition: str, parameters: tuple = ()) -> list[Place]:
        rows = self._connection().execute(f"SELECT {_PLACE_COLUMNS} FROM places p WHERE {condition}",
                                          parameters).fetchall()
        return [Place(*row) for row in rows]

    def candidates(self, key: str) -> list[Candidate]:
        """Every place whose name normalises to ``key`` (already normalised)."""
        return self.lookup_many([key]).get(key, [])

    def lookup_many(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for several keys in one query; keys without a place are left out."""
        wanted = sorted(set(keys))
        found: dict[str, list[Candidate]] = {}
        for chunk_start in range(0, len(wanted), 500):
            chunk = wanted[chunk_start:chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._connection().execute(
                f"SELECT n.key, n.kind, {_PLACE_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id "
                f"WHERE n.key IN ({marks})", chunk).fetchall()
            for key, kind, *place in rows:
                found.setdefault(key, []).append(Candidate(Place(*place), kind))
        return found

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for a name as written ("U.S.", "Lattaquié")."""
        return self.candidates(normalize_name(name))

    def country(self, country_code: str) -> Place | None:
        return self._countries.get(country_code)

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        return self._admin1.get((country_code, admin1_code))

    def place_by_geonameid(self, geonameid: int) -> Place | None:
        places = self._places_where("p.geonameid = ?", (geonameid,))
        return places[0] if places else None

    def attribution(self) -> str:
        row = self._connection().execute("SELECT value FROM meta WHERE key = 'attribution'").fetchone()
        return row[0] if row else ""


@lru_cache(maxsize=4)
def default_gazetteer(path: str | None = None) -> Gazetteer:
    """The shared gazetteer instance (opening is cheap, but the country tables are cached)."""
    return Gazetteer(path)
