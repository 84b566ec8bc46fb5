"""Recognise: the spans of an article's text that name places (``Mention``) and equipment.

Places: ``gazetteer_toponyms`` (the default recogniser: ``name_runs`` -> ``name_matches`` ->
``toponym_evidence`` -> ``toponym_filter``) or ``toponyms`` (spaCy's entities), both reading the
shared ``cues``, the ``tokens`` of the rule tokeniser and the areas written after a name
(``written_areas``); ``sections`` parses texts longer than spaCy's limit. Equipment: ``equipment``
(the lexicon), ``military`` (the context test), ``counts``, ``attributes`` (owner and status).
"""
