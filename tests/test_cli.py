"""The command line, run as a user runs it: a real process, real files, exit codes and stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tracker.cli.main import VERBS, build_parser


def tracker(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker.cli.main", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_geoparse_sample_as_json_lines(sample_path, tmp_path):
    out = tmp_path / "places.jsonl"
    result = tracker("geoparse", str(sample_path), "--format", "jsonl", "-o", str(out))
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == sample_path.name
    text = sample_path.read_text(encoding="utf-8")
    fields = {"start", "end", "text", "name", "lat", "lon", "geonameid", "feature_code", "country_code",
              "precision", "confidence"}
    assert all(fields <= set(t) for t in record["toponyms"])
    assert all(text[t["start"]:t["end"]] == t["text"] for t in record["toponyms"])
    countries = {t["country_code"] for t in record["toponyms"]}
    assert {"SY", "UA", "RU", "US"} <= countries


def test_geoparse_geojson_from_stdin():
    result = tracker("geoparse", "-", "--format", "geojson", stdin="Ships sailed from Sevastopol to Tartus.")
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    texts = {f["properties"]["text"] for f in collection["features"]}
    assert {"Sevastopol", "Tartus"} <= texts
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["article_id"] == "stdin"


def test_corpus_with_a_bad_row_writes_the_rest_and_exits_3(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Tanks entered Kharkiv."}\n{"id": "b", "text": \n'
                      '{"id": "c", "text": "Jets left Latakia."}\n', encoding="utf-8")
    result = tracker("geoparse", str(corpus))
    assert result.returncode == 3
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    assert f"{corpus}:2:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("make_input, code, message", [
    (lambda d: d / "missing.txt", 2, "no such file"),
    (lambda d: (d / "empty.txt").write_text("") and d / "empty.txt" or d / "empty.txt", 3, "empty"),
    (lambda d: (d / "bin.txt").write_bytes(b"\x00\x01\x02") and d / "bin.txt", 3, "binary"),
])
def test_bad_input_gives_one_line_and_an_exit_code(tmp_path, make_input, code, message):
    path = make_input(tmp_path)
    result = tracker("geoparse", str(path))
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert any(message in line for line in lines)
    assert "Traceback" not in result.stderr
    assert all(line.startswith("tracker: ") for line in lines)


def test_output_into_a_folder_is_refused(tmp_path, sample_path):
    result = tracker("geoparse", str(sample_path), "-o", str(tmp_path))
    assert result.returncode == 6 and "is a folder" in result.stderr


def test_every_verb_is_documented_with_an_example():
    parser = build_parser()
    verbs = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    assert set(verbs) == {verb.__name__.rsplit(".", 1)[-1] for verb in VERBS}
    for name, sub in verbs.items():
        assert sub.description and "example:" in (sub.epilog or ""), name


@pytest.mark.parametrize("requested, count, expected", [
    (None, 1, 1), (None, 199, 1), (None, 200, "auto"), (None, 450, "auto"), (1, 450, 1), (3, 5, 3),
])
def test_processes_default_to_both_cores_only_for_a_large_input(monkeypatch, requested, count, expected):
    from tracker.cli import common
    from tracker.models import Article

    monkeypatch.setattr(common, "usable_cores", lambda: 2)
    articles = [Article(id=str(i), text=f"text {i}", source="test") for i in range(count)]
    processes, read = common.choose_processes(requested, iter(articles))
    assert processes == (2 if expected == "auto" else expected)
    assert list(read) == articles  # the articles read ahead to count them are not lost
