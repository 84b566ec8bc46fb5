"""Frozen records passed between pipeline stages: articles in, places and toponyms out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

#: name: a place name; adjective: "Syrian", "Crimean"; site: a street, road or building ("Royal
#: Street", "Barclays Center") that the gazetteer does not hold, placed in the town around it.
MentionKind = Literal["name", "adjective", "site"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news text and where it came from.

    ``id`` is the corpus row's id, or the file name for a single file; ``source`` names the file
    (and line for corpora) so every output row can be traced back to its input.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as given by the input
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer feature (a GeoNames record, an airport, or a curated feature)."""

    place_id: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str
    admin2_code: str
    population: int

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    @property
    def is_admin1(self) -> bool:
        return self.feature_code == "ADM1"

    @property
    def is_settlement(self) -> bool:
        return self.feature_class == "P"


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that may name a place, before resolution.

    ``key`` is the normalised gazetteer key; ``label`` says which recogniser found it
    (a spaCy entity label such as GPE, or ``GAZ`` for gazetteer matching).
    """

    start: int
    end: int
    text: str
    key: str
    kind: MentionKind
    label: str


@dataclass(frozen=True, slots=True)
class Toponym:
    """A resolved place mention: the span, the place chosen, and how sure and how precise.

    ``precision`` follows ACLED: 1 the town or point itself, 2 near a town or part of a region,
    3 a whole region or country. ``confidence`` is the share of the resolver's belief on the
    chosen place (0-1). ``mention`` is ``adjective`` for "Syrian", "Crimean". A name the
    gazetteer does not know is kept with ``name``, coordinates and codes set to None.
    """

    start: int
    end: int
    text: str
    name: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature_code: str | None
    country_code: str | None
    admin1_code: str | None
    precision: int | None
    confidence: float
    mention: MentionKind = "name"

    @property
    def is_placed(self) -> bool:
        """False for a name the gazetteer does not know (kept, without coordinates)."""
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EquipmentMention:
    """Equipment named in a sentence, with what the sentence says of it, before linking to a place.

    ``definite`` marks "the eight helicopters": a phrase that may restate groups already counted.
    ``sentence_start``/``sentence_end`` bound its sentence (character offsets).
    """

    start: int
    end: int
    text: str
    category: str
    role: str
    model: str | None
    count: int | None
    count_qualifier: str
    count_max: int | None
    definite: bool
    actor: str | None
    status: str
    sentence_start: int
    sentence_end: int
    named: bool = False  # a named ship: one vessel, whose name is no place


@dataclass(frozen=True, slots=True)
class Deployment:
    """One group of equipment of one kind: what, how many, whose, in what state, where, and the
    sentence it rests on. The column schema of ``tracker extract`` (see the README)."""

    article_id: str
    published: str | None
    source: str
    title: str | None
    category: str
    role: str
    model: str | None
    count: int | None
    count_qualifier: str
    count_max: int | None
    actor: str | None
    status: str
    place: str | None
    geonameid: int | None
    country_code: str | None
    precision: int | None
    confidence: float
    quote: str
    start: int
    end: int
    lat: float | None
    lon: float | None
    #: where a moved group came from ("moved from Germany to Lithuania"); the row's place is the
    #: destination. None when the text names no origin.
    origin: str | None = None
    origin_geonameid: int | None = None
    origin_lat: float | None = None
    origin_lon: float | None = None

    @property
    def has_origin(self) -> bool:
        return self.origin_lat is not None and self.origin_lon is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
