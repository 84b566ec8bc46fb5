"""Our own annotated military news: the gold rows in benchmarks/own-news/, the texts in a git-ignored cache.

The place chooser (tracker/link/place_chooser.py) is a fitted model, and fitted models are what
carries over to news the rules were never written on: its top-1 on 819 problems of five newer
sets rose from 0.79 to 0.84 when its 233 ranking problems from the shared dev files were joined
by 675 from these sets (benchmarks/README.md, fifth round). The sets were annotated for this
project by annotators who saw neither the code nor its output, by
../shared/bench/equipment/CONVENTIONS.md; their judgement calls are in
benchmarks/own-news/NOTES.md. The rows (with their evidence
quotes and source URLs) are ours and committed; the article texts are not ours to
redistribute, so each gold line carries ``"text": null`` and the text lives in
benchmarks/cache/own-news/<set>/<id>.txt, recovered as news-dev's are (see news_dev_texts.py:
the stored copy of the source page, looked up by URL in the search tool's pages corpus).

    python benchmarks/own_news.py add SET ANNOTATED.gold.jsonl   # commit-ready gold + cached texts
    python benchmarks/own_news.py check                          # which texts are there, evidence found

``own_news_corpora()`` gives each set's gold lines with their texts filled in, for
fit_linker.py; an article without a recovered text is left out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from news_dev_texts import article_text, normalise

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "benchmarks" / "own-news"
CACHE_DIR = ROOT / "benchmarks" / "cache" / "own-news"


def set_names(gold_dir: Path = GOLD_DIR) -> list[str]:
    """The sets, by the names of their gold files (``own-news-1.gold.jsonl`` -> ``own-news-1``)."""
    return sorted(path.name.removesuffix(".gold.jsonl") for path in gold_dir.glob("*.gold.jsonl"))


def load_gold(name: str, gold_dir: Path = GOLD_DIR) -> list[dict]:
    with (gold_dir / f"{name}.gold.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def own_news_corpora(gold_dir: Path = GOLD_DIR, cache_dir: Path = CACHE_DIR) -> dict[str, list[dict]]:
    """Each set's gold lines with ``text`` filled from the cache; articles without text are dropped."""
    corpora = {}
    for name in set_names(gold_dir):
        articles = []
        for article in load_gold(name, gold_dir):
            text, _ = article_text(article, cache_dir / name)
            if text:
                articles.append({**article, "text": text})
        corpora[name] = articles
    return corpora


_SAFE_NAME = re.compile(r"[A-Za-z0-9][\w.\-]*")


def add(name: str, annotated: Path, gold_dir: Path = GOLD_DIR, cache_dir: Path = CACHE_DIR, *,
        replace_existing: bool = False) -> None:
    """Split an annotator's gold file (texts inline) into the committed gold (text null) and the
    cached texts. Raises ValueError, and writes nothing, for a set that exists already (unless
    ``replace_existing``), an id unfit for a file name, or evidence not in its article's text:
    the rows must rest on the words they quote."""
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is no set name: use letters, digits, '-', '_' and '.'")
    target = gold_dir / f"{name}.gold.jsonl"
    if target.exists() and not replace_existing:
        raise ValueError(f"{target} exists: pass --replace to overwrite the set")
    lines = [json.loads(line) for line in annotated.open(encoding="utf-8") if line.strip()]
    for article in lines:
        if not _SAFE_NAME.fullmatch(str(article.get("id", ""))):
            raise ValueError(f"{annotated}: id {article.get('id')!r} is unfit for a file name")
        text = article.get("text") or ""
        for row in article.get("deployments", []):
            if normalise(row["evidence"]) not in normalise(text):
                raise ValueError(f"{annotated}: {article['id']}'s evidence {row['evidence']!r} is not in its text; "
                                 f"fix the annotation before adding it")
    (cache_dir / name).mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    for article in lines:
        _write_atomically(cache_dir / name / f"{article['id']}.txt", article["text"])
    _write_atomically(target, "".join(json.dumps({**article, "text": None}, ensure_ascii=False) + "\n"
                                      for article in lines))
    print(f"{name}: {len(lines)} articles, {sum(len(a.get('deployments', [])) for a in lines)} rows")


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename: an interrupted run leaves the old file or the new one."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.") as handle:
        handle.write(text)
    os.replace(handle.name, path)


def check(gold_dir: Path = GOLD_DIR, cache_dir: Path = CACHE_DIR) -> None:
    """One line per set: texts found and evidence strings found in them."""
    for name in set_names(gold_dir):
        articles = load_gold(name, gold_dir)
        found = evidence_ok = evidence_total = 0
        for article in articles:
            text, _ = article_text(article, cache_dir / name)
            evidences = [row["evidence"] for row in article.get("deployments", [])]
            evidence_total += len(evidences)
            if text is None:
                continue
            found += 1
            evidence_ok += sum(normalise(e) in normalise(text) for e in evidences)
        print(f"{name}: texts {found}/{len(articles)}, evidence found {evidence_ok}/{evidence_total}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="add an annotated set (texts inline) as committed gold + cached texts")
    adding.add_argument("name", help="the set's name, e.g. own-news-5")
    adding.add_argument("annotated", type=Path, help="the annotators' gold.jsonl, with the texts inline")
    adding.add_argument("--replace", action="store_true", help="overwrite a set of that name")
    commands.add_parser("check", help="say which texts are cached and whether the evidence is in them")
    args = parser.parse_args(argv)
    if args.command == "add":
        try:
            add(args.name, args.annotated, replace_existing=args.replace)
        except (ValueError, OSError) as error:
            print(f"own_news.py: {error}", file=sys.stderr)
            return 2
    else:
        check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
