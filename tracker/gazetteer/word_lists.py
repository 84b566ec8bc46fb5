"""The word lists the gazetteer builder writes beside the gazetteer and the recognisers read:
common English words (``common_words.txt``) and given names and surnames (``person_names.txt``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tracker.common.resources import data_file


@lru_cache(maxsize=1)
def load_common_words() -> frozenset[str]:
    """Lowercase English words ("police", "mobile") that a capitalised town name may also be."""
    return read_common_words(data_file("common_words.txt"))


def read_common_words(path: Path) -> frozenset[str]:
    """The words of a ``common_words.txt`` (the bundled one, or the one the builder just wrote)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def load_person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), lowercase."""
    return read_person_names(data_file("person_names.txt"))


def read_person_names(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames) of a ``person_names.txt``, lowercase."""
    given, family = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, kind = line.partition("\t")
        (given if kind == "given" else family).add(name.casefold())
    return frozenset(given), frozenset(family)
