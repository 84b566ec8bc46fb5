"""tracker: find the places in news text, put them on the globe offline, and map what is deployed where.

The public API::

    import tracker
    toponyms = tracker.geoparse("Russian helicopters arrived in Latakia, Syria.")
    deployments = tracker.extract(text="Four Russian attack helicopters arrived in Latakia.")
    for article in tracker.read_articles(["data/samples/"]):
        ...
"""

from tracker.errors import DataError, GeocoderError, InputError, OutputError, TrackerError
from tracker.extract import ExtractedArticle, Extractor, extract
from tracker.geoparse import Geoparser, GeoparsedArticle, geoparse
from tracker.ingest import read_articles
from tracker.maps.render import render_map
from tracker.models import Article, Deployment, Mention, Place, Toponym

__all__ = [
    "Article", "DataError", "Deployment", "ExtractedArticle", "Extractor", "extract", "GeocoderError", "Geoparser", "GeoparsedArticle", "InputError", "Mention",
    "OutputError", "Place", "Toponym", "TrackerError", "geoparse", "read_articles", "render_map",
]
__version__ = "0.1.0"
