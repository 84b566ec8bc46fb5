"""Great-circle distance, the one measure of "how far" every stage uses (the resolver's
nearness, the written areas' radius, the linker's theatre, the benchmarks' 161 km)."""

from __future__ import annotations

import math
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), as the shared scorers use


class HasPoint(Protocol):
    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_between(a: HasPoint, b: HasPoint) -> float:
    """Distance between two placed records (a gazetteer ``Place``, a ``Toponym``)."""
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
