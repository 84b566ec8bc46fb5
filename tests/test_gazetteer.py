"""The bundled gazetteer and its geopy geocoder: real data, read offline."""

from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from tracker.resolve.geocoder import OfflineGazetteer
from tracker.gazetteer.names import normalize_name


@pytest.mark.parametrize("written, key", [
    ("U.S.", "us."), ("U. S.", "us."), ("US", "us"), ("Va.", "va."), ("W. Va.", "w va."), ("Lattaquié", "lattaquie"), ("Deir ez-Zor", "deir ez zor"),
    ("the Crimea", "crimea"), ("Washington, D.C.", "washington dc"), ("Côte d’Ivoire", "cote divoire"),
    ("Mount Pleasant", "mt pleasant"), ("Mt. Pleasant", "mt pleasant"), ("Saint-Louis", "st louis"),
    ("Ft. Worth", "ft worth"), ("Mountain View", "mountain view"), ("Fortaleza", "fortaleza"),
    ("Sault Sainte Marie", "sault ste marie"), ("Port St. Lucie", "port st lucie"),
])
def test_names_normalise_to_one_key(written, key):
    assert normalize_name(written) == key


@pytest.mark.parametrize("name, country", [
    ("Crimea", "UA"), ("Latakia", "SY"), ("Ukraine", "UA"), ("U.S.", "US"), ("Britain", "GB"),
    ("Hmeimim", "SY"), ("Donbas", "UA"), ("Kyiv", "UA"), ("Texas", "US"),
])
def test_news_names_have_candidates_in_the_right_country(gazetteer, name, country):
    assert country in {c.place.country_code for c in gazetteer.lookup(name)}


def test_every_country_has_a_point_inside_the_globe(gazetteer):
    for code in ("US", "RU", "SY", "UA", "FR", "CN", "BR", "AU"):
        country = gazetteer.country(code)
        assert country is not None and -90 <= country.lat <= 90 and -180 <= country.lon <= 180
    assert gazetteer.country("SY").lat == pytest.approx(35, abs=2)
    assert gazetteer.country("SY").lon == pytest.approx(38.5, abs=2)


def test_attribution_names_geonames(gazetteer):
    assert "GeoNames" in gazetteer.attribution()


def test_offline_gazetteer_is_a_geopy_geocoder_returning_locations():
    geocoder = OfflineGazetteer()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Latakia, Syria")
    assert isinstance(location, Location)
    assert location.raw["geonameid"] == 173576
    assert location.raw["feature_class"] == "P" and location.raw["country_code"] == "SY"
    assert {"feature_code", "admin1_code", "population"} <= set(location.raw)
    assert location.latitude == pytest.approx(35.53, abs=0.05)


def test_qualifier_after_a_comma_chooses_the_town():
    geocoder = OfflineGazetteer()
    assert geocoder.geocode("Paris").raw["country_code"] == "FR"
    texas = geocoder.geocode("Paris, Texas").raw
    assert (texas["country_code"], texas["admin1_code"]) == ("US", "TX")


def test_all_candidates_and_country_filter():
    geocoder = OfflineGazetteer()
    everywhere = geocoder.geocode("Springfield", exactly_one=False)
    assert len(everywhere) > 3
    in_us = geocoder.geocode("Springfield", exactly_one=False, country_codes=["us"], limit=2)
    assert len(in_us) == 2 and all(loc.raw["country_code"] == "US" for loc in in_us)


@pytest.mark.parametrize("query", ["", "   ", "Xqzzyville Nowhere"])
def test_no_result_is_none(query):
    assert OfflineGazetteer().geocode(query) is None


@pytest.mark.parametrize("code, lat, lon", [("AU", -25, 134), ("RU", 61, 98), ("US", 39, -98), ("FR", 46.5, 2.5)])
def test_country_points_lie_in_the_mainland(gazetteer, code, lat, lon):
    # regressions: Australia once took the point of Ashmore Reef (same ISO code), Russia's
    # mainland was cut at the antimeridian and its point pulled 400 km west
    country = gazetteer.country(code)
    assert country.lat == pytest.approx(lat, abs=3) and country.lon == pytest.approx(lon, abs=4)


@pytest.mark.parametrize("code", ["FJ", "KI", "NZ", "TO", "TV"])
def test_pacific_countries_across_the_antimeridian_stay_in_the_pacific(gazetteer, code):
    # regression: Kiribati's islands on both sides of 180 averaged to a point in the Atlantic,
    # Fiji's to one off Vanuatu
    country = gazetteer.country(code)
    assert abs(country.lon) > 172


def test_midpoint_of_two_country_conventions_takes_the_short_way():
    from tracker.gazetteer.build import midpoint

    assert midpoint((60.0, 100.0), (60.0, 98.0)) == pytest.approx((60.0, 99.0), abs=0.05)
    lat, lon = midpoint((-17.0, 178.0), (-17.0, -178.0))
    assert lat == pytest.approx(-17.0, abs=0.05) and abs(lon) == pytest.approx(180.0, abs=0.05)


def test_mainland_point_of_islands_on_both_sides_of_the_antimeridian():
    from shapely.geometry import MultiPolygon, box

    from tracker.gazetteer.build import mainland_point

    islands = MultiPolygon([box(177, -18, 179, -16), box(-180, -18, -179, -16), box(-179.5, -17.5, -179.2, -17.2)])
    lat, lon = mainland_point(islands)
    assert lat == pytest.approx(-17, abs=0.5) and (lon > 177 or lon < -178)


@pytest.mark.parametrize("name, city, major, short", [
    ("London Heathrow Airport", "London", True, ["Heathrow Airport", "Heathrow"]),
    ("Amsterdam Airport Schiphol", "Amsterdam", True, ["Airport Schiphol", "Schiphol Airport", "Schiphol"]),
    ("Incirlik Air Base", "Adana", True, ["Incirlik"]),
    ("John F Kennedy International Airport", "New York", True, ["John F Kennedy Airport"]),  # a person's name alone
    ("Dubai International Airport", "Dubai", True, []),  # the city's own name
    ("Long Beach (Daugherty Field) Airport", "Long Beach", False, ["Long Beach Airport"]),
    ("Tofino / Long Beach Airport", "Tofino", False, []),
    ("Ahlhorn Air Force Base", "Ahlhorn", False, []),  # "Air Force Base" alone is every such base
    ("Wiesbaden Army Airfield", "Wiesbaden", False, []),
    ("Marine Corps Air Station Iwakuni", "Iwakuni", True, []),  # the town's own name
])
def test_airports_get_the_short_names_news_uses(name, city, major, short):
    from tracker.gazetteer.build import airport_short_names

    assert airport_short_names(name, city, major, frozenset({"field"}), frozenset({"john"})) == short


def test_short_airport_names_are_in_the_gazetteer(gazetteer):
    for name, code in (("Heathrow Airport", "AIRP"), ("Incirlik", "AIRB"), ("Al Udeid", "AIRB")):
        assert code in {c.place.feature_code for c in gazetteer.lookup(name)}


@pytest.mark.parametrize("adjective, plural", [
    ("Syrian", "Syrians"), ("Israeli", "Israelis"), ("Czech", "Czechs"), ("Uzbek", "Uzbeks"), ("Kazakh", "Kazakhs"),
    ("French", None), ("Dutch", None), ("Chinese", None), ("British", None),
])
def test_plural_demonyms(adjective, plural):
    from tracker.gazetteer.build import demonym_plural

    assert demonym_plural(adjective) == plural


def test_basemap_has_every_continent_in_place():
    import json

    from shapely.geometry import Point, shape

    from tracker.common.resources import data_file

    features = json.loads(data_file("basemap", "countries.geojson").read_text(encoding="utf-8"))["features"]
    by_name = {f["properties"]["name"]: shape(f["geometry"]) for f in features}
    assert by_name["Australia"].contains(Point(134, -25))
    assert by_name["Ukraine"].contains(Point(34.1, 45.0)), "Crimea is drawn in Ukraine"
    assert not by_name["Russia"].contains(Point(34.1, 45.0))
    assert by_name["Antarctica"].bounds[0] >= -180.5 and by_name["Antarctica"].bounds[2] <= 180.5


def test_districts_outside_the_us_and_bare_region_names(geoparser):
    """Raions, districts and English counties are places of their own; a Russian region is found
    under the English name news gives it, and a republic under its bare name."""
    found = {t.text: t for t in geoparser(
        "Shelling hit Bakhmut Raion overnight. Drones struck Kursk Oblast, and police in Dagestan "
        "reported clashes. Floods closed roads across Hampshire.")}
    assert (found["Bakhmut Raion"].country_code, found["Bakhmut Raion"].feature_code) == ("UA", "ADM2")
    assert (found["Kursk Oblast"].country_code, found["Kursk Oblast"].feature_code) == ("RU", "ADM1")
    assert (found["Dagestan"].country_code, found["Dagestan"].feature_code) == ("RU", "ADM1")
    assert (found["Hampshire"].country_code, found["Hampshire"].feature_code) == ("GB", "ADM2")
    assert found["Kursk Oblast"].precision == 3 and found["Bakhmut Raion"].precision == 2


def test_direction_words_alone_are_not_region_names(gazetteer, geoparser):
    """Uganda's "Central" region and Cameroon's "West" keep their full names only: alone, the
    words start "Central American" or "the West Coast" in English prose."""
    for word in ("central", "western", "north-west", "centre", "west coast"):
        assert gazetteer.candidates(word) == []
    toponyms = geoparser("Central American leaders met on the West Coast, in Western Australia.")
    assert not {t.country_code for t in toponyms} & {"UG", "CM", "GH"}
    assert any(t.name == "Western Australia" for t in toponyms)


def test_un_subregions_with_their_adjectives(geoparser):
    found = {t.text: t for t in geoparser("Eastern European ministers and Central American envoys met in Western Asia.")}
    assert found["Eastern European"].name == "Eastern Europe" and found["Eastern European"].mention == "adjective"
    assert 40 < found["Eastern European"].lat < 60 and 15 < found["Eastern European"].lon < 40
    assert found["Central American"].name == "Central America"
    assert found["Western Asia"].precision == 3


def test_small_us_towns_from_post_office_names(gazetteer, geoparser):
    """Towns too small for GeoNames' population list are there, without a population, and are
    chosen when the article names their county or state."""
    towns = [c.place for c in gazetteer.candidates("lore city")]
    assert towns and all(t.population == 0 and t.feature_code == "PPL" for t in towns)
    assert {t.admin1_code for t in towns} == {"OH"}
    found = {t.text: t for t in geoparser("Firefighters from Lore City and Byesville, Ohio, put out the fire.")}
    assert found["Lore City"].admin1_code == "OH" and abs(found["Lore City"].lat - 39.98) < 0.2


def test_every_bundled_data_file_goes_into_the_wheel():
    """A wheel carries data/ as tracker/data through package-data patterns; a file the patterns
    miss (fitted weights in a new folder) works in a checkout and fails once installed."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["tracker.data"]
    files = [p.relative_to(root / "data").as_posix() for p in (root / "data").rglob("*") if p.is_file()]
    missed = [f for f in files if not any(fnmatch.fnmatch(f, pattern) and f.count("/") == pattern.count("/")
                                          for pattern in patterns)]
    assert files and missed == []


def test_lookups_are_read_from_the_file_once_and_answer_alike_when_the_cache_starts_again(monkeypatch):
    from tracker.gazetteer import index

    keys = ["paris", "london", "tal abiad", "moscow", "berlin", "the", "nowhere at all"]
    fresh = index.Gazetteer().lookup_many(keys)
    gazetteer = index.Gazetteer()
    reads: list[list[str]] = []
    rows_for = gazetteer._rows_for
    monkeypatch.setattr(gazetteer, "_rows_for", lambda table, wanted, **kw: reads.append(wanted) or rows_for(table, wanted, **kw))
    assert gazetteer.lookup_many(keys) == fresh
    first_reads = len(reads)
    assert gazetteer.lookup_many(keys) == fresh and len(reads) == first_reads  # all from memory
    monkeypatch.setattr(index, "LOOKUP_CACHE_KEYS", 3)  # the cache fills and starts again mid-lookup
    assert gazetteer.lookup_many([*keys, "rome", "kyiv"]) == index.Gazetteer().lookup_many([*keys, "rome", "kyiv"])
    assert "tal abiad" in fresh and "nowhere at all" not in fresh
