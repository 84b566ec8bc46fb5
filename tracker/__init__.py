"""tracker: find the places in news text, put them on the globe offline, and map what is deployed where.

The public API::

    import tracker
    toponyms = tracker.geoparse("Russian helicopters arrived in Latakia, Syria.")
    deployments = tracker.extract(text="Four Russian attack helicopters arrived in Latakia.")
    for article in tracker.read_articles(["data/samples/"]):
        ...
"""

from tracker.common.version import __version__  # noqa: F401  (tracker.__version__)
from tracker.errors import DataError, GeocoderError, InputError, OutputError, TrackerError
from tracker.pipelines.extract import ExtractedArticle, Extractor, extract
from tracker.pipelines.geoparse import Geoparser, GeoparsedArticle, geoparse
from tracker.sources.files import read_articles
from tracker.models import Article, Deployment, Mention, Place, Toponym

#: The map renderer (folium, pandas) is imported on first use, so that a command that geoparses or
#: extracts does not pay for it at start-up. (``extract`` and ``geoparse`` stay eager: every verb
#: runs one of them.)
_LAZY = {"render_map": "tracker.maps.render"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Article", "DataError", "Deployment", "ExtractedArticle", "Extractor", "extract", "GeocoderError", "Geoparser", "GeoparsedArticle", "InputError", "Mention",
    "OutputError", "Place", "Toponym", "TrackerError", "geoparse", "read_articles", "render_map",
]
