"""Online geocoders, tested offline: geopy's real Nominatim parser fed a recorded response
through geopy's adapter seam. The recorded body is in tests/recorded/ (Nominatim's documented
``format=json&addressdetails=1`` shape)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderInsufficientPrivileges, GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut

from tracker.resolve.geocoder import OfflineGazetteer
from tracker.resolve.online import GeocodeCache, GeocoderResolver, online_geocoder
from tracker.models import Mention
from tracker.resolve.resolver import Resolver

RECORDED = Path(__file__).parent / "recorded" / "nominatim-latakia.json"


class ReplayAdapter(BaseSyncAdapter):
    """Answers geopy's GET requests from recorded bodies; counts requests; never opens a socket."""

    requests: list[str] = []
    fail: Exception | bool = False

    def __init__(self, *, proxies, ssl_context):
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def get_json(self, url, *, timeout, headers):
        type(self).requests.append(url)
        if type(self).fail:
            raise type(self).fail if isinstance(type(self).fail, Exception) else \
                GeocoderServiceError("HTTP Error 503: Service Unavailable")
        query = parse_qs(urlparse(url).query)["q"][0]
        assert query == "Latakia"
        return json.loads(RECORDED.read_text(encoding="utf-8"))

    def get_text(self, url, *, timeout, headers):  # pragma: no cover - Nominatim asks for JSON
        raise NotImplementedError


@pytest.fixture()
def replay():
    ReplayAdapter.requests = []
    ReplayAdapter.fail = False
    return ReplayAdapter


def mention(text="Latakia"):
    return Mention(start=0, end=len(text), text=text, key=text.lower(), kind="name", label="GPE")


def test_nominatim_answer_becomes_a_toponym_and_is_cached(tmp_path, replay, gazetteer):
    geocoder = online_geocoder("nominatim", domain="nominatim.example.org", user_agent="tracker-tests",
                               adapter_factory=replay)
    cache = GeocodeCache(tmp_path / "cache.sqlite", "nominatim:nominatim.example.org")
    resolver = GeocoderResolver(geocoder, fallback=Resolver(gazetteer), cache=cache, min_delay_seconds=0)
    [toponym] = resolver([mention()], "Latakia")
    assert toponym.lat == pytest.approx(35.5234, abs=0.01) and toponym.country_code == "SY"
    assert "nominatim.example.org" in replay.requests[0]
    resolver([mention()], "Latakia")
    assert len(replay.requests) == 1, "second lookup must come from the cache"
    again = GeocodeCache(tmp_path / "cache.sqlite", "nominatim:nominatim.example.org")
    hit, location = again.get("Latakia")
    assert hit and location.latitude == pytest.approx(35.5234, abs=0.01)


@pytest.mark.parametrize("failure", [
    GeocoderServiceError("HTTP Error 503: Service Unavailable"),
    GeocoderTimedOut("Service timed out"),
    GeocoderRateLimited("HTTP Error 429: Too Many Requests", retry_after=1),
    GeocoderInsufficientPrivileges("HTTP Error 403: Forbidden"),
], ids=lambda e: type(e).__name__)
def test_service_failure_falls_back_to_the_gazetteer_with_a_warning(replay, gazetteer, failure):
    replay.fail = failure
    warnings: list[str] = []
    geocoder = online_geocoder("nominatim", user_agent="tracker-tests", adapter_factory=replay)
    resolver = GeocoderResolver(geocoder, fallback=Resolver(gazetteer), min_delay_seconds=0, error_wait_seconds=0,
                                on_warning=warnings.append)
    [toponym] = resolver([mention()], "Latakia")
    assert toponym.geonameid == OfflineGazetteer().geocode("Latakia").raw["geonameid"]
    assert warnings and "offline gazetteer" in warnings[0] and "\n" not in warnings[0]


def test_unknown_service_is_a_clear_error():
    from tracker.errors import GeocoderError

    with pytest.raises(GeocoderError, match="unknown geocoder"):
        online_geocoder("no-such-service")


class AnyQueryReplay(ReplayAdapter):
    """Answers every query with the recorded body, and keeps the queries asked."""

    queries: list[str] = []

    def get_json(self, url, *, timeout, headers):
        type(self).queries.append(parse_qs(urlparse(url).query)["q"][0])
        return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_a_street_is_asked_for_in_its_town_and_not_alone(gazetteer, geoparser):
    AnyQueryReplay.queries = []
    geocoder = online_geocoder("nominatim", domain="nominatim.example.org", user_agent="tracker-tests",
                               adapter_factory=AnyQueryReplay)
    resolver = GeocoderResolver(geocoder, fallback=Resolver(gazetteer), min_delay_seconds=0)
    placed = "Traffic stopped on Collins Avenue in Latakia on Friday."
    resolver(geoparser.recognizer(placed), placed)
    assert "Collins Avenue, Latakia" in AnyQueryReplay.queries
    assert "Collins Avenue" not in AnyQueryReplay.queries
    AnyQueryReplay.queries = []
    townless = "Traffic stopped on Elm Street for an hour."
    toponyms = resolver(geoparser.recognizer(townless), townless)
    assert AnyQueryReplay.queries == [] and all(t.lat is None for t in toponyms)
