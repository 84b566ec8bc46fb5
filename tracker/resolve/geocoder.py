"""The bundled gazetteer as a geopy geocoder, so it and any online geopy geocoder are interchangeable.

``OfflineGazetteer().geocode("Latakia, Syria")`` returns a ``geopy.location.Location`` whose
``raw`` carries the GeoNames id, feature class and code, country, admin-1 code and population.
Comma-separated parts qualify the first ("Paris, Texas"); no request leaves the machine.
"""

from __future__ import annotations

from typing import Any

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from tracker.gazetteer.index import Gazetteer, default_gazetteer
from tracker.gazetteer.names import normalize_name
from tracker.models import Mention, Place
from tracker.resolve.placing import precision_of
from tracker.resolve.resolver import Resolver


class OfflineGazetteer(Geocoder):
    """geopy ``Geocoder`` over ``data/gazetteer.sqlite``; ``reverse`` is not offered."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, resolver: Resolver | None = None) -> None:
        super().__init__()
        self.gazetteer = gazetteer or default_gazetteer()
        self.resolver = resolver or Resolver(self.gazetteer)

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                country_codes: str | list[str] | None = None, limit: int | None = None
                ) -> Location | list[Location] | None:
        """Best place for ``query`` (or every candidate, best first, with ``exactly_one=False``).

        ``country_codes`` keeps candidates in those ISO 3166-1 alpha-2 countries; ``timeout`` is
        accepted for geopy compatibility and ignored (nothing waits on a network).
        """
        if not isinstance(query, str) or not query.strip():
            return None
        mentions = _mentions_of_query(query)
        if not mentions:
            return None
        ranked = self.resolver.rank(mentions, query)[0]
        if country_codes:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            ranked = [(place, score) for place, score in ranked if place.country_code in wanted]
        if not ranked:
            return None
        locations = [_location(place, score) for place, score in ranked[: limit or len(ranked)]]
        return locations[0] if exactly_one else locations


def _mentions_of_query(query: str) -> list[Mention]:
    mentions, offset = [], 0
    for part in query.split(","):
        start = offset + len(part) - len(part.lstrip())
        text = part.strip()
        offset += len(part) + 1
        if text:
            mentions.append(Mention(start=start, end=start + len(text), text=text, key=normalize_name(text),
                                    kind="name", label="QUERY"))
    return mentions


def _location(place: Place, score: float) -> Location:
    raw = {
        "place_id": place.place_id, "geonameid": place.geonameid, "name": place.name,
        "lat": place.lat, "lon": place.lon, "feature_class": place.feature_class,
        "feature_code": place.feature_code, "country_code": place.country_code,
        "admin1_code": place.admin1_code, "admin2_code": place.admin2_code,
        "population": place.population, "precision": precision_of(place), "score": round(score, 3),
    }
    address = ", ".join(part for part in (place.name, place.admin1_code, place.country_code) if part)
    return Location(address, (place.lat, place.lon), raw)
