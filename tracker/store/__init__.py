"""Store: keep each article, deployment and place mention once, in a GeoPackage or PostGIS.

``database`` is the store (``open_store`` is the public entry, ``tracker.store.open_store``);
``tracks`` links reports of the same group across stored articles; ``watch`` keeps a store
current from feeds.
"""

from tracker.store.database import open_store

__all__ = ["open_store"]
