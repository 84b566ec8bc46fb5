"""The gazetteer every stage reads: ``index`` (the read-only SQLite index: ``Place``, ``Candidate``),
``names`` (the one lookup key of a name), ``word_lists`` (common words and person names); and the
builders, run by hand, never at analysis time: ``build`` (from registry packages, read through
``registry_packages``) and ``geonames`` (from GeoNames dumps).
"""
