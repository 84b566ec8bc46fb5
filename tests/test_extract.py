"""Equipment extraction end to end: status, owner, place, totals, on text written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas
import pytest

from tracker.pipelines.extract import default_extractor
from tracker.models import Article


def rows(text, published=None):
    article = Article(id="t", text=text, source="test", published=published)
    return [(d.category, d.role, d.count, d.actor, d.status, d.place) for d in default_extractor()(article).deployments]


def test_sample_article_gives_exactly_the_expected_rows(sample_path):
    text = sample_path.read_text(encoding="utf-8")
    result = default_extractor()(Article(id="s", text=text, source=str(sample_path)))
    got = {(d.category, d.role, d.count, d.actor, d.status) for d in result.deployments}
    assert got == {("helicopter", "attack", 4, "Russia", "arrived"),
                   ("helicopter", "transport", 4, "Russia", "arrived"),
                   ("tank", "unknown", None, "Russia", "arrived"),
                   ("aircraft", "attack", None, "Russia", "planned")}
    helicopters = [d for d in result.deployments if d.category == "helicopter"]
    assert all(d.place == "Latakia" and d.precision == 2 for d in helicopters)
    tanks = next(d for d in result.deployments if d.category == "tank")
    assert tanks.country_code == "SY" and tanks.lat == pytest.approx(35.5, abs=0.3)
    places = {t.country_code for t in result.toponyms if t.text in ("Crimean", "Ukraine")}
    assert places == {"UA"}


@pytest.mark.parametrize("text, status", [
    ("Two Chinese frigates arrived in Djibouti on Monday.", "arrived"),
    ("Two Chinese frigates are based in Djibouti.", "present"),
    ("China plans to send two frigates to Djibouti.", "planned"),
    ("Two Chinese frigates left Djibouti on Monday.", "departed"),
    ("Rebels captured two tanks near Aleppo.", "seized"),
    ("Ukrainian forces destroyed three Russian tanks near Kharkiv.", "destroyed"),
    # what was done to the group, told by a participle or a noun
    ("Satellite images show damage to two Russian warships in the port of Sevastopol.", "damaged"),
    ("Pictures showed two Russian warships struck by missiles in Sevastopol.", "damaged"),
    # a delivery taken is received, not captured
    ("Mali took delivery of four Mi-17 helicopters at the airport in Bamako on Tuesday.", "arrived"),
])
def test_status_from_the_verb(text, status):
    assert rows(text)[0][4] == status


def test_negated_deployment_is_not_a_row():
    assert rows("There is no evidence that Iranian drones arrived in Venezuela.") == []


def test_munitions_fired_are_not_deployments():
    assert [r for r in rows("The ship fired two cruise missiles at Yemen.") if r[0] == "missile"] == []


def test_owner_from_adjective_group_and_subject():
    assert rows("Five Turkish drones landed in Libya.")[0][3] == "Turkey"
    assert rows("Fourteen ISIL tanks were destroyed near Mosul.")[0][3] == "ISIL"
    assert rows("Russia is preparing to send fighter jets to Belarus.")[0][3] == "Russia"


def test_breakdown_total_is_not_counted_twice():
    got = rows("Russia deployed 28 jets to Syria: 12 Su-24s, 12 Su-25s and 4 Su-30s.")
    assert sorted(r[2] for r in got) == [4, 12, 12]


def test_restatement_gives_its_place_and_adds_no_row():
    got = rows("Three Russian tanks and two Russian howitzers arrived in Syria on Monday. "
               "The five vehicles are parked just outside Homs, officials said.")
    assert len(got) == 2
    assert {r[5] for r in got} == {"Syria"} or {r[5] for r in got} == {"Homs"}


def test_place_falls_back_to_an_earlier_sentence():
    got = rows("Fighting continued near Bakhmut. Two Ukrainian howitzers were destroyed.")
    assert got[0][5] == "Bakhmut"


def test_extract_cli_writes_every_format(sample_path, tmp_path):
    for name in ("out.gpkg", "out.geojson", "out.csv", "out.kml"):
        target = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "tracker.cli.main", "extract", str(sample_path), "-o", str(target)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 0
    frame = geopandas.read_file(tmp_path / "out.gpkg", layer="deployments")
    assert len(frame) == 4 and frame.crs.to_epsg() == 4326
    assert {"article_id", "category", "role", "count", "count_qualifier", "actor", "status", "place", "precision",
            "confidence", "quote", "start", "end"} <= set(frame.columns)
    assert len(geopandas.read_file(tmp_path / "out.gpkg", layer="places")) > 10
    collection = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 4
    assert (tmp_path / "out.places.geojson").exists()


def test_unknown_output_format_is_a_clear_error(sample_path, tmp_path):
    result = subprocess.run([sys.executable, "-m", "tracker.cli.main", "extract", str(sample_path), "-o",
                             str(tmp_path / "x.shp")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 6 and "unknown output format" in result.stderr


def test_withdrawal_is_placed_where_the_equipment_was():
    got = rows("Russia began withdrawing its warplanes from Syria on Tuesday.")
    assert got[0][4] == "departed" and got[0][5] == "Syria"


def test_keeping_is_presence_not_a_plan():
    assert rows("Russia will keep its S-400 systems at Hmeimim air base.")[0][4] == "present"


def test_a_sender_is_not_the_place_of_what_it_sends():
    got = rows("Germany will send 14 Leopard 2 tanks to Ukraine. Poland has also pledged 14 Leopard 2 tanks.")
    assert {(r[3], r[5]) for r in got} == {("Germany", "Ukraine"), ("Poland", "Ukraine")}
    assert rows("Ukraine has received 31 Abrams tanks from the United States.")[0][5] == "Ukraine"


def test_strike_report_style_sentences():
    got = rows("Near Ar Raqqah, five strikes destroyed two ISIL vehicles and a mortar system.")
    assert {r[0] for r in got} == {"vehicle", "artillery"}
    assert all(r[3] == "ISIL" and r[4] == "destroyed" for r in got)
    assert all(r[5] == "Ar Raqqah" for r in got)


def test_host_countries_are_not_owners():
    got = rows("Strikes hit targets in Syria and Iraq. Near Mosul, Iraq, one strike destroyed two tactical "
               "vehicles. ISIL fighters fled.")
    assert got and all(r[3] != "Iraq" for r in got)


def test_processes_write_the_same_rows(tmp_path):
    """`--processes 2` forks workers: the output is byte for byte the one process's."""
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    texts = ["Russia has moved six Su-35 fighter jets to an air base near Baranovichi in Belarus.",
             "The council approved a new budget for road repairs in Springfield.",
             "Ukrainian forces captured up to eight Russian T-72 tanks near Izium.",
             "Two U.S. Patriot batteries were being flown from Italy to Romania on Wednesday.",
             "A helicopter carrying tourists crashed near Queenstown, New Zealand."] * 2
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    outputs = []
    for processes in ("1", "2"):
        out = tmp_path / f"out{processes}.geojson"
        subprocess.run([sys.executable, "-m", "tracker.cli.main", "extract", str(corpus), "-o", str(out),
                        "--processes", processes, "--batch-size", "4"], check=True, capture_output=True, timeout=300)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])["features"]) == 6


def test_a_long_text_is_read_in_sections_with_the_articles_offsets():
    from tracker.pipelines.extract import SECTION_CHARS, default_extractor, sections_of
    from tracker.sources.articles import article_from_text

    paragraph = "Russia has moved six Su-35 fighter jets to an air base near Baranovichi in Belarus. " * 40
    text = "\n\n".join(f"{paragraph}Report {i}." for i in range(40))
    assert len(text) > SECTION_CHARS
    sections = sections_of(text)
    assert len(sections) >= 2 and sections[0][0] == 0 and sections[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(sections, sections[1:]))
    result = default_extractor()(article_from_text(text))
    assert result.deployments and all(text[d.start:d.end].startswith("Su-35") for d in result.deployments)
    assert all(text[t.start:t.end] == t.text for t in result.toponyms)


def test_a_town_that_shares_a_types_name_in_a_story_of_that_type_is_no_place():
    from tracker.models import Toponym
    from tracker.pipelines.extract import _names_no_place
    from tracker.recognize.equipment import default_lexicon

    text = "Patriots guard the desert\n\nThe battalion brought its Patriot missile system to Qatar."
    town = Toponym(start=0, end=8, text="Patriots", name="Patriot", lat=38.8, lon=-84.8, geonameid=1,
                   feature_code="PPL", country_code="US", admin1_code="IN", precision=1, confidence=0.5,
                   mention="name")
    assert _names_no_place(text, town, default_lexicon().find(text), frozenset())
    assert not _names_no_place("Patriots guard the desert", town, [], frozenset())


@pytest.mark.parametrize("text, actor", [
    ("The JMSDF sent two destroyers to the Sea of Japan on Monday.", "Japan"),
    ("The Bundeswehr moved 20 Leopard 2 tanks to Lithuania.", "Germany"),
])
def test_a_services_acronym_names_its_country(text, actor):
    assert rows(text)[0][3] == actor


def test_examples_of_a_kind_after_like_are_there_and_a_describing_participle_is_no_trade():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor
    text = "The IAF moved some of its frontline aircraft like Sukhoi-30s and upgraded MiG-29s to the Ladakh sector."
    rows = default_extractor()(Article(id="x", text=text, source="test")).deployments
    assert {r.model for r in rows} == {"Su-30", "MiG-29"}
    # a comparison and a trade stay what they are
    for text in ("Turkey's new trainer flies much like the U.S. F-16 does.", "India has upgraded its MiG-29s at Nashik.",
                 "Russia deployed bombers to Hmeimim, aircraft like the U.S. F-15E.",
                 "Poland ordered upgraded Leopard 2 tanks from Germany."):
        assert not any(r.model for r in default_extractor()(Article(id="x", text=text, source="test")).deployments)


def test_drones_brought_down_in_flight_are_munitions_but_drones_destroyed_where_they_stood_are_losses():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    def drones(text):
        rows = default_extractor()(Article(id="x", text=text, source="test")).deployments
        return [(r.count, r.place) for r in rows if r.category == "drone"]
    assert drones("The frigate destroyed nine drones over the Red Sea on Tuesday, the navy said.") == []
    assert drones("A strike destroyed three drones parked at the Saky airfield, Ukraine said.") == [(3, "Saki")]


def test_a_ships_kind_before_its_name_is_one_ship_but_not_in_a_headline():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    def ships(text):
        rows = default_extractor()(Article(id="x", text=text, source="test")).deployments
        return [(r.role, r.count) for r in rows if r.category == "ship"]
    assert ships("The Pacific Fleet's frigate Marshal Shaposhnikov was spotted near Urup on Saturday.") == [("frigate", 1)]
    assert ships("The frigate Sachsen docked in Kiel on Monday.") == [("frigate", 1)]
    assert ships("Russian Frigate Admiral Grigorovich Enters the Black Sea After Drills") == [("frigate", None)]
    # a plural kind counts itself
    assert ships("Two frigates docked in Kiel on Monday.") == [("frigate", 2)]


def test_the_weapons_of_a_strike_are_its_means_not_rows():
    def kinds(text):
        return [(r[0], r[2], r[4]) for r in rows(text)]
    # drones and missiles sent at a target, whoever launched them, and missiles brought down in flight
    assert kinds("Air defences over Kharkiv destroyed eleven Belarus-launched drones overnight.") == []
    assert kinds("Over Odesa the army shot down twelve strike drones that Iran launched on Friday.") == []
    assert kinds("Air defences over Haifa shot down two Iranian cruise missiles, the army said.") == []
    # the means of an attack on something else: by, with, the strikes of
    assert kinds("The Georgian corvette was sunk near Poti by Abkhaz naval drones.") == [("ship", None, "destroyed")]
    assert kinds("Kyiv said an operation with sea drones damaged a Russian corvette near Sevastopol.") == \
        [("ship", 1, "damaged")]
    assert kinds("After the strikes of Ukrainian drones, most bombers left the Engels airfield.") == \
        [("aircraft", None, "departed")]
    # a loss stays a loss, and launchers are not munitions
    assert kinds("The frigate shot down a Russian Orlan-10 drone over Kherson.") == [("drone", 1, "destroyed")]
    assert kinds("A strike destroyed two missile launchers near Kherson.") == [("missile", 2, "destroyed")]


def test_what_is_handed_over_belongs_to_its_receiver():
    def owners(text):
        return [(r[0], r[3]) for r in rows(text)]
    assert owners("Turkey delivered three T129 attack helicopters to the Somali government in Mogadishu.") == \
        [("helicopter", "Somalia")]
    assert owners("Russia has handed over four Mi-171 helicopters to Mali's air force at Bamako airport.") == \
        [("helicopter", "Mali")]
    assert owners("The United States delivered six A-29 aircraft to the Nigerian Air Force in Kano.") == \
        [("aircraft", "Nigeria")]
    # a deployment to a place keeps its owner
    assert owners("Russia delivered four Su-25 jets to Hmeimim air base on Monday.") == [("aircraft", "Russia")]
    assert owners("Russia sent four Su-25 jets to Syria on Monday.") == [("aircraft", "Russia")]


def test_the_sender_of_a_hand_over_is_no_place_of_it():
    assert [r[5] for r in rows("The Burkina Faso army received on Monday a dozen combat drones delivered by Turkey "
                               "to fight jihadist groups.")] == ["Burkina Faso"]


def test_the_transport_that_brought_the_cargo_is_no_row():
    def kinds(text):
        return [(r[0], r[2]) for r in rows(text)]
    assert kinds("A special plane has delivered four Mi-171 helicopters to Mali, the minister said.") == \
        [("helicopter", 4)]
    assert kinds("The cargo ship that brought 40 Abrams tanks docked in Gdansk on Monday.") == [("tank", 40)]
    # a transport plane that is itself the group stays
    assert kinds("Four C-130 transport aircraft arrived at Powidz air base on Monday.") == [("aircraft", 4)]


def test_a_line_pointing_to_another_story_gives_no_row():
    assert rows("READ: Russia sends two Tu-160 bombers to Venezuela") == []
    assert rows("Russia sends two Tu-160 bombers to Venezuela")[0][2] == 2


def test_a_sentence_saying_what_a_type_is_gives_no_row():
    assert rows("The Ka-52 helicopter is a Russian combat helicopter designed for close support.") == []
    assert rows("There is a Russian warship off the coast of Tartus.")[0][0] == "ship"


def test_a_units_home_base_after_from_is_the_origin():
    got = [(r.place, r.origin) for r in default_extractor()(Article(
        id="x", source="t", text="Three B-2 bombers from the 509th Bomb Wing at Whiteman Air Force Base, Missouri, "
                                 "deployed to Naval Support Facility Diego Garcia on Tuesday.")).deployments]
    assert got == [("Diego Garcia", "Whiteman Air Force Base")]


def test_a_ships_name_set_off_after_its_kind_is_no_place():
    assert [r[5] for r in rows("Images show the Chinese aircraft carrier, the Shandong, on Monday.")] == [None]
    assert [r[5] for r in rows("Images show the Chinese aircraft carrier in Shandong on Monday.")] == ["Shandong Sheng"]


def test_a_picture_captured_seizes_nothing():
    def statuses(text):
        return [r[4] for r in rows(text)]
    assert statuses("Maxar captured images of six Russian Su-34 bombers at Morozovsk airfield on Monday.") == ["present"]
    assert statuses("Satellite images captured by Maxar show six Su-34 bombers at Morozovsk airfield.") == ["present"]
    assert statuses("Ukrainian forces captured six Russian tanks near Izium on Monday.") == ["seized"]
    assert statuses("Satellite images show six Su-34 bombers destroyed at Morozovsk airfield.") == ["destroyed"]


def test_a_return_to_a_place_is_an_arrival_there_and_a_return_from_one_a_departure():
    assert [r[4] for r in rows("The aircraft carrier USS Eisenhower returned home to Norfolk on Sunday.")] == ["arrived"]
    assert [r[4] for r in rows("The aircraft carrier USS Eisenhower returned from the Red Sea on Sunday.")] == ["departed"]


def test_review_of_session_11_readings():
    # a type defined is no group, whatever follows
    assert rows("The Ka-52 is a Russian combat helicopter.") == []
    # a warship's own aircraft are no cargo; strikes are no cargo
    assert [r[0] for r in rows("The aircraft carrier brought 40 F-35 jets to the Mediterranean.")].count("ship") == 1
    assert [r[0] for r in rows("Russian warships delivered missile strikes on Odesa from the Black Sea.")] == ["ship"]
    # a drone launched from a base took off there; it was not shot at anything
    assert [r[0] for r in rows("Four Turkish Bayraktar TB2 drones launched from Odesa flew over Crimea.")] == ["drone"]
    # back to port or to sea leaves the place; a receiver right after the verb keeps the count
    assert [r[4] for r in rows("Six Russian warships returned to port after drills in the Black Sea.")] == ["departed"]
    assert [r[2] for r in rows("Russia gave Haftar 20 T-72 tanks in Benghazi.")] == [20]
    # a rescue operation is no attack
    assert [r[2] for r in rows("A rescue operation with two Chinook helicopters began in Kabul.")] == [2]
    # the Somali coast is a place
    assert [r[5] for r in rows("Two Chinese frigates patrolled off the Somali coast on Monday.")] != [None]


def test_a_drone_launched_from_somewhere_is_a_munition_only_when_brought_down():
    assert rows("The destroyer shot down six attack drones launched from Houthi-held areas in Yemen.") == []
    assert [r[0] for r in rows("Four Turkish Bayraktar TB2 drones launched from Odesa flew over Crimea.")] == ["drone"]


def test_a_move_under_way_is_planned_only_with_a_goal():
    assert [r[4] for r in rows("The Navy is also flying P-8 Poseidon surveillance aircraft over the Caribbean.")] \
        != ["planned"]
    assert [r[4] for r in rows("Two US destroyers are sailing toward the Persian Gulf.")] == ["planned"]


def test_a_plural_kind_before_a_list_of_names_counts_them():
    got = [(r[0], r[1], r[2]) for r in rows("The frigates Admiral Essen and Admiral Makarov and several small "
                                            "missile ships are moored in the port of Novorossiysk.")]
    assert got == [("ship", "frigate", 2), ("ship", "other", None)]
    # not in a title-case headline
    assert [r[2] for r in rows("Russian Frigates Admiral Essen And Admiral Makarov Enter Black Sea")] == [None]


def test_a_platforms_armament_and_quoted_names_and_pictures_taken():
    # missiles a ship carries are its armament
    assert [r[0] for r in rows("The submarine and frigate carry Kalibr cruise missiles, the ministry said in Havana.")] \
        == ["ship", "ship"]
    assert [r[0] for r in rows("Russia deployed Iskander missile launchers to Kaliningrad.")] == ["missile"]
    # a name in quotes after its kind is the ship's, not a town's
    assert {r[5] for r in rows('The Type 055 destroyer "Zunyi" and the Type 054A frigate “Hengyang” sailed into '
                               'the Tasman Sea.')} == {"Tasman Sea"}
    # a picture taken aboard a ship seizes nothing
    assert "seized" not in {r[4] for r in rows("The images were captured by US Navy personnel aboard the amphibious "
                                               "ship USS New Orleans in the Gulf.")}


def test_aircraft_delivering_weapons_in_a_strike_reports_boilerplate_are_no_rows():
    assert [r for r in rows("So having a single aircraft deliver a single weapon against a lone ISIL vehicle is one "
                            "strike, but so is multiple aircraft delivering dozens of weapons against a group of "
                            "buildings.") if r[0] == "aircraft"] == []
