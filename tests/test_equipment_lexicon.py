"""The equipment lexicon on sentences written for these tests."""

from __future__ import annotations

import pytest

from tracker.recognize.equipment import CATEGORIES, ROLES, default_lexicon


def found(text):
    return [(m.text, m.category, m.role, m.model) for m in default_lexicon().find(text)]


@pytest.mark.parametrize("text, expected", [
    ("Two attack helicopters landed.", ("attack helicopters", "helicopter", "attack", None)),
    ("A helicopter gunship circled.", ("helicopter gunship", "helicopter", "attack", None)),
    ("Three main battle tanks moved.", ("main battle tanks", "tank", "unknown", None)),
    ("Six MLRS fired.", ("MLRS", "artillery", "unknown", None)),
    ("Twelve Su-24M bombers took off.", ("Su-24M bombers", "aircraft", "bomber", "Su-24")),
    ("Four Mi-35 helicopters arrived.", ("Mi-35 helicopters", "helicopter", "attack", "Mi-35")),
    ("The T-72B3s rolled in.", ("T-72B3s", "tank", "unknown", "T-72")),
    ("An S-400 battery was seen.", ("S-400", "air_defense", "unknown", "S-400")),
    ("Two F-35s landed.", ("F-35s", "aircraft", "fighter", "F-35")),
    ("A frigate docked.", ("frigate", "ship", "frigate", None)),
    ("Three transport planes arrived.", ("transport planes", "aircraft", "transport", None)),
])
def test_terms_and_designations(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "The think tank published a report.",
    "A fuel tank exploded at the farm.",
    "Drone strikes hit the convoy.",
    "Artillery fire echoed all night.",
    "The Apache tribe held a meeting.",
    "A passenger jet landed in Rome.",
])
def test_look_alikes_are_not_equipment(text):
    assert [f for f in found(text) if f[1] not in ("personnel", "equipment")] == []


def test_ordinary_word_designation_needs_an_equipment_word_nearby():
    assert ("Apache helicopters", "helicopter", "attack", "AH-64") in found("Two Apache helicopters landed.")
    assert found("Apache leaders met.") == []


def test_every_term_has_a_known_category_and_role():
    for term in default_lexicon().terms:
        assert term.category in CATEGORIES + ("personnel", "equipment")
        assert term.role in ROLES.get(term.category, ("unknown",))


def test_fighters_are_people_unless_jets():
    assert ("fighters", "personnel", "unknown", None) in found("Hundreds of fighters joined.")
    assert ("fighter jets", "aircraft", "fighter", None) in found("Two fighter jets scrambled.")


@pytest.mark.parametrize("text", [
    "Strikes destroyed four UAV construction facilities.",
    "The airstrikes destroyed 967 vehicle bombs.",
    "A vehicle-borne device exploded.",
    "The tank depot was hit.",
])
def test_facilities_and_bombs_named_after_equipment_are_not_equipment(text):
    assert [f for f in found(text) if f[1] not in ("personnel", "equipment")] == []


@pytest.mark.parametrize("text, expected", [
    ("four Su-30 “Flanker” jets landed", ("aircraft", "fighter", "Su-30")),
    ("three Mi-35 “Hind” gunships flew low", ("helicopter", "attack", "Mi-35")),
    ("Mi-8 (Hip) helicopters landed", ("helicopter", "transport", "Mi-8")),
])
def test_a_nickname_after_a_designation_is_the_same_mention(text, expected):
    """The reporting name in quotes or brackets names the designation's thing: one mention, whose
    role is the text's own word ("gunships"), not a second group of the nickname's family."""
    matches = [m for m in default_lexicon().find(text) if m.category != "personnel"]
    assert [(m.category, m.role, m.model) for m in matches] == [expected]


def test_an_air_defence_unit_is_its_system():
    assert [(m.category, m.model) for m in default_lexicon().find("Russia moved two S-400 units north.")] == [
        ("air_defense", "S-400")]


def test_a_nickname_of_another_family_before_a_kind_word_is_that_kind():
    """"Foxhound" is the MiG-31's reporting name, and a British armoured vehicle's name."""
    assert [(m.category, m.model) for m in default_lexicon().find("Britain sent Foxhound armoured vehicles.")] == [
        ("armored_vehicle", None)]
    assert [(m.category, m.model) for m in default_lexicon().find("the Patriot weapon system")] == [
        ("air_defense", "Patriot")]


def test_a_kind_word_in_a_units_name_is_no_mention():
    assert found("Crews of the 31st Fighter Wing and the 4th Tank Brigade met Kurdish fighters.") == [
        ("fighters", "personnel", "unknown", None)]


@pytest.mark.parametrize("text, category, model", [
    ("Two Buk launchers were moved to the ridge.", "air_defense", "Buk"),
    ("The navy sent two Type 052D destroyers south.", "ship", "Type 052D"),
    ("Four Gripen fighters scrambled.", "aircraft", "JAS 39 Gripen"),
    ("Six K9 howitzers arrived by rail.", "artillery", "K9 Thunder"),
    ("Two Lakota helicopters landed.", "helicopter", "UH-72"),
])
def test_types_often_reported_and_a_name_before_its_kind(text, category, model):
    assert [(m.category, m.model) for m in default_lexicon().find(text) if m.category != "personnel"] == [
        (category, model)]


def test_a_police_dog_unit_is_no_howitzer():
    assert default_lexicon().find("The sheriff's K9 unit searched the woods.") == []


def test_carrier_before_a_warships_name_is_the_aircraft_carrier():
    assert [(m.text, m.role, m.named) for m in default_lexicon().find("The carrier USS Nimitz sailed south.")] == [
        ("carrier USS Nimitz", "carrier", True)]
    assert default_lexicon().find("The carrier said flights to Dubai would resume.") == []


def test_an_air_defence_systems_missiles_are_the_system():
    assert [(m.category, m.model) for m in default_lexicon().find("They deployed NASAMS air defence missiles.")] == [
        ("air_defense", "NASAMS")]


def test_patriot_written_in_lowercase_before_its_kind_is_the_system():
    assert [(m.category, m.model) for m in default_lexicon().find("They sent patriot missile batteries north.")] == [
        ("air_defense", "Patriot")]
    assert default_lexicon().find("She was a true patriot all her life.") == []


@pytest.mark.parametrize("text, category", [
    ("The army flew in remotely piloted aircraft (RPAs) on Monday.", "drone"),
    ("The battalion has about ten anti-armor systems.", "missile"),
    ("Rebels fired ATGMs at the column.", "missile"),
])
def test_the_staff_words_for_drones_and_anti_tank_missiles(text, category):
    assert [m.category for m in default_lexicon().find(text) if m.category != "personnel"] == [category]


def test_a_ships_kind_in_apposition_after_its_name_is_the_same_ship():
    matches = default_lexicon().find("The HMS Astute, a nuclear-powered submarine, docked at Gibraltar.")
    assert [(m.role, m.named) for m in matches] == [("submarine", True)]
    # two ships side by side stay two
    assert len(default_lexicon().find("The HMS Astute and a frigate docked at Gibraltar.")) == 2


def test_a_list_of_named_ships_after_their_plural_kind_is_one_group():
    matches = default_lexicon().find("The frigates HMS Kent, HMS Argyll and HMS Iron Duke left Plymouth.")
    assert [(m.role, m.named) for m in matches] == [("frigate", True)]



def test_a_list_of_names_alone_is_one_group_counting_them_but_kinds_keep_ships_apart():
    # CONVENTIONS: "A list of named ships counts them"
    (match,) = default_lexicon().find("The USS Thomas Hudner and the USS Donald Cook sailed into Souda Bay.")
    assert match.named and match.text.count("USS") == 2
    # one navy's list: ships of two navies are two groups with two owners
    assert len(default_lexicon().find("HMS Kent and the USS Mason sailed into the Gulf of Aden.")) == 2
    assert len(default_lexicon().find("HMS Kent, HMS Argyll and HMS Iron Duke left Plymouth.")) == 1
    # ships of different hull kinds, or with a kind word of their own, are groups of their own
    assert len(default_lexicon().find("USS Carney (DDG 64) and USS Bataan (LHD 5) left Norfolk.")) == 2
    assert len(default_lexicon().find("The USS Bataan and the destroyer USS Mason left Norfolk.")) == 2


@pytest.mark.parametrize("text, category", [
    ("Two anti-air batteries were hit.", "air_defense"),
    ("The army moved infantry combat vehicles forward.", "armored_vehicle"),
    ("A navy supply ship docked at dawn.", "ship"),
    ("Two survey ships sailed south.", "ship"),
    ("Guards in fast attack craft circled the tanker.", "ship"),
    ("Satellite photos show four mobile launchers near the coast.", "missile"),
])
def test_kind_words_of_south_asian_and_wire_reporting(text, category):
    assert [m.category for m in default_lexicon().find(text)] == [category]


def test_roles_are_the_conventions_list():
    # the gold's role list has no utility, tanker or patrol: APP-6's utility helicopters are
    # transport, tankers and patrol boats "other", as the annotators write them
    conventions = {"attack", "bomber", "carrier", "cruiser", "destroyer", "fighter", "frigate", "landing",
                   "multirole", "other", "reconnaissance", "submarine", "transport", "unknown"}
    assert set().union(*ROLES.values()) <= conventions
    found = [(m.model, m.role) for m in default_lexicon().find(
        "Four UH-60 Black Hawk helicopters, two KC-135 tankers and a patrol boat arrived.")]
    assert found == [("UH-60", "transport"), ("KC-135", "other"), (None, "other")]
    # the head noun gives the role: "strike fighters" are fighters, as "attack fighter jets" are
    assert [m.role for m in default_lexicon().find("Two strike fighters arrived.")] == ["fighter"]


@pytest.mark.parametrize("text, models", [
    ("The IAF deployed its Su-30 MKI and Jaguar jets to Leh.", ["Su-30", "Jaguar"]),
    ("The airport is home to the navy's Mi-14P and Ka-28 helicopters.", ["Mi-14", "Ka-27"]),
    ("India moved Sukhoi-30s and upgraded MiG-29s to Ladakh.", ["Su-30", "MiG-29"]),
    ("Tejas fighter planes and Prachand helicopters moved to the western front.", ["Tejas", "Prachand"]),
    ("Britain sent Tornado jets and Wildcat helicopters to Cyprus.", ["Tornado", "AW159"]),
])
def test_types_of_south_asian_and_european_forces_are_known(text, models):
    assert [m.model for m in default_lexicon().find(text)] == models


def test_a_storm_named_like_a_fighter_is_no_aircraft():
    assert all(m.model is None for m in default_lexicon().find("Typhoon Haiyan damaged aircraft at Clark Air Base."))
