"""Resolve: which place each recognised name means -> ``Toponym`` (place, precision, confidence).

``resolver.Resolver`` runs the parts in order: ``written_form`` (rules on the form of the text that
narrow a name's candidates), ``ranking`` (word-independent features and the fitted model that
scores them, in three passes), ``article_rules`` (rules over the whole article) and ``placing`` (the
chosen place as a ``Toponym``). ``geocoder`` offers the resolver as a geopy ``Geocoder``
(``OfflineGazetteer``), and ``online`` lets any online geopy geocoder stand in for it (``--geocoder``).
"""
