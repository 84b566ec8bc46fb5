"""Counts read before an equipment mention, on sentences written for these tests."""

from __future__ import annotations

import pytest

from tracker.recognize.counts import parse_count, parse_number
from tracker.recognize.equipment import default_lexicon
from tracker.recognize.toponyms import load_language_model


def count_of(text):
    nlp = load_language_model(parse=True)
    doc = nlp(text)
    match = [m for m in default_lexicon().find(text) if m.category not in ("personnel", "equipment")][0]
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    result = parse_count(doc, span.start, span.end)
    return result.count, result.qualifier, result.count_max


@pytest.mark.parametrize("text, expected", [
    ("Four Russian attack helicopters arrived.", (4, "exact", None)),
    ("Twenty-eight jets landed at the base.", (28, "exact", None)),
    ("The army moved 1,000 tanks to the border.", (1000, "exact", None)),
    ("A dozen howitzers were seen.", (12, "exact", None)),
    ("Half a dozen drones were launched from the ship.", (6, "exact", None)),
    ("A pair of fighter jets escorted them.", (2, "exact", None)),
    ("An attack helicopter crashed.", (1, "exact", None)),
    ("At least 28 warplanes took part.", (28, "at_least", None)),
    ("More than 20 tanks crossed the river.", (20, "at_least", None)),
    ("Up to eight frigates may sail.", (8, "at_most", None)),
    ("About 30 armored vehicles were spotted.", (30, "about", None)),
    ("Between 14 and 20 howitzers were moved.", (14, "range", 20)),
    ("Satellite images show 14-20 tanks at the depot.", (14, "range", 20)),
    # a date before a headline is no count ("01-19" is no range of 1 to 19)
    ("updated 2022-03-17 Russia Deploys More Tanks to Belarusian Border", (None, "unknown", None)),
    ("19.01.2018 Army Moves Tanks", (None, "unknown", None)),
    ("Satellite photos show 16 attack and transport helicopters on the apron.", (16, "exact", None)),
    ("Four attack and four transport helicopters arrived.", (4, "exact", None)),
    ("Troops and armored vehicles arrived.", (None, "unknown", None)),
    ("The army received four new, German-made battle tanks at the depot.", (4, "exact", None)),
    ("Imagery: 3 x Su-34 bombers on the apron.", (3, "exact", None)),
    ("Several warships left port.", (None, "vague", None)),
    ("Dozens of tanks rolled in.", (None, "vague", None)),
    ("Tanks rolled into the town.", (None, "unknown", None)),
    ("Two battalions of tanks moved north.", (None, "unknown", None)),
    ("The base receives two helicopters a day.", (None, "unknown", None)),
    ("Russia sent F-35s.", (None, "unknown", None)),
    # a number after a type's word names the type: "Project 636", "Type 054A", "Block 70"
    ("Satellite photos show the Project 636 submarine in dry dock.", (None, "unknown", None)),
    ("Block 70 F-16 jets were delivered last year.", (None, "unknown", None)),
    # a number in a name is no count; after a receiving place or a date it is
    ("The Swedish Army's Stridsfordon 90 infantry fighting vehicles arrived overnight.", (None, "unknown", None)),
    ("Washington will send Kyiv 31 Abrams tanks.", (31, "exact", None)),
    ("On Monday 20 tanks crossed the river.", (20, "exact", None)),
    # a calibre or a size is no count, and the count before it still is
    ("The army moved 155mm howitzers to Leh.", (None, "unknown", None)),
    ("India sent twelve 155-mm howitzers to Leh.", (12, "exact", None)),
    ("A 112-metre landing ship sank off Crimea.", (1, "exact", None)),
    ("A 40-year-old frigate left port.", (1, "exact", None)),
])
def test_counts(text, expected):
    assert count_of(text) == expected


def test_definite_phrase_is_flagged():
    nlp = load_language_model(parse=True)
    doc = nlp("The eight helicopters are based outside the city.")
    assert parse_count(doc, 2, 3).definite and parse_count(doc, 2, 3).count == 8


@pytest.mark.parametrize("words, value", [
    (["four"], 4), (["twenty-eight"], 28), (["1,000"], 1000), (["two", "hundred"], 200), (["1.5", "million"], 1_500_000),
    (["dozen"], None), (["zzz"], None), ([], None),
])
def test_parse_number_and_the_limits_of_text2num(words, value):
    assert parse_number(words) == value


def test_a_number_before_two_kinds_counts_them_together():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    def counts(text):
        return sorted((r.category, r.count) for r in default_extractor()(Article(id="x", text=text, source="t")).deployments)
    assert counts("Pakistan moved 25 tanks and armored vehicles to Sialkot on Monday.") == \
        [("armored_vehicle", None), ("tank", None)]
    # one kind, or numbers of their own, keep their counts
    assert counts("Pakistan moved 25 armored vehicles and personnel carriers to Sialkot on Monday.") == \
        [("armored_vehicle", 25)]
    assert counts("Pakistan moved 25 tanks and six howitzers to Sialkot on Monday.") == \
        [("artillery", 6), ("tank", 25)]
    assert counts("Pakistan moved 25 tanks and other armored vehicles to Sialkot on Monday.") == \
        [("armored_vehicle", None), ("tank", 25)]
    assert counts("About 50 soldiers, three UH-60 helicopters and equipment arrived in Sialkot.") == \
        [("helicopter", 3)]
