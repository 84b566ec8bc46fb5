"""Shared fixtures. Nothing here touches the network: the pipeline is the real one, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "nbc-2015-09-18-russia-syria-helicopters.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gazetteer():
    from tracker.gazetteer.index import default_gazetteer

    return default_gazetteer()


@pytest.fixture(scope="session")
def geoparser():
    from tracker.pipelines.geoparse import default_geoparser

    return default_geoparser()


@pytest.fixture(scope="session")
def spacy_geoparser():
    from tracker.pipelines.geoparse import Geoparser

    return Geoparser.default(recognizer="spacy")


@pytest.fixture
def news_site():
    """A local news site on 127.0.0.1 (pages, RSS and Atom feeds, and awkward answers): the fetching
    tests reach nothing else."""
    from local_server import LocalServer
    from news_site import serve_news_site

    with LocalServer() as server:
        yield serve_news_site(server)


@pytest.fixture
def hostile_site():
    """A local hostile site on 127.0.0.1: a feed of a trickling page, a gzip bomb (64 MB of zeros),
    a redirect to file:// and a good article, and an entity-bomb feed."""
    from hostile_site import serve_hostile_site
    from local_server import LocalServer

    with LocalServer() as server:
        yield serve_hostile_site(server)


def hand_made_deployment(**values):
    """A row built by hand (not by the linker), so export and map tests hold whatever the linker does."""
    from tracker.models import Deployment

    row = dict(article_id="m1", published="2024-05-01", source="test", title=None, category="helicopter",
               role="attack", model="AH-64", count=20, count_qualifier="exact", count_max=None,
               actor="United States", status="arrived", place="Lithuania", geonameid=597427, country_code="LT",
               precision=3, confidence=0.9, quote="Twenty Apache attack helicopters were moved from Germany to "
               "Lithuania.", start=0, end=33, lat=55.42, lon=24.03)
    row.update(values)
    return Deployment(**row)
