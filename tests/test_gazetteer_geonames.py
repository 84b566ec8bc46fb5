"""tracker gazetteer build: a full gazetteer from GeoNames dumps (a fixture in the dump format)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tracker.cli.main import main
from tracker.gazetteer.geonames import build_from_geonames
from tracker.common.resources import data_file
from tracker.gazetteer.index import GAZETTEER_ENVIRONMENT, Gazetteer, default_gazetteer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geonames"


def _zipped(tmp_path: Path, name: str, member: str, source: Path) -> Path:
    """The fixture packed as GeoNames ships it: a zip holding the .txt and a readme."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(source, member)
        archive.writestr("readme.txt", "GeoNames dump fixture written for the tracker's tests\n")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("geonames")
    dump = _zipped(folder, "UA_SY.zip", "UA_SY.txt", FIXTURES / "UA_SY.txt")
    alternates = _zipped(folder, "alternateNamesV2.zip", "alternateNamesV2.txt", FIXTURES / "alternateNamesV2.txt")
    output = folder / "war.sqlite"
    assert main(["gazetteer", "build", "--geonames", str(dump), str(alternates), "-o", str(output)]) == 0
    return output


def _places(gazetteer: Gazetteer, name: str) -> list:
    return [c.place for c in gazetteer.lookup(name)]


def test_villages_divisions_and_airfields_of_the_dump_are_added(built):
    gazetteer = Gazetteer(built)
    village = next(p for p in _places(gazetteer, "Kvitkove") if p.geonameid == 99000001)
    assert (village.country_code, village.admin1_code, village.feature_code) == ("UA", "08", "PPL")
    assert any(p.feature_code == "ADM3" for p in _places(gazetteer, "Kvitkivska Hromada"))
    assert any(p.feature_code == "AIRF" for p in _places(gazetteer, "Zuhur Airfield"))
    assert not _places(gazetteer, "Kvitkove Lake")  # a lake is not a place the tracker places


@pytest.mark.parametrize("spelling", ["Kvitkovoye", "Kvitkovoe", "Kvitkovo"])
def test_alternate_names_from_the_dump_column_and_from_alternate_names_v2(built, spelling):
    assert 99000001 in {p.geonameid for p in _places(Gazetteer(built), spelling)}


def test_a_place_of_the_base_gains_the_dumps_names_and_is_not_doubled(built):
    gazetteer = Gazetteer(built)
    assert {p.geonameid for p in _places(gazetteer, "Xarkiv")} == {706483}
    assert sqlite3.connect(built).execute("SELECT count(*) FROM places WHERE geonameid = 706483").fetchone()[0] == 1


def test_codes_links_and_unknown_places_of_alternate_names_are_left_out(built):
    connection = sqlite3.connect(built)
    assert not connection.execute("SELECT 1 FROM names WHERE key IN ('61000', 'nowhere in the gazetteer')").fetchall()
    assert not connection.execute("SELECT 1 FROM names WHERE key LIKE 'https%kvitkove%'").fetchall()


def test_transliterations_of_new_villages_are_folded(built):
    # neither spelling is in the dump: "Tell Zuhur" and "Tal Zouhour" meet "Tall Zuhur" by folding
    assert 99000002 in {p.geonameid for p in _places(Gazetteer(built), "Tell Zuhur")}


def test_the_bundled_gazetteer_is_the_base_and_stays_as_it_was(built, gazetteer):
    assert sqlite3.connect(built).execute("SELECT count(*) FROM places").fetchone()[0] > 290_000
    assert not _places(gazetteer, "Kvitkove")


def test_geoparse_with_the_built_gazetteer_places_the_village(built, tmp_path, capsys):
    article = tmp_path / "report.txt"
    article.write_text("Russian forces shelled Kvitkove on Tuesday, the governor of the Kherson region said.",
                       encoding="utf-8")
    assert main(["geoparse", str(article), "--gazetteer", str(built)]) == 0
    toponyms = json.loads(capsys.readouterr().out)["toponyms"]
    village = next(t for t in toponyms if t["text"] == "Kvitkove")
    assert (village["geonameid"], village["precision"]) == (99000001, 1)


@pytest.mark.parametrize("note, village", [
    ("On 5 March 2022, Russian forces shelled Kvitkove, Kherson oblast.", "Kvitkove"),
    ("On 6 March 2022, Russian forces shelled Dubrivka Mala, Kyiv oblast.", "Dubrivka Mala"),
])
def test_a_village_placed_at_its_area_by_the_bundled_gazetteer_gets_its_own_point_from_the_dump(
        built, tmp_path, capsys, note, village):
    """Issue 21: the names a note's area places (feature code AREA, precision 2) are villages the
    bundled gazetteer lacks; the full dump has them."""
    article = tmp_path / "note.txt"
    article.write_text(note, encoding="utf-8")
    found = {}
    bundled = data_file("gazetteer.sqlite")
    for gazetteer in (bundled, built):
        assert main(["geoparse", str(article), "--gazetteer", str(gazetteer)]) == 0
        found[gazetteer] = next(t for t in json.loads(capsys.readouterr().out)["toponyms"] if t["text"] == village)
    assert (found[bundled]["feature_code"], found[bundled]["precision"], found[bundled]["geonameid"]) == ("AREA", 2, None)
    assert found[built]["feature_code"] == "PPL" and found[built]["precision"] == 1 and found[built]["geonameid"]


def test_the_environment_names_the_gazetteer(built, monkeypatch):
    monkeypatch.setenv(GAZETTEER_ENVIRONMENT, str(built))
    assert default_gazetteer().path == built
    monkeypatch.delenv(GAZETTEER_ENVIRONMENT)
    assert default_gazetteer().path.name == "gazetteer.sqlite"


def test_a_missing_gazetteer_is_a_usage_error(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Kyiv", encoding="utf-8")
    assert main(["geoparse", str(article), "--gazetteer", str(tmp_path / "none.sqlite")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_min_population_leaves_out_small_villages_and_lines_not_in_the_format_are_counted(tmp_path):
    summary = build_from_geonames([FIXTURES / "UA_SY.txt"], tmp_path / "towns.sqlite", min_population=100)
    gazetteer = Gazetteer(summary.output)
    assert not _places(gazetteer, "Kvitkove") and _places(gazetteer, "Kvitkivska Hromada")
    assert summary.malformed_lines == 1


def test_an_output_over_an_input_is_refused(tmp_path):
    from tracker.errors import OutputError

    dump = tmp_path / "UA.txt"
    dump.write_bytes((FIXTURES / "UA_SY.txt").read_bytes())
    with pytest.raises(OutputError):
        build_from_geonames([dump], dump)
    assert dump.read_bytes() == (FIXTURES / "UA_SY.txt").read_bytes()


def test_a_zip_without_one_data_file_is_an_input_error(tmp_path):
    from tracker.errors import InputError

    empty = tmp_path / "UA.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no data")
    with pytest.raises(InputError):
        build_from_geonames([empty], tmp_path / "out.sqlite")
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".out*"))
