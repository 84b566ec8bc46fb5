"""Our own annotated news (benchmarks/own-news/): the rows are committed, the texts never are."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from own_news import GOLD_DIR, add, own_news_corpora, set_names  # noqa: E402

CATEGORIES = {"tank", "armored_vehicle", "artillery", "air_defense", "aircraft", "helicopter", "drone", "ship",
              "missile", "vehicle"}


def test_the_committed_gold_carries_rows_and_sources_but_no_text():
    names = set_names()
    assert names, "benchmarks/own-news/ holds the sets the place chooser is fitted on"
    for name in names:
        for line in (GOLD_DIR / f"{name}.gold.jsonl").read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            assert article["text"] is None and article["source"].startswith("http")
            assert all(row["category"] in CATEGORIES and row["evidence"] for row in article["deployments"])


def test_adding_a_set_splits_the_rows_from_the_texts(tmp_path):
    annotated = tmp_path / "annotated.jsonl"
    text = "Four tanks arrived in Tapa on Monday, the army said."
    row = {"category": "tank", "count": 4, "place": "Tapa", "lat": 59.26, "lon": 25.96,
           "evidence": "Four tanks arrived in Tapa"}
    annotated.write_text(json.dumps({"id": "x-1", "source": "https://example.org/a", "text": text,
                                     "deployments": [row]}) + "\n", encoding="utf-8")
    gold_dir, cache_dir = tmp_path / "gold", tmp_path / "cache"
    add("own-news-x", annotated, gold_dir, cache_dir)
    (line,) = (gold_dir / "own-news-x.gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["text"] is None
    assert (cache_dir / "own-news-x" / "x-1.txt").read_text(encoding="utf-8") == text
    (article,) = own_news_corpora(gold_dir, cache_dir)["own-news-x"]
    assert article["text"] == text and article["deployments"] == [row]
    # an article whose text was not recovered is left out, not scored against nothing
    (cache_dir / "own-news-x" / "x-1.txt").unlink()
    assert own_news_corpora(gold_dir, cache_dir)["own-news-x"] == []


def test_a_row_whose_evidence_is_not_in_its_text_is_refused(tmp_path):
    annotated = tmp_path / "annotated.jsonl"
    annotated.write_text(json.dumps({"id": "x-1", "source": "https://example.org/a", "text": "Nothing here.",
                                     "deployments": [{"category": "tank", "evidence": "Four tanks"}]}) + "\n",
                         encoding="utf-8")
    with pytest.raises(ValueError, match="not in its text"):
        add("own-news-x", annotated, tmp_path / "gold", tmp_path / "cache")
    assert not (tmp_path / "gold" / "own-news-x.gold.jsonl").exists()


def test_a_set_is_not_overwritten_unasked_and_ids_stay_file_names(tmp_path):
    annotated = tmp_path / "annotated.jsonl"
    annotated.write_text(json.dumps({"id": "x-1", "source": "https://example.org/a", "text": "Text.",
                                     "deployments": []}) + "\n", encoding="utf-8")
    add("own-news-x", annotated, tmp_path / "gold", tmp_path / "cache")
    with pytest.raises(ValueError, match="exists"):
        add("own-news-x", annotated, tmp_path / "gold", tmp_path / "cache")
    add("own-news-x", annotated, tmp_path / "gold", tmp_path / "cache", replace_existing=True)
    annotated.write_text(json.dumps({"id": "../escape", "source": "https://example.org/a", "text": "Text.",
                                     "deployments": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unfit"):
        add("own-news-y", annotated, tmp_path / "gold", tmp_path / "cache")
    assert not (tmp_path / "escape.txt").exists()
