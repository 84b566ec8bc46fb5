"""Turn files, folders, corpora and standard input into ``Article`` records.

Formats are chosen by file extension (``.txt``, ``.html``/``.htm``, ``.jsonl``/``.ndjson``,
``.csv``) or by ``input_format``; standard input (``-``) is plain text unless told otherwise. We
never guess a format from content. An ``http://`` or ``https://`` URL is fetched (a page is one
article, a feed its items: ``tracker.sources.web``), and a list of feed URLs (``.urls``, one a line, or
``.opml``) is read feed by feed; lists are read only when named, never found in a folder.

A whole input that cannot be read (missing, empty, binary, not UTF-8, too large, no main text in
an HTML page) raises or is passed to ``on_error`` as an ``InputError`` naming the file and the
problem. In a JSONL or CSV corpus one bad row is passed to ``on_error`` with its line number and
skipped; the other rows go on.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tracker.errors import InputError, MissingInputError
from tracker.models import Article
from tracker.sources.articles import ErrorHandler, article_from_html, clean_text, is_url

if TYPE_CHECKING:
    from tracker.sources.web import WebReader

InputFormat = Literal["auto", "text", "html", "jsonl", "csv", "urls", "opml"]

#: Largest single text or HTML article we read; corpora are streamed row by row and have no limit.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
#: Largest CSV field or JSONL line.
MAX_ROW_BYTES = 20 * 1024 * 1024

EXTENSION_FORMATS: dict[str, InputFormat] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv",
}
#: Files that list feed URLs: read when named, not when found in a folder.
LIST_EXTENSIONS: dict[str, InputFormat] = {".urls": "urls", ".opml": "opml"}
LIST_FORMATS = ("urls", "opml")
OPTIONAL_FIELDS = ("title", "published", "url")


def raise_error(error: InputError) -> None:
    raise error


def read_articles(
    inputs: Iterable[str | Path],
    *,
    input_format: InputFormat = "auto",
    encoding: str = "utf-8",
    on_error: ErrorHandler = raise_error,
    web: WebReader | None = None,
) -> Iterator[Article]:
    """Yield one ``Article`` per text file, HTML page, corpus row, web page or feed item in ``inputs``.

    ``inputs`` are paths, folders (read recursively, in name order, keeping files with a known
    extension), ``-`` for standard input, http(s) URLs, or files listing feed URLs (``.urls``,
    ``.opml``). ``on_error`` receives each ``InputError``; the default raises it, the CLI reports
    it and goes on. URLs are fetched by ``web`` (a ``tracker.sources.web.WebReader``; by default one with
    a ``Fetcher`` of default options, made when the first URL comes and closed at the end).
    """
    own_fetcher = None
    try:
        for item in inputs:
            name = str(item)
            if web is None and (is_url(name) or _format_of(Path(name), input_format) in LIST_FORMATS):
                from tracker.sources.fetch import Fetcher
                from tracker.sources.web import WebReader

                own_fetcher = Fetcher()
                web = WebReader(own_fetcher)
            yield from _read_input(name, input_format, encoding, on_error, web)
    finally:
        if own_fetcher is not None:
            own_fetcher.close()


def _read_input(name: str, input_format: InputFormat, encoding: str, on_error: ErrorHandler,
                web: WebReader | None) -> Iterator[Article]:
    """The articles of one named input; its errors go to ``on_error``."""
    try:
        if is_url(name):
            yield from web.read_url(name, on_error)
        elif name == "-":
            if input_format in LIST_FORMATS:
                raise InputError("a list of feed URLs must be a file (.urls or .opml), not standard input")
            yield from _read_stream(sys.stdin.buffer, "<stdin>", "stdin",
                                    "text" if input_format == "auto" else input_format, encoding, on_error)
        elif not Path(name).exists():
            on_error(MissingInputError(f"{name}: no such file or folder"))
        elif Path(name).is_file() and _format_of(Path(name), input_format) in LIST_FORMATS:
            yield from web.read_list(Path(name), _format_of(Path(name), input_format), on_error)
        else:
            yield from _read_path(Path(name), input_format, encoding, on_error)
    except InputError as error:
        on_error(error)


def _read_path(path: Path, input_format: InputFormat, encoding: str, on_error: ErrorHandler) -> Iterator[Article]:
    folder = path.is_dir()
    files = _files_in_folder(path) if folder else [path]
    if folder and not files:
        on_error(InputError(f"{path}: folder holds no article files "
                            f"({', '.join(sorted(EXTENSION_FORMATS))})"))
    for file in files:
        # a file's id is its path relative to the folder given ("d1/story.txt"), so files of
        # the same name in different subfolders stay apart and the id is the same every run
        article_id = file.relative_to(path).as_posix() if folder else file.name
        try:
            yield from _read_file(file, input_format, encoding, on_error, article_id)
        except InputError as error:
            on_error(error)


def _files_in_folder(folder: Path) -> list[Path]:
    """Article files under ``folder``, in name order; hidden files and folders (temporary files of
    a write in progress, ``.git``) are left out."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and is_article_file(p)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def is_article_file(path: Path) -> bool:
    """Whether a folder's reader takes ``path`` as an article file (known extension, not hidden)."""
    return path.suffix.lower() in EXTENSION_FORMATS and not path.name.startswith(".")


def _format_of(path: Path, input_format: InputFormat) -> InputFormat:
    if input_format != "auto":
        return input_format
    suffix = path.suffix.lower()
    return EXTENSION_FORMATS.get(suffix) or LIST_EXTENSIONS.get(suffix) or "text"


def _read_file(path: Path, input_format: InputFormat, encoding: str,
               on_error: ErrorHandler, article_id: str) -> Iterator[Article]:
    file_format = _format_of(path, input_format)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    with handle:
        yield from _read_stream(handle, str(path), article_id, file_format, encoding, on_error)


def _read_stream(handle: io.BufferedIOBase, source: str, article_id: str, file_format: InputFormat,
                 encoding: str, on_error: ErrorHandler) -> Iterator[Article]:
    if file_format in ("jsonl", "csv"):
        lines = _decoded_lines(handle, source, encoding)
        reader = _jsonl_rows if file_format == "jsonl" else _csv_rows
        yield from reader(lines, source, on_error)
        return
    raw = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(raw) > MAX_ARTICLE_BYTES:
        raise InputError(f"{source}: larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; split it into "
                         "articles, or give a JSONL/CSV corpus with one article a row")
    text = _decode(raw, source, encoding)
    if file_format == "html":
        yield article_from_html(text, source=source, article_id=article_id)
        return
    if not text.strip():
        raise InputError(f"{source}: empty file, no text to read")
    yield Article(id=article_id, text=text, source=source)


#: Single-byte Western code pages a detector may guess for short text; the web's legacy default
#: among them is windows-1252 (WHATWG Encoding Standard: "latin1" labels mean windows-1252).
_WESTERN_SINGLE_BYTE = frozenset({"cp1252", "latin_1", "iso8859_15", "cp850", "cp437", "cp858", "cp1250",
                                  "mac_roman", "iso8859_2"})


def _detect_encoding(raw: bytes, source: str) -> str:
    """UTF-8 when the bytes are UTF-8; else charset-normalizer's guess, with windows-1252 for
    the Western single-byte family it cannot tell apart on short texts."""
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:1_000_000]).best()
    if best is None:
        raise InputError(f"{source}: the text encoding could not be detected; name it with --encoding")
    if best.encoding in _WESTERN_SINGLE_BYTE:
        try:
            raw.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return best.encoding


#: Byte order marks, longest first (UTF-32's little-endian mark begins with UTF-16's), and the
#: codec that reads the text after them.
BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
                    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_WIDE_ENCODINGS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})


def encoding_by_bom(start: bytes) -> str | None:
    """The codec a byte order mark at the start of the data names, or None: a BOM decides."""
    for mark, codec in BYTE_ORDER_MARKS:
        if start.startswith(mark):
            return codec
    return None


def _is_wide(encoding: str) -> bool:
    """UTF-16/32 text holds NUL bytes by design, so they do not mean binary data there."""
    import codecs

    try:
        return codecs.lookup(encoding).name in _WIDE_ENCODINGS
    except LookupError:
        return False


def _decode(raw: bytes, source: str, encoding: str) -> str:
    if not raw.strip(b"\x00\t\n\r \xff\xfe\xef\xbb\xbf"):
        raise InputError(f"{source}: empty file, no text to read")
    encoding = encoding_by_bom(raw) or encoding
    if not _is_wide(encoding) and b"\x00" in raw[:8192]:
        raise InputError(f"{source}: binary data (NUL bytes), not text; give a .txt, .html, .jsonl or .csv file "
                         "(UTF-16 text needs a byte order mark or --encoding utf-16)")
    if encoding == "auto":
        encoding = _detect_encoding(raw, source)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{source}: not valid {encoding} text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            f"pass its encoding with --encoding (e.g. --encoding latin-1)") from error
    except LookupError as error:
        raise InputError(f"{source}: unknown encoding {encoding!r}") from error
    return clean_text(text.removeprefix("\ufeff"))


def _decoded_lines(handle: io.BufferedIOBase, source: str, encoding: str) -> Iterator[tuple[int, str]]:
    """(line number, text) pairs; a line that does not decode is passed on as an error marker.
    A byte order mark decides the encoding; UTF-16/32 corpora are read as text streams."""
    start = handle.peek(4)[:4] if hasattr(handle, "peek") else b""
    wide = encoding_by_bom(start) if encoding_by_bom(start) in ("utf-16", "utf-32") else None
    if wide or _is_wide(encoding):
        import codecs

        # without a mark, "utf-16" means little-endian, as bytes.decode reads it
        named = codecs.lookup(encoding).name if not wide else wide
        yield from _wide_lines(handle, source, wide or {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(named, named))
        return
    empty = True
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw[:8192]:
                raise InputError(f"{source}: binary data (NUL bytes), not a text corpus")
        if raw.strip():
            empty = False
        yield number, _decode_line(raw, source, number, encoding)
    if empty:
        raise InputError(f"{source}: empty file, no rows to read")


def _wide_lines(handle: io.BufferedIOBase, source: str, encoding: str) -> Iterator[tuple[int, str]]:
    stream = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline=None)
    empty = True
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                empty = False
            yield number, line
    except UnicodeError as error:
        raise InputError(f"{source}:{number + 1}: not valid {encoding} text ({getattr(error, 'reason', error)}); "
                         "the rest of the file is skipped") from error
    finally:
        stream.detach()
    if empty:
        raise InputError(f"{source}: empty file, no rows to read")


class _UndecodableLine(str):
    """Marks a corpus line whose bytes were not valid in the chosen encoding."""


def _decode_line(raw: bytes, source: str, number: int, encoding: str) -> str:
    """One corpus line; with ``auto`` a line that is not UTF-8 is decoded as detected."""
    try:
        return raw.decode("utf-8" if encoding == "auto" else encoding)
    except UnicodeDecodeError as error:
        if encoding == "auto":
            try:
                return raw.decode(_detect_encoding(raw, source))
            except (InputError, UnicodeDecodeError, LookupError):
                return _UndecodableLine(f"the text encoding could not be detected (byte 0x{raw[error.start]:02x} "
                                        "is not UTF-8); name it with --encoding")
        return _UndecodableLine(f"not valid {encoding} text (byte 0x{raw[error.start]:02x}); "
                                "pass its encoding with --encoding")


def _jsonl_rows(lines: Iterator[tuple[int, str]], source: str, on_error: ErrorHandler) -> Iterator[Article]:
    for number, line in lines:
        where = f"{source}:{number}"
        if isinstance(line, _UndecodableLine):
            on_error(InputError(f"{where}: {line}; row skipped"))
            continue
        if not line.strip():
            continue
        if len(line) > MAX_ROW_BYTES:
            on_error(InputError(f"{where}: row longer than {MAX_ROW_BYTES // (1024 * 1024)} MB; row skipped"))
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            # json's messages may end in "at" ("Unterminated string starting at"): name the column apart
            on_error(InputError(f"{where}: not valid JSON ({error.msg.removesuffix(' at')}: column {error.colno}); "
                                "row skipped"))
            continue
        try:
            yield _article_from_row(row, where)
        except InputError as error:
            on_error(error)


def _csv_rows(lines: Iterator[tuple[int, str]], source: str, on_error: ErrorHandler) -> Iterator[Article]:
    csv.field_size_limit(MAX_ROW_BYTES)
    physical = _CsvLineFeed(lines, source, on_error)
    reader = csv.DictReader(physical)
    try:
        fields = reader.fieldnames
    except csv.Error as error:
        raise InputError(f"{source}: not a readable CSV header ({error})") from error
    if not fields or "text" not in fields or "id" not in fields:
        raise InputError(f"{source}: CSV header must name the columns 'id' and 'text' (found {fields})")
    while True:
        start = physical.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            on_error(InputError(f"{source}:{start}: malformed CSV row ({error}); row skipped"))
            continue
        if None in row:
            on_error(InputError(f"{source}:{start}: more fields than the header names; row skipped"))
            continue
        try:
            yield _article_from_row(row, f"{source}:{start}")
        except InputError as error:
            on_error(error)


class _CsvLineFeed:
    """Feeds decoded lines to ``csv.reader`` and remembers the physical line number."""

    def __init__(self, lines: Iterator[tuple[int, str]], source: str, on_error: ErrorHandler) -> None:
        self._lines = lines
        self._source = source
        self._on_error = on_error
        self.number = 0

    def __iter__(self) -> _CsvLineFeed:
        return self

    def __next__(self) -> str:
        while True:
            self.number, line = next(self._lines)
            if isinstance(line, _UndecodableLine):
                self._on_error(InputError(f"{self._source}:{self.number}: {line}; line skipped"))
                continue
            return line


def _article_from_row(row: object, where: str) -> Article:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected an object with 'id' and 'text', got {type(row).__name__}; row skipped")
    article_id, text = row.get("id"), row.get("text")
    if article_id is None or str(article_id).strip() == "":
        raise InputError(f"{where}: no 'id'; row skipped")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' (or it is empty); row skipped")
    extras = {}
    for name in OPTIONAL_FIELDS:
        value = row.get(name)
        extras[name] = clean_text(str(value)) if value not in (None, "") else None
    return Article(id=clean_text(str(article_id)), text=clean_text(text), source=where, **extras)
