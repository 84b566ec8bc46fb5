"""Online geopy geocoders (Nominatim, Photon, …) as an option: rate-limited, cached on disk.

Never the default: the tracker works offline. When chosen, each distinct place name of an
article is sent once (the cache keeps answers across runs), at most one request per
``min_delay_seconds``, and a failing service falls back to the bundled gazetteer for that name
with a warning instead of stopping the run.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from tracker.errors import GeocoderError
from tracker.models import Mention, Toponym
from tracker.resolve.resolver import Resolver

logger = logging.getLogger(__name__)
DEFAULT_USER_AGENT = "tracker-geoparser/0.1 (+https://github.com/; set --user-agent to your contact)"


def online_geocoder(service: str, *, domain: str | None = None, user_agent: str = DEFAULT_USER_AGENT,
                    timeout: float = 10.0, scheme: str | None = None, adapter_factory: Any = None) -> Geocoder:
    """A geopy geocoder by service name ("nominatim", "photon", …), e.g. a self-hosted Nominatim via ``domain``."""
    try:
        geocoder_class = get_geocoder_for_service(service)
    except GeopyError as error:
        raise GeocoderError(f"unknown geocoder {service!r}; use 'offline' or a geopy service name such as "
                            "'nominatim' or 'photon'") from error
    options: dict[str, Any] = {"user_agent": user_agent, "timeout": timeout}
    if domain:
        options["domain"] = domain
    if scheme:
        options["scheme"] = scheme
    if adapter_factory is not None:
        options["adapter_factory"] = adapter_factory
    try:
        return geocoder_class(**options)
    except (TypeError, GeopyError) as error:
        raise GeocoderError(f"geocoder {service!r} cannot be set up: {error}") from error


class GeocodeCache:
    """Answers of an online geocoder kept in a SQLite file, keyed by service and query.

    SQLite commits are atomic, so a killed run never leaves a half-written cache.
    """

    def __init__(self, path: str | Path, namespace: str) -> None:
        self.path = Path(path)
        self.namespace = namespace
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(self.path, check_same_thread=False)
        self._connection.execute("CREATE TABLE IF NOT EXISTS answers (namespace TEXT, query TEXT, "
                                 "answer TEXT, PRIMARY KEY (namespace, query))")
        self._connection.commit()

    def get(self, query: str) -> tuple[bool, Location | None]:
        with self._lock:
            row = self._connection.execute("SELECT answer FROM answers WHERE namespace = ? AND query = ?",
                                           (self.namespace, query)).fetchone()
        if row is None:
            return False, None
        answer = json.loads(row[0])
        if answer is None:
            return True, None
        return True, Location(answer["address"], (answer["lat"], answer["lon"]), answer["raw"])

    def put(self, query: str, location: Location | None) -> None:
        answer = None if location is None else {
            "address": location.address, "lat": location.latitude, "lon": location.longitude, "raw": location.raw}
        with self._lock, self._connection:
            self._connection.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                                     (self.namespace, query, json.dumps(answer)))


class GeocoderResolver:
    """Resolves mentions by asking a geopy geocoder for each distinct name (cached, rate-limited).

    A service error for one name falls back to the offline ``Resolver`` for that name, with one
    warning (to ``on_warning``) per failing name, never a traceback; the name is not asked again
    in this run. After ``give_up_after`` failures in a row (no network) the service is not asked
    again at all, with one warning saying so.
    """

    #: A seam for tests: how the resolver waits before its one retry.
    _sleep = staticmethod(time.sleep)

    def __init__(self, geocoder: Geocoder, *, fallback: Resolver, cache: GeocodeCache | None = None,
                 min_delay_seconds: float = 1.0, error_wait_seconds: float = 2.0,
                 on_warning: Callable[[str], None] = logger.warning, give_up_after: int = 5) -> None:
        self.geocoder = geocoder
        self.fallback = fallback
        self.cache = cache
        self.on_warning = on_warning
        self.give_up_after = give_up_after
        self._failed: set[str] = set()
        self._failures_in_a_row = 0
        self._given_up = False
        # no retries inside geopy: its retry logs a traceback per attempt (exc_info) to stderr;
        # one retry after a wait is done here, quietly
        self._error_wait = max(min_delay_seconds, error_wait_seconds)
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0,
                                    swallow_exceptions=False)

    def __call__(self, mentions: Sequence[Mention], text: str) -> list[Toponym]:
        offline = self.fallback(mentions, text)
        toponyms = []
        for mention, offline_toponym in zip(mentions, offline):
            query = _query_for(mention, offline_toponym)
            if query is None or query in self._failed or self._given_up:
                toponyms.append(offline_toponym)
                continue
            try:
                location = self.locate(query)
            except GeopyError as error:
                self._note_failure(query, mention.text, error)
                toponyms.append(offline_toponym)
                continue
            self._failures_in_a_row = 0
            toponyms.append(offline_toponym if location is None else _toponym_from_location(mention, location))
        return toponyms

    def _note_failure(self, query: str, name: str, error: GeopyError) -> None:
        self._failed.add(query)
        self._failures_in_a_row += 1
        reason = " ".join(str(error).split()) or type(error).__name__
        self.on_warning(f"geocoder failed for {name!r} ({type(error).__name__}: {reason}); "
                        "used the offline gazetteer for this name")
        if self._failures_in_a_row >= self.give_up_after:
            self._given_up = True
            self.on_warning(f"geocoder failed for {self._failures_in_a_row} names in a row; the offline gazetteer "
                            "places the rest of this run (is the network or the service down?)")

    def locate(self, query: str) -> Location | None:
        if self.cache is not None:
            hit, location = self.cache.get(query)
            if hit:
                return location
        try:
            location = self._geocode(query, exactly_one=True)
        except (GeocoderTimedOut, GeocoderUnavailable, GeocoderRateLimited) as error:
            wait = getattr(error, "retry_after", None) or self._error_wait
            self._sleep(min(float(wait), 60.0))
            location = self._geocode(query, exactly_one=True)
        if self.cache is not None:
            self.cache.put(query, location)
        return location


def _query_for(mention: Mention, offline: Toponym) -> str | None:
    """What to ask the geocoder, or None to keep the offline answer: "Syrian" is no query; a
    street is asked for in the town the offline resolver put it in ("Collins Avenue, Miami
    Beach"), and not at all when the article names no town for it."""
    if mention.kind == "adjective":
        return None
    if mention.kind == "site":
        return f"{mention.text}, {offline.name}" if offline.name else None
    return mention.text


def _toponym_from_location(mention: Mention, location: Location) -> Toponym:
    raw = location.raw if isinstance(location.raw, dict) else {}
    properties = raw.get("properties", {}) if isinstance(raw.get("properties"), dict) else {}
    address = raw.get("address", {}) if isinstance(raw.get("address"), dict) else {}
    country_code = (address.get("country_code") or properties.get("countrycode") or "").upper() or None
    kind = raw.get("addresstype") or raw.get("type") or properties.get("type") or properties.get("osm_value") or ""
    precision = 3 if kind in ("country", "state", "region", "province", "continent") else (
        2 if kind in ("county", "district", "state_district") else 1)
    return Toponym(
        start=mention.start, end=mention.end, text=mention.text, name=location.address,
        lat=float(location.latitude), lon=float(location.longitude), geonameid=None,
        feature_code=kind or None, country_code=country_code, admin1_code=None,
        precision=precision, confidence=float(raw.get("importance", 0.5) or 0.5), mention=mention.kind,
    )
