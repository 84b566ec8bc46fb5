"""Ingest: every supported format becomes Article records; bad input gives one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.errors import InputError, MissingInputError
from tracker.sources.files import read_articles


def collect(paths, **options):
    errors: list[InputError] = []
    articles = list(read_articles(paths, on_error=errors.append, **options))
    return articles, errors


def test_plain_text_file_is_one_article_named_after_the_file(sample_path):
    articles, errors = collect([sample_path])
    assert errors == []
    assert len(articles) == 1
    assert articles[0].id == sample_path.name
    assert "Latakia" in articles[0].text


def test_html_page_keeps_main_text_and_metadata(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Jets in Syria</title>"
        '<meta property="article:published_time" content="2015-09-18"></head><body>'
        "<nav>Home | World | Sports</nav><article><h1>Jets in Syria</h1>"
        "<p>Four attack jets landed at an air base near Latakia, the defense official said on Friday.</p>"
        "<p>The deployment follows weeks of satellite imagery showing equipment arriving in Syria.</p>"
        "</article><footer>Copyright</footer></body></html>", encoding="utf-8")
    articles, errors = collect([page])
    assert errors == []
    assert "Latakia" in articles[0].text
    assert "Home | World" not in articles[0].text
    assert articles[0].title == "Jets in Syria"
    assert articles[0].published == "2015-09-18"


def test_jsonl_corpus_skips_a_bad_row_and_names_its_line(tmp_path: Path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": 1, "text": "Troops arrived in Kyiv.", "published": "2022-02-01"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "3", "text": ""}) + "\n"
        + json.dumps({"id": "4", "text": "Ships left Sevastopol.", "url": "https://example.org/a"}) + "\n",
        encoding="utf-8")
    articles, errors = collect([corpus])
    assert [a.id for a in articles] == ["1", "4"]
    assert articles[0].published == "2022-02-01"
    assert articles[1].url == "https://example.org/a"
    assert any(":2:" in str(e) and "not valid JSON" in str(e) for e in errors)
    assert any(":3:" in str(e) and "text" in str(e) for e in errors)


def test_csv_corpus_with_quoted_newlines_and_a_short_row(tmp_path: Path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text('id,text,title\n1,"Tanks moved\nto Donetsk.",First\n2,"Jets over Aleppo",Second,extra\n'
                      '3,Drones hit Odesa,Third\n', encoding="utf-8")
    articles, errors = collect([corpus])
    assert [a.id for a in articles] == ["1", "3"]
    assert articles[0].text == "Tanks moved\nto Donetsk."
    assert articles[0].title == "First"
    assert len(errors) == 1 and ":4:" in str(errors[0])


def test_csv_without_text_column_is_refused(tmp_path: Path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("id,body\n1,hello\n", encoding="utf-8")
    articles, errors = collect([corpus])
    assert articles == []
    assert "'id' and 'text'" in str(errors[0])


def test_folder_is_read_recursively_in_name_order(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second text about Kharkiv.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First text about Mariupol.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    articles, errors = collect([tmp_path])
    assert [a.id for a in articles] == ["a.txt", "b/two.txt"]  # ids relative to the folder given
    assert errors == []


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Kyiv in cp1252: caf\u00e9".encode("cp1252"), "not valid utf-8"),
])
def test_unreadable_text_file_gives_one_line_error_naming_the_file(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    articles, errors = collect([path])
    assert articles == []
    assert len(errors) == 1
    text = str(errors[0])
    assert str(path) in text and message in text.lower() and "\n" not in text


def test_other_encodings_are_read_when_named(tmp_path: Path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Troops near Besan\u00e7on.".encode("latin-1"))
    articles, _ = collect([path], encoding="latin-1")
    assert articles[0].text == "Troops near Besan\u00e7on."


def test_missing_path_is_reported_and_the_rest_goes_on(tmp_path: Path, sample_path):
    articles, errors = collect([tmp_path / "nope.txt", sample_path])
    assert len(articles) == 1
    assert isinstance(errors[0], MissingInputError)


def test_default_handler_raises():
    with pytest.raises(MissingInputError):
        list(read_articles(["/no/such/file.txt"]))
