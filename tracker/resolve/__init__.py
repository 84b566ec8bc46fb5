"""Resolve: which place each recognised name means -> ``Toponym`` (place, precision, confidence).

``resolver.Resolver`` ranks the gazetteer's candidates of each ``Mention``; ``geocoder`` offers it
as a geopy ``Geocoder`` (``OfflineGazetteer``), and ``online`` lets any online geopy geocoder stand
in for it (``--geocoder``).
"""
