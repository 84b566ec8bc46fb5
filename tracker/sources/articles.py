"""One article from one text or one HTML page, as every source makes it, and what a source does
with an input it cannot read (``ErrorHandler``).

Text from any source has its control characters replaced, one for one, so that offsets hold and no
output format meets a NUL; an HTML page gives its main text (trafilatura) with title, date and URL.
"""

from __future__ import annotations

from collections.abc import Callable

from tracker.errors import InputError
from tracker.models import Article


ErrorHandler = Callable[[InputError], None]


def is_url(name: str) -> bool:
    """True for an http:// or https:// URL: an input that is fetched, not opened."""
    return name[:8].lower().startswith(("http://", "https://"))


def article_from_text(text: str, *, article_id: str = "text", source: str = "<string>") -> Article:
    """Wrap a Python string as an ``Article`` (what ``tracker.geoparse(text)`` does)."""
    if not isinstance(text, str):
        raise InputError(f"{source}: expected text (str), got {type(text).__name__}")
    return Article(id=article_id, text=clean_text(text), source=source)


_CONTROL_CHARACTERS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127], " ")


def clean_text(text: str) -> str:
    """Control characters (NUL, escape…) become spaces: one character for one, so offsets hold,
    and no file format downstream (GeoPackage, CSV, HTML) meets a NUL."""
    return text.translate(_CONTROL_CHARACTERS)


def article_from_html(html: str | bytes, *, source: str, article_id: str, url: str | None = None) -> Article:
    """The main text of an HTML page (trafilatura) with its title, date and canonical URL;
    ``url`` is where the page came from (resolves a relative canonical link)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                               include_tables=False)
    except Exception as error:  # trafilatura raises assorted lxml and parser errors on broken pages
        raise InputError(f"{source}: HTML could not be parsed ({type(error).__name__}: {error})") from error
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise InputError(f"{source}: no main text found in the HTML page")
    return Article(id=article_id, text=clean_text(text), source=source, title=document.title or None,
                   published=document.date or None, url=document.url or None)
