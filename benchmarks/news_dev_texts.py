"""Join the news-dev equipment gold with the article texts recovered into benchmarks/cache/news-dev/.

The gold file ../shared/bench/equipment/news-dev.gold.jsonl holds 52 wire, newspaper and
defence-site articles with their deployment rows, but its ``text`` is null except for the
3 public-domain ones: the other texts are not ours to redistribute. Their stored copies (the
first ~2,000 characters of each page, which is all the rows cover) were looked up by the
article's URL, title and evidence sentences and saved, one ``<id>.txt`` per article, into
benchmarks/cache/news-dev/. That folder is git-ignored (benchmarks/cache/.gitignore) and must
never be committed. An article whose page could not be found has no file and is left out.

    python benchmarks/news_dev_texts.py check [--bench ../shared/bench] [--cache DIR]

says, for every gold article, where its text comes from and whether every ``evidence`` string
of its rows occurs in it (after folding whitespace, curly quotes and dashes), lists the misses,
and ends with a one-line summary; it always exits 0. ``news_dev_corpus()`` gives the gold lines
with their texts filled in, for benchmarks/equipment.py.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
DEFAULT_CACHE = ROOT / "benchmarks" / "cache" / "news-dev"
GOLD = Path("equipment") / "news-dev.gold.jsonl"

_FOLD = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
})
_SPACE = re.compile(r"\s+")


def load_gold(bench: Path) -> list[dict]:
    """The gold articles of news-dev, in file order."""
    with (bench / GOLD).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def cache_path(cache: Path, article_id: str) -> Path:
    return cache / f"{article_id}.txt"


def article_text(article: dict, cache: Path) -> tuple[str | None, str]:
    """The article's text and where it came from: the gold's own (public-domain) text, the
    recovered copy in ``cache``, or (None, "missing")."""
    if article.get("text"):
        return article["text"], "gold"
    path = cache_path(cache, article["id"])
    if path.is_file():
        return path.read_text(encoding="utf-8"), "cache"
    return None, "missing"


def news_dev_corpus(bench: Path = DEFAULT_BENCH, cache: Path = DEFAULT_CACHE) -> list[dict]:
    """The news-dev gold lines with ``text`` filled from ``cache`` (or the gold's own text for
    the public-domain ones); articles without any text are dropped. The gold is not modified."""
    corpus = []
    for article in load_gold(bench):
        text, _ = article_text(article, cache)
        if text:
            corpus.append({**article, "text": text})
    return corpus


def normalise(text: str) -> str:
    """Fold the differences a copy of a page picks up: Unicode form, curly and straight quotes,
    the dashes, and every run of whitespace (line breaks, no-break spaces) to one space."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACE.sub(" ", text).strip()


def check(bench: Path, cache: Path) -> None:
    """Print, per article, its text's source and its evidence misses, then a summary line."""
    articles = load_gold(bench)
    found = from_cache = evidence_ok = evidence_total = folded_only = unchecked = 0
    missing_ids: list[str] = []
    for article in articles:
        evidences = [row["evidence"] for row in article.get("deployments", [])]
        text, source = article_text(article, cache)
        if text is None:
            missing_ids.append(article["id"])
            unchecked += len(evidences)
            print(f"{article['id']:<8} no text ({cache_path(cache, article['id'])} missing); "
                  f"{len(evidences)} evidence strings unchecked")
            continue
        found += 1
        from_cache += source == "cache"
        folded = normalise(text)
        misses = []
        for evidence in evidences:
            if evidence in text:
                evidence_ok += 1
            elif normalise(evidence) in folded:
                evidence_ok += 1
                folded_only += 1
            else:
                misses.append(evidence)
        evidence_total += len(evidences)
        print(f"{article['id']:<8} text from {source:<5} {len(text):>5} chars  "
              f"evidence {len(evidences) - len(misses)}/{len(evidences)}")
        for evidence in misses:
            print(f"           MISS: {evidence!r}")
    print(f"found {found}/{len(articles)} texts ({from_cache} recovered, {found - from_cache} in the "
          f"gold), evidence ok {evidence_ok}/{evidence_total} ({folded_only} only after folding "
          f"quotes/dashes/whitespace; {unchecked} more in articles without text)"
          + (f"; missing: {', '.join(missing_ids)}" if missing_ids else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=["check"])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH,
                        help="the shared bench folder (default: %(default)s)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="the folder of recovered <id>.txt texts (default: %(default)s)")
    args = parser.parse_args(argv)
    check(args.bench, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
