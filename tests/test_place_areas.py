"""Parts of a country and waters off a coast (issue 20): "eastern Ukraine", "off Venezuela".

Every sentence here is written for the test; none comes from a benchmark article.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tracker.pipelines.extract import default_extractor
from tracker.sources.articles import article_from_text


def rows(text: str):
    return default_extractor()(replace(article_from_text(text), published="2026-01-15")).deployments


@pytest.mark.parametrize("text, label, lon_side", [
    ("Russian tanks were seen in eastern Ukraine, satellite images show.", "eastern Ukraine", "east"),
    ("Turkey sent 20 tanks into northern Syria, officials said.", "northern Syria", "north"),
    ("Belarus moved 30 howitzers to western Belarus, the ministry said.", "western Belarus", "west"),
])
def test_a_direction_before_a_country_is_that_part_of_it(text, label, lon_side):
    (row,) = rows(text)
    assert row.place == label and row.precision == 2
    whole = next(t for t in default_extractor()(article_from_text(text)).toponyms if t.text in label)
    if lon_side == "east":
        assert row.lon > whole.lon + 1
    elif lon_side == "west":
        assert row.lon < whole.lon - 0.5
    else:
        assert row.lat > whole.lat + 0.5


def test_warships_off_a_coast_are_at_sea_beside_it_not_inland():
    (row,) = rows("The U.S. Navy has deployed three destroyers to the Caribbean off the coast of Venezuela.")
    assert row.place == "Caribbean Sea off Venezuela" and row.precision == 2
    assert 10.0 < row.lat < 13.5  # the coast, not Venezuela's centre (about 8 N) nor the sea's (15 N)


def test_warships_in_waters_around_an_island():
    (row,) = rows("Chinese warships sailed in waters around Taiwan on Monday, the defence ministry said.")
    assert row.place == "waters off Taiwan" and row.precision == 2


def test_a_direction_before_a_sea_is_the_region_of_reporting():
    (row,) = rows("Two Russian frigates are operating in the eastern Mediterranean, NATO said.")
    assert row.place == "Eastern Mediterranean" and row.lon > 28


def test_a_tank_off_the_road_is_no_ship_at_sea():
    (row,) = rows("Two Russian tanks were spotted off a road near Kharkiv, officials in Kyiv said.")
    assert row.place == "Kharkiv"
