"""Every verb, fed broken input: a one-line error, a documented exit code, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

VERBS = ("geoparse", "extract", "map", "report")
GOOD = "Four Russian attack helicopters arrived in Latakia on Friday."


def tracker(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def output_for(verb: str) -> list[str]:
    return {"geoparse": [], "extract": ["-o", "out.geojson"], "map": ["-o", "out.html"], "report": ["-o", "r.html"]}[verb]


def make(tmp: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp / "missing.txt"
    if kind == "empty-folder":
        (tmp / "empty").mkdir()
        return tmp / "empty"
    if kind == "binary":
        path = tmp / "image.txt"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
        return path
    if kind == "non-utf8":
        path = tmp / "latin.txt"
        path.write_bytes("Troops moved from Besan\u00e7on to Z\u00fcrich on Monday.".encode("latin-1"))
        return path
    if kind == "empty":
        path = tmp / "empty.txt"
        path.write_text("")
        return path
    if kind == "huge":
        path = tmp / "huge.txt"
        with path.open("w") as handle:
            handle.write(("Kyiv. " * 100_000 + "\n") * 40)  # 24 MB
        return path
    raise ValueError(kind)


EXPECTED = {"missing": (2, "no such file"), "empty-folder": (3, "no article files"), "binary": (3, "binary"),
            "non-utf8": (3, "--encoding"), "empty": (3, "empty"), "huge": (3, "larger than")}


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_bad_input_is_one_line_and_an_exit_code(verb, kind, tmp_path):
    path = make(tmp_path, kind)
    result = tracker(verb, str(path), *output_for(verb), cwd=tmp_path)
    code, message = EXPECTED[kind]
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(message in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr and all(line.startswith("tracker: ") for line in lines)


@pytest.mark.parametrize("verb", VERBS)
def test_malformed_corpus_rows_are_named_and_the_rest_processed(verb, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n{broken\n" + json.dumps(["not", "an", "object"]) +
                      "\n" + json.dumps({"id": "d", "text": "Two frigates left Tartus."}) + "\n", encoding="utf-8")
    result = tracker(verb, str(corpus), *output_for(verb), cwd=tmp_path)
    assert result.returncode == 3
    assert f"{corpus}:2:" in result.stderr and f"{corpus}:3:" in result.stderr
    assert "Traceback" not in result.stderr
    if verb == "geoparse":
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "d"]


def test_malformed_html_is_read_or_refused_in_one_line(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><p>Tanks rolled into <b>Donetsk</b> on Monday, officials <i>said", encoding="utf-8")
    result = tracker("geoparse", str(page), cwd=tmp_path)
    assert result.returncode in (0, 3) and "Traceback" not in result.stderr


def test_auto_encoding_reads_latin1(tmp_path):
    path = make(tmp_path, "non-utf8")
    result = tracker("geoparse", str(path), "--encoding", "auto", cwd=tmp_path)
    assert result.returncode == 0 and "Besan\u00e7on" in result.stdout


def test_a_row_file_that_is_not_from_extract_is_refused(tmp_path):
    bogus = tmp_path / "bogus.geojson"
    bogus.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": 1}, '
                     '"geometry": {"type": "Point", "coordinates": [1, 2]}}]}', encoding="utf-8")
    result = tracker("map", str(bogus), "-o", "m.html", cwd=tmp_path)
    assert result.returncode == 3 and "category" in result.stderr
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = tracker("map", str(broken), "-o", "m.html", cwd=tmp_path)
    assert result.returncode == 3 and "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = tracker("--debug", "geoparse", str(tmp_path / "missing.txt"), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" in result.stderr
