"""Read-only access to a gazetteer: the bundled ``data/gazetteer.sqlite``, or one built from
GeoNames dumps by ``tracker gazetteer build`` and named by ``--gazetteer`` / ``TRACKER_GAZETTEER``.

Opening costs a few milliseconds: SQLite pages are read on demand, so start-up stays fast and
several processes can share the file. Lookups take normalised keys (see ``names.py``); a key no
name has is looked up again under its transliteration fold ("Tal Abiad" finds Tall Abyad), and
what that finds counts as an alternate spelling. The candidates of each key and fold are kept in
memory once read (``LOOKUP_CACHE_KEYS``): names repeat across articles, and most lookups of a
long run then need no SQL at all.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.errors import DataError
from tracker.gazetteer.names import fold_name, normalize_name
from tracker.models import Place
from tracker.common.resources import data_file

NAME_PRIMARY, NAME_ALTERNATE, NAME_ALIAS, NAME_ADJECTIVE = 0, 1, 2, 3
#: Below this population a place's alternate names yield to any place bearing the name more
#: strongly (its own name, an alias, a larger place's alternate): most are other languages'
#: spellings that news in English writes for something else ("Sutton", "Toyota", "Nov").
MINOR_PLACE_POPULATION = 15000
#: Feature codes of military sites (bases, air bases, airfields, naval bases, installations), whose
#: names often end with their town's ("Naval Station Mayport", "Camp Pendleton").
MILITARY_SITE_CODES = frozenset({"AIRB", "AIRF", "MILB", "NVB", "INSM"})
#: Keys of this many words or more are not looked up under their fold: few transliterated place
#: names are longer ("Tall ad Daman", "Dayr az Zawr"), and every run of capitalised words would be.
MAX_FOLDED_WORDS = 4
#: A base's name is its town's and two words more: "Ayn al-Asad Air Base" is folded like "Ayn al-Asad".
_SITE_ENDINGS = (" air base", " airbase", " naval base", " airfield", " air field", " military base")
#: Keys (and folds) whose candidates a gazetteer keeps in memory between lookups; past this the
#: cache starts again empty, which bounds memory on long runs (a key holds a few places).
LOOKUP_CACHE_KEYS = 50_000
#: The environment variable naming a gazetteer to use instead of the bundled one.
GAZETTEER_ENVIRONMENT = "TRACKER_GAZETTEER"

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
        tables = {name for (name,) in self._connection().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        #: gazetteers built before transliteration folding have no ``folded_names`` table
        self.has_folded_names = "folded_names" in tables
        self._names_cache: dict[str, tuple[Candidate, ...]] = {}
        self._folded_cache: dict[str, tuple[Candidate, ...]] = {}
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

    def lookup_many(self, keys: Iterable[str], *, folded: bool = True) -> dict[str, list[Candidate]]:
        """Candidates for several keys; keys without a place are left out. With ``folded``, a key
        no name has is looked up under its transliteration fold (``lookup_folded``)."""
        wanted = sorted(set(keys))
        found = {key: list(candidates) for key, candidates in self._cached(self._names_cache, wanted, self._names_rows).items()
                 if candidates}
        if folded:
            found.update(self.lookup_folded(key for key in wanted if key not in found))
        return found

    def lookup_folded(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates of keys no name has, under their transliteration fold (``fold_name``), in
        the folded names and in the names; their places come as alternate spellings (adjectives
        stay adjectives). Keys without a place, dotted abbreviations and names of more than
        ``MAX_FOLDED_WORDS`` words are left out."""
        folds: dict[str, list[str]] = {}
        if not self.has_folded_names:
            return {}
        for key in keys:
            gaps = key.count(" ")
            if not key.endswith(".") and (gaps < MAX_FOLDED_WORDS
                                          or gaps < MAX_FOLDED_WORDS + 2 and key.endswith(_SITE_ENDINGS)):
                folds.setdefault(_fold(key), []).append(key)
        if not folds:
            return {}
        by_fold = self._cached(self._folded_cache, sorted(folds), self._folded_rows)
        return {key: list(candidates) for fold, candidates in by_fold.items() if candidates for key in folds[fold]}

    def _cached(self, cache: dict[str, tuple[Candidate, ...]], keys: list[str],
                fetch: Callable[[list[str]], dict[str, list[Candidate]]]) -> dict[str, tuple[Candidate, ...]]:
        """The candidates of ``keys`` (sorted), from ``cache`` or from one ``fetch`` of the keys it
        lacks. Keys and names repeat within and across articles ("U.S.", "The", "New York"): each
        is read from the file once per process while the cache holds it, with the same candidates
        in the same order as a fresh read."""
        found = {key: cache.get(key) for key in keys}
        missing = [key for key, candidates in found.items() if candidates is None]
        if missing:
            fetched = fetch(missing)
            if len(cache) + len(missing) > LOOKUP_CACHE_KEYS:
                cache.clear()
            for key in missing:
                found[key] = cache[key] = tuple(fetched.get(key, ()))
        return found  # type: ignore[return-value]

    def _names_rows(self, keys: list[str]) -> dict[str, list[Candidate]]:
        return {key: _without_yielding_alternates(candidates) for key, candidates in self._rows_for("names", keys).items()}

    def _folded_rows(self, folds: list[str]) -> dict[str, list[Candidate]]:
        """Each fold's places, in the folds of names and in the names themselves (another place's
        own key), as alternate spellings: one query."""
        by_fold = self._rows_for("folded_names", folds, also_in_names=folds)
        found: dict[str, list[Candidate]] = {}
        for fold, candidates in by_fold.items():
            seen: dict[int, Candidate] = {}
            for candidate in candidates:
                kind = NAME_ADJECTIVE if candidate.name_kind == NAME_ADJECTIVE else NAME_ALTERNATE
                if candidate.place.place_id not in seen or kind < seen[candidate.place.place_id].name_kind:
                    seen[candidate.place.place_id] = Candidate(candidate.place, kind)
            found[fold] = _without_yielding_alternates(list(seen.values()))
        return found

    def _rows_for(self, table: str, keys: list[str], also_in_names: list[str] = ()) -> dict[str, list[Candidate]]:
        """Candidates of ``keys`` in ``table`` (``names`` or ``folded_names``) and of
        ``also_in_names`` in ``names``, in as few queries as the 500-key chunks allow."""
        found: dict[str, list[Candidate]] = {}
        for start in range(0, max(len(keys), len(also_in_names)), 500):
            chunk, names_chunk = keys[start:start + 500], list(also_in_names[start:start + 500])
            selects = [f"SELECT n.key, n.kind, {_PLACE_COLUMNS} FROM {name} n JOIN places p ON p.id = n.place_id "
                       f"WHERE n.key IN ({','.join('?' * len(part))})"
                       for name, part in ((table, chunk), ("names", names_chunk)) if part]
            rows = self._connection().execute(" UNION ALL ".join(selects), [*chunk, *names_chunk]).fetchall()
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


def is_minor_alternate(candidate: Candidate) -> bool:
    """The name is only an alternate spelling of a small settlement."""
    return (candidate.name_kind == NAME_ALTERNATE and candidate.place.feature_class == "P"
            and candidate.place.population < MINOR_PLACE_POPULATION)


def _without_yielding_alternates(candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` less the minor alternates, when any other candidate bears the name."""
    if len(candidates) < 2:
        return candidates
    strong = [c for c in candidates if not (c.name_kind == NAME_ALTERNATE and c.place.feature_class == "P"
                                            and c.place.population < MINOR_PLACE_POPULATION)]
    return strong if strong and len(strong) < len(candidates) else candidates


@lru_cache(maxsize=1 << 16)
def _fold(key: str) -> str:
    """Keys repeat within and across articles: fold each once."""
    return fold_name(key)


def default_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The shared gazetteer instance: ``path``, else the file ``TRACKER_GAZETTEER`` names, else
    the bundled one (opening is cheap, but the country tables are cached)."""
    chosen = path if path is not None else os.environ.get(GAZETTEER_ENVIRONMENT) or None
    return _open_gazetteer(str(chosen) if chosen is not None else None)


@lru_cache(maxsize=4)
def _open_gazetteer(path: str | None) -> Gazetteer:
    if path is not None and not Path(path).is_file():
        raise DataError(f"{path}: no such gazetteer; build one with tracker gazetteer build, or leave out "
                        f"--gazetteer and {GAZETTEER_ENVIRONMENT} to use the bundled one")
    return Gazetteer(path)
