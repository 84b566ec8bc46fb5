"""Read: files, folders, corpora, standard input, web pages and feeds -> ``Article`` records.

``files.read_articles`` is the entry (``tracker.read_articles``); ``web`` turns page and feed URLs
into articles through ``fetch``, the one network client; ``articles`` holds what every source
shares (one article from a text or an HTML page); ``dates`` and ``language`` read what an article
says of itself.
"""
