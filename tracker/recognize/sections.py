"""Texts longer than spaCy's ``max_length`` (1,000,000 characters), parsed in sections.

spaCy refuses a longer text outright (error E088), which would end a whole run on one long
article. ``parse_texts`` (used by the spaCy recogniser, ``geoparse --recognizer spacy``; the
extractor cuts long articles into sections of its own and parses sentence by sentence) parses
such a text in sections cut at paragraph, line, sentence or word boundaries, each section keeping
its trailing whitespace, and joins the parsed sections into one ``Doc`` whose text is the
article's text character for character: offsets, sentences and entities all hold, and the
recogniser sees one document as before. Texts within the limit are parsed exactly as
``nlp.pipe`` would.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator

#: Largest section: spaCy's parser and NER need about 1 GB per 100,000 characters at once.
SECTION_CHARACTERS = 100_000
_BOUNDARIES = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def sections(text: str, size: int = SECTION_CHARACTERS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters whose concatenation is ``text``;
    each cut falls after the last paragraph break, else line break, else sentence end, else
    space in the window (a hard cut only in a run of ``size`` characters with none of them)."""
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = 0
        for boundary in _BOUNDARIES:
            ends = [match.end() for match in boundary.finditer(window) if match.end() < len(window)]
            if ends and ends[-1] > size // 4:
                cut = ends[-1]
                break
        cut = cut or size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse_long(nlp, text: str, *, size: int = SECTION_CHARACTERS):
    """One ``Doc`` of ``text`` parsed in sections (see the module's docstring)."""
    from spacy.tokens import Doc

    docs = list(nlp.pipe(sections(text, min(size, nlp.max_length))))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # the sections always cover the text whole; this guards the contract
        raise AssertionError("sectioned parse does not reproduce the text")
    return joined


def parse_texts(nlp, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator:
    """``nlp.pipe(texts)``, in order, except that a text over ``nlp.max_length`` is parsed in
    sections (in this process; the others keep spaCy's batching and worker processes)."""
    originals: deque[str | None] = deque()

    def within_limit() -> Iterator[str]:
        for text in texts:
            long = len(text) > nlp.max_length
            originals.append(text if long else None)
            yield "" if long else text  # a placeholder keeps the order; its doc is replaced below

    options = {"n_process": n_process} if n_process > 1 else {}
    for doc in nlp.pipe(within_limit(), batch_size=batch_size, **options):
        original = originals.popleft()
        yield doc if original is None else parse_long(nlp, original)
