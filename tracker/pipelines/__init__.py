"""The stages put together: ``geoparse`` (recognise -> resolve), ``extract`` (geoparse, recognise
equipment, link), ``engines`` (where the per-article work runs: here, in worker processes or on
Dask) and ``frame`` (their results as GeoDataFrames and files: JSON lines, GeoJSON, GPKG, CSV, KML).
"""
