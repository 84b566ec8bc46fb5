"""Where each group is, one row per group, and what is no deployment at all (issue 13).

Every sentence here is written for the test; none comes from a benchmark article.
"""

from __future__ import annotations

import pytest

from tracker.pipelines.extract import default_extractor
from tracker.sources.articles import article_from_text
from tracker.link.linker import display_name
from tracker.models import Toponym


def deployments(text: str, published: str | None = "2026-01-15"):
    article = article_from_text(text)
    if published:
        from dataclasses import replace

        article = replace(article, published=published)
    return default_extractor()(article).deployments


# ---------------------------------------------------------------------------- places


@pytest.mark.parametrize("text, place, actor", [
    # a capital standing for its government sends; the group goes where the text puts it
    ("Ankara has dispatched ten tanks to the border town of Kilis, officials said.", "Kilis", "Turkey"),
    # the owner's own country is the sender, not the place
    ("France has sent eight Rafale jets to Greece for a joint exercise.", "Greece", "France"),
    # the officials' seat is no place of the group
    ("Poland will deploy 12 howitzers to Lublin, the defence ministry in Warsaw said.", "Lublin", "Poland"),
])
def test_the_sender_and_the_speaker_are_not_the_place(text, place, actor):
    (row,) = deployments(text)
    assert row.place == place and row.actor == actor


def test_the_officials_country_is_neither_place_nor_owner():
    (row,) = deployments("British officials said 30 drones were at the airfield outside Erbil, in northern Iraq.")
    assert row.place == "Erbil" and row.precision == 2
    assert row.actor != "United Kingdom"


def test_a_ships_name_is_no_town_and_counts_one_ship():
    (row,) = deployments("The destroyer USS Mason sailed into the Red Sea port of Jeddah on Monday.")
    assert (row.category, row.role, row.count, row.actor, row.place) == ("ship", "destroyer", 1, "United States",
                                                                        "Jeddah")


def test_a_move_is_stored_at_its_destination_with_its_origin():
    (row,) = deployments("Twenty Apache attack helicopters were moved from Germany to Lithuania.")
    assert (row.place, row.origin, row.count, row.status) == ("Lithuania", "Germany", 20, "arrived")
    assert row.origin_lat == pytest.approx(51.5, abs=1.5) and row.lat == pytest.approx(55.2, abs=1)


def test_a_group_leaving_a_place_is_at_that_place():
    (row,) = deployments("Russia withdrew about 40 armoured vehicles from positions near Kherson, Ukraine said.")
    assert (row.place, row.status, row.count_qualifier, row.origin) == ("Kherson", "departed", "about", None)


def test_a_place_the_gazetteer_lacks_is_not_taken_from_the_paragraph_before():
    rows = deployments("In Iraq:\n\n-- Near Mosul, a strike destroyed an ISIS tank.\n\n"
                       "-- Near Qzzwib, a strike destroyed two ISIS vehicles.")
    vehicles = next(r for r in rows if r.category == "vehicle")
    assert vehicles.place == "Iraq" and vehicles.precision == 3


def test_place_names_carry_no_punctuation():
    toponym = Toponym(0, 8, "Latakia,", "Latakia,", 35.5, 35.8, 1, "PPLA", "SY", "11", 1, 0.9)
    assert display_name(toponym) == "Latakia"


# ---------------------------------------------------------------------------- one row per group


def test_a_group_restated_in_headline_and_body_is_one_row_with_every_quote():
    rows = deployments("Russia moves fighter jets to Belarus\n\nRussia has moved six Su-35 fighter jets to an air "
                       "base near Baranovichi in Belarus, the ministry said. The six jets landed on Sunday.")
    (row,) = rows
    assert (row.count, row.model, row.place) == (6, "Su-35", "Baranovichi")
    assert "The six jets landed" in row.quote and "Russia has moved six" in row.quote


def test_a_total_split_in_the_next_sentence_gives_rows_for_the_parts_only():
    rows = deployments("China flew 30 combat aircraft into Taiwan's air defence zone on Friday. "
                       "The group included ten J-10s, ten J-11s and ten JH-7s.")
    assert sorted((r.model, r.count) for r in rows) == [("J-10", 10), ("J-11", 10), ("JH-7", 10)]


def test_the_same_count_at_two_towns_is_two_groups():
    rows = deployments("-- Near Mosul, a strike destroyed an ISIS vehicle.\n\n"
                       "-- Near Kirkuk, a strike destroyed an ISIS vehicle.")
    assert sorted(r.place for r in rows) == ["Kirkuk", "Mosul"]


# ---------------------------------------------------------------------------- status and owner


@pytest.mark.parametrize("text, expected", [
    ("Four more U.S. F-15 fighters will reinforce the six F-15s that already landed at Lask air base in Poland.",
     {(4, "planned"), (6, "arrived")}),
    ("Two U.S. Patriot batteries were being flown from Italy to Romania on Wednesday.", {(2, "planned")}),
    ("The Dutch F-35s at the air base in Bulgaria are being loaded for shipment home.", {(None, "departed")}),
    ("Ukrainian forces captured up to eight Russian T-72 tanks near Izium.", {(8, "seized")}),
])
def test_status_comes_from_the_groups_own_clause(text, expected):
    assert {(r.count, r.status) for r in deployments(text)} == expected


def test_a_seized_group_belongs_to_its_captor():
    (row,) = deployments("Ukrainian forces captured up to eight Russian T-72 tanks near Izium.")
    assert row.actor == "Ukraine" and row.count_qualifier == "at_most"


def test_the_owner_is_the_units_country_wherever_it_lands():
    (row,) = deployments("F-16s of the Texas Air National Guard landed at Amari air base in Estonia on Thursday.")
    assert row.actor == "United States" and row.country_code == "EE"


def test_what_a_strike_destroyed_belongs_to_the_armed_group_named():
    (row,) = deployments("U.S. forces conducted strikes against ISIS near Raqqa. The strikes destroyed four "
                         "tactical vehicles.")
    assert row.actor == "ISIL" and row.status == "destroyed"


# ---------------------------------------------------------------------------- not a deployment


@pytest.mark.parametrize("text", [
    "An ambulance and two police cars rushed to the scene of the crash on Main Street in Springfield, Illinois.",
    "A helicopter carrying tourists crashed near Queenstown, New Zealand, on Saturday.",
    "If a single jet were to strike the dam, the whole valley below Mosul would flood, the engineer warned.",
    "The airline will add three Airbus A320 airliners to its fleet in Dublin next year.",
    "My grandfather flew B-17 bombers over Germany in 1944, he told the reporter in Ohio.",
    "Analysts in London expect the economy to tank as exports fall.",
    "Police said the suspects fled in a vehicle that was later found burned out near Leeds.",
    "The United States approved a deal to sell Saudi Arabia 180 self-propelled howitzers.",
    "Attack and fighter aircraft conducted 15 strikes in Syria on Monday.",
    "Candidates must reach levels B1 and B2 of the framework to study in Europe.",
    # a budget's list and a picture's caption put nothing anywhere
    "The Senate bill adds $3.1bn for the Navy in Virginia, with money for six F-35 jets and two frigates.",
    "A Russian Su-35 fighter jet at Kubinka air base near Moscow (Source: Wikimedia Commons)",
    # how a type is described: its range, its warheads, its reporting name
    "The Iskander, a mobile ballistic missile system codenamed SS-26 by NATO, can carry nuclear warheads, officials "
    "in Kaliningrad said.",
    "The radar at the base in Qatar can detect drones, cruise missiles and aircraft at 75 km.",
    # the plane that carried the troops
    "U.S. Marines disembark a plane as they arrive at Darwin, Australia, on Tuesday.",
])
def test_not_a_military_deployment(text):
    assert deployments(text) == ()


def test_military_context_keeps_a_plain_word():
    (row,) = deployments("Syrian army helicopters were seen over Hama on Sunday.")
    assert (row.category, row.place) == ("helicopter", "Hama")


def test_a_dateline_is_where_the_story_was_filed_not_an_owner():
    (row,) = deployments("TAIPEI, Taiwan (AP) — China sent 12 J-16 fighters into Taiwan's air defense zone on Monday, "
                         "the ministry said.")
    assert (row.actor, row.count, row.model) == ("China", 12, "J-16")


def test_the_lead_sentence_of_a_dateline_without_a_place_is_at_the_dateline():
    (row,) = deployments("Guam ships in port\n\nAPRA HARBOR, Guam (May 15, 2023) – Sailors load supplies aboard the "
                         "amphibious assault ship USS Makin Island (LHD 8).")
    assert row.country_code == "GU" and row.actor == "United States" and row.role == "landing"


# ---------------------------------------------------------------------------- issue 20, wire copy


def test_a_place_inside_the_country_the_clause_names_is_the_place():
    """"to posts in Syria's Idlib province": the country only says whose the province is."""
    rows = deployments("ANKARA — The Turkish army dispatched 20 howitzers to its observation posts in Syria's "
                       "Idlib province overnight, the agency reported.")
    assert [(r.category, r.count, r.place) for r in rows] == [("artillery", 20, "Idlib")]


def test_a_headline_names_the_body_groups_whatever_its_adjective():
    """"Iranian Drones" in the headline are the body's drones (Iran made them; Russia has them)."""
    rows = deployments("Iranian Drones Spotted at Russian Base in Crimea\n\nKYIV — Ukrainian intelligence said "
                       "that Russia had stationed at least a dozen Iranian-made Shahed drones at an airfield near "
                       "Dzhankoi in northern Crimea.")
    assert [(r.category, r.count, r.actor) for r in rows] == [("drone", 12, "Russia")]


def test_a_distance_from_a_place_is_no_origin():
    (row,) = deployments("China has deployed six J-20 fighters at Shigatse airbase in Tibet, about 150 km from the "
                         "border with Sikkim, satellite images show.")
    assert (row.count, row.model, row.origin) == (6, "J-20", None)


def test_jets_sent_to_police_an_airspace_are_military_and_planned_where_they_will_be_based():
    rows = deployments("Britain will send two Typhoon jets to Romania next month to help police NATO's airspace "
                       "over the Black Sea. The jets will be based at Mihail Kogalniceanu air base near Constanta.")
    assert [(r.category, r.count, r.status) for r in rows] == [("aircraft", 2, "planned")]


@pytest.mark.parametrize("text, actor", [
    # the accused acts, not the accuser
    ("Armenia accused Azerbaijan of massing tanks and artillery near the village of Tegh.", "Azerbaijan"),
    # a force's owner word makes the owner, whether or not it is read as a place
    ("The Turkish army dispatched 20 howitzers to Idlib overnight.", "Turkey"),
    ("The Pakistani Air Force sent four JF-17 jets to Quetta.", "Pakistan"),
    # jets "from" a force are that force's, not from a place
    ("Three Su-35 jets from Russia's Aerospace Forces appeared at Hmeimim air base.", "Russia"),
])
def test_the_owner_is_who_the_clause_says_acts(text, actor):
    rows = deployments(text)
    assert rows and {r.actor for r in rows} == {actor}


def test_a_warning_from_a_capital_is_no_origin():
    (row,) = deployments("The Pentagon said two U.S. destroyers had entered the Black Sea, prompting a warning "
                         "from Moscow.")
    assert (row.count, row.actor, row.origin) == (2, "United States", None)


def test_a_headline_verb_does_not_overrule_the_body_status():
    rows = deployments("US sends Patriot battery to Saudi Arabia\n\nWASHINGTON (AP) — The Pentagon is sending a "
                       "Patriot missile battery to Saudi Arabia. The Patriot battery will be deployed at Prince "
                       "Sultan Air Base, south of Riyadh, officials said.")
    assert [(r.category, r.status, r.place) for r in rows] == [("air_defense", "planned", "Prince Sultan Air Base")]


def test_who_watches_a_group_does_not_own_it():
    rows = deployments("TAIPEI — Taiwan's defence ministry said it detected 11 Chinese warships and 30 military "
                       "aircraft around the island on Tuesday.")
    assert {(r.category, r.count, r.actor) for r in rows} == {("ship", 11, "China"), ("aircraft", 30, "China")}


def test_the_buyer_owns_what_its_maker_built():
    (row,) = deployments("Poland's defense minister said the first U.S.-made Abrams tanks bought by Warsaw will be "
                         "stationed in the eastern town of Siedlce.")
    assert (row.actor, row.status, row.place) == ("Poland", "planned", "Siedlce")


def test_a_purpose_or_a_cause_is_no_place_and_a_site_on_an_island_is():
    (row,) = deployments("DUBAI — Iran has deployed new anti-ship missile launchers on the disputed islands of Abu "
                         "Musa and Greater Tunb, state media reported, in a move likely to anger the United Arab "
                         "Emirates.")
    assert (row.category, row.place, row.actor) == ("missile", "Abu Musa", "Iran")


def test_a_countless_definite_restatement_gives_its_place_and_operating_from_is_where_it_is():
    rows = deployments("BRUSSELS — NATO will send AWACS surveillance planes to Romania to monitor Russian military "
                       "activity near Ukraine, the alliance said. The planes will fly from the alliance's base in "
                       "Geilenkirchen, Germany, and will operate from Otopeni air base near Bucharest.")
    assert [(r.category, r.status, r.place) for r in rows] == [("aircraft", "planned", "Otopeni")]


def test_a_bureau_dateline_and_a_reference_point_are_not_where_the_group_is():
    rows = deployments("KYIV — Ukraine's air force said on Sunday it had shot down two Russian Su-25 attack jets "
                       "over the Kherson region in the south of the country.")
    assert [(r.count, r.status, r.country_code, r.precision) for r in rows] == [(2, "destroyed", "UA", 3)]
    assert rows[0].place != "Kyiv"
    rows = deployments("The British aircraft carrier HMS Queen Elizabeth arrived at the U.S. naval base in "
                       "Yokosuka, south of Tokyo, on Saturday, accompanied by a Dutch frigate.")
    assert {(r.category, r.place) for r in rows} == {("ship", "Yokosuka")}


def test_the_aircraft_of_a_strike_report_that_returned_to_base_are_no_row():
    assert deployments("U.S. F-15E jets struck two depots near Mosul. Both aircraft returned safely to base, the "
                       "command said.") == ()


def test_ships_through_a_strait_are_in_it_and_a_ship_named_in_apposition_is_one_row():
    rows = deployments("The U.S. Navy guided-missile destroyer USS Chung-Hoon sailed through the Taiwan Strait on "
                       "Saturday, in a transit that China's military said it monitored. A Canadian frigate, HMCS "
                       "Montreal, sailed alongside it.")
    assert sorted((r.role, r.actor, r.place) for r in rows) == [
        ("destroyer", "United States", "Taiwan Strait"), ("frigate", "Canada", "Taiwan Strait")]


@pytest.mark.parametrize("text, status, place", [
    ("The U.S. Army jets are to be stationed at Lask air base.", "planned", "Lask"),
    ("The Polish army tanks are due to arrive in Siedlce next month.", "planned", "Siedlce"),
    # under way to where it is bound: planned at the destination, the port it left its origin
    ("The British destroyer left Portsmouth for the Black Sea on Monday.", "planned", "Black Sea"),
    ("Satellite images show the Russian tanks have left the base at Yelnya.", "departed", "Yelnya"),
])
def test_moves_to_come_and_moves_under_way(text, status, place):
    (row,) = deployments(text)
    assert (row.status, row.place) == (status, place)


def test_parts_take_the_totals_status_and_an_included_kind_is_part_of_its_group():
    rows = deployments("MOSCOW — Russia has deployed 28 combat aircraft to Syria's Hmeimim air base, a U.S. official "
                       "said. The aircraft include 12 Su-24 bombers, 12 Su-25 ground attack jets and four Su-30 "
                       "fighters. Russia has also sent 15 helicopters, including Mi-24 gunships.")
    assert sorted((r.category, r.count, r.status) for r in rows) == [
        ("aircraft", 4, "arrived"), ("aircraft", 12, "arrived"), ("aircraft", 12, "arrived"),
        ("helicopter", 15, "arrived")]


def test_a_restated_designation_is_its_own_group_not_the_last_one_named():
    rows = deployments("The U.S. has sent six F-22 Raptors to Poland and four F-35s to Estonia. The F-22s landed "
                       "at Lask air base on Monday. The F-35s arrived at Amari air base on Wednesday.")
    assert sorted((r.model, r.count, r.country_code) for r in rows) == [("F-22", 6, "PL"), ("F-35", 4, "EE")]


def test_a_units_home_station_is_the_origin_when_the_sentence_says_where_the_aircraft_went():
    (row,) = deployments("Six F-15Es from the 494th Fighter Squadron, both at Lakenheath in England, "
                         "landed at Incirlik Air Base in Turkey on Sunday.")
    assert (row.country_code, row.origin) == ("TR", "Lakenheath")
    (row,) = deployments("Six F-15Es of the 494th Fighter Squadron at RAF Lakenheath were grounded on Sunday.")
    assert row.country_code == "GB"


def test_a_bureau_dateline_and_its_country_are_no_place_of_ships_the_text_puts_at_sea():
    rows = deployments("DUBAI, United Arab Emirates (AP) — Iranian speedboats harassed a tanker in the Gulf of Oman "
                       "on Sunday, the U.S. Navy said. A U.S. destroyer and a British frigate answered the call "
                       "within minutes.")
    assert sorted((r.role, r.place) for r in rows) == [("destroyer", "Gulf of Oman"), ("frigate", "Gulf of Oman")]


def test_a_capital_standing_for_its_government_is_no_place_while_the_text_puts_things_elsewhere():
    rows = deployments("The army said on Friday it had destroyed twelve tanks and four howitzers. The war in the "
                       "Donbas, over which Kyiv and Moscow have quarrelled since 2014, flared again this week. Kyiv "
                       "says it will not give up.")
    assert {r.place for r in rows} == {"Donbas"}


def test_warships_in_a_sea_are_at_the_sea_not_at_a_town_named_elsewhere():
    rows = deployments("The Pentagon is sending ten F-35 jets to an air base near San Juan, Puerto Rico, officials "
                       "said. The jets will train with the Puerto Rico National Guard.\n\nAlready, eight U.S. "
                       "warships are operating in the Caribbean, among them three destroyers, the Navy said.")
    ships = [r for r in rows if r.category == "ship"]
    assert ships and {r.place for r in ships} == {"Caribbean Sea"}


def test_the_present_measured_against_the_past_is_no_history():
    (row,) = deployments("Five Super Cobra helicopters will join the Marines at Darwin next month, the largest "
                         "deployment of U.S. aircraft to Australia since World War II.")
    assert (row.category, row.count, row.status, row.place) == ("helicopter", 5, "planned", "Darwin")


def test_a_ship_that_transits_a_strait_is_in_it():
    (row,) = deployments("The carrier USS Nimitz transited the Strait of Malacca on Monday, the Navy said.")
    assert (row.role, row.place) == ("carrier", "Strait of Malacca")


def test_a_second_battery_is_another_group_not_the_first_told_again():
    rows = deployments("A Patriot battery arrived in Iraq last week. On Monday a second Patriot battery arrived at "
                       "Erbil air base, officials said.")
    assert sorted((r.country_code, r.count) for r in rows) == [("IQ", 1), ("IQ", 1)]


def test_bombers_operating_out_of_a_base_after_their_wings_home_are_at_the_base():
    (row,) = deployments("Three B-52 bombers from the 2nd Bomb Wing, Barksdale Air Force Base, La., operating out of "
                         "RAF Fairford, U.K., flew over the Barents Sea on Monday.")
    assert (row.count, row.place) == (3, "RAF Fairford")


def test_a_countless_mention_of_a_kind_is_the_group_counted_or_told_at_a_place_within():
    rows = deployments("Fourteen helicopters have arrived at the base near Latakia. Attack helicopters were seen "
                       "on its apron on Monday.")
    assert [(r.category, r.count) for r in rows] == [("helicopter", 14)]


def test_a_group_operating_from_a_list_of_bases_is_a_row_at_each_without_a_count():
    rows = deployments("Eight U.S. F-35 jets will operate from Estonia's Amari Air Base, Lithuania's Siauliai Air Base "
                       "and Romania's Fetesti Air Base, the Air Force said.")
    assert sorted((r.country_code, r.count) for r in rows) == [("EE", None), ("LT", None), ("RO", None)]


@pytest.mark.parametrize("text, label", [
    ("A column of 100 Russian tanks stood on the border with Ukraine on Monday, officials said.",
     "Russia–Ukraine border"),
    ("Turkey sent 20 tanks to the Syrian border on Friday.", "Turkey–Syria border"),
])
def test_a_group_at_a_border_is_at_the_border_its_owners_country_shares(text, label):
    (row,) = deployments(text)
    assert (row.place, row.precision) == (label, 2)


def test_a_countless_restatement_tells_the_counted_groups_missing_owner():
    rows = deployments("Sweden deployed armoured vehicles to patrol the island of Gotland on Friday after Russian "
                       "activity rose, the military said. Some 10 armoured vehicles could be seen in the port town "
                       "of Visby. Three Russian landing ships sailed into the Baltic Sea this week, amid tension "
                       "between Russia and NATO.")
    assert [(r.count, r.actor) for r in rows if r.category == "armored_vehicle"] == [(10, "Sweden")]


def test_a_countrys_own_border_is_no_border_with_itself():
    (row,) = deployments("Russian officials said 40 Russian tanks were moved to the Russian border on Monday.")
    assert "border" not in row.place


def test_a_place_that_opens_the_groups_clause_is_its_place():
    rows = deployments("In Qatar, there are eight F-15 fighters; in Oman, the air force has stationed 12 F-16s.")
    assert {(r.count, r.place) for r in rows} == {(8, "Qatar"), (12, "Oman")}


def test_a_ships_name_written_bare_later_is_still_the_ship():
    text = ("The frigate HMS Portland sailed into the North Sea on Monday to shadow two Russian corvettes. "
            "\"We wish the crew in Portland a safe patrol,\" the commander said.")
    toponyms, _, _ = default_extractor().linker_inputs(article_from_text(text))
    assert "Portland" not in {t.text for t in toponyms}


def test_the_owner_word_of_a_systems_noun_owns_the_named_system():
    rows = deployments("Turkish drones destroyed an Armenian Tor-M2 system near the town of Martuni.")
    assert [(r.status, r.actor) for r in rows if r.category == "air_defense"] == [("destroyed", "Armenia")]


def test_taking_another_ships_place_is_a_relief_not_a_capture():
    rows = deployments("The frigate HMS Kent will be taking HMS Argyll's place in the Gulf next month.")
    assert rows and all(r.status != "seized" for r in rows)
    assert [r.status for r in rows if r.role == "frigate"] == ["planned"]


def test_a_list_of_named_ships_counts_its_names():
    rows = deployments("The frigates HMS Kent, HMS Argyll and HMS Iron Duke arrived in the Baltic Sea on Monday.")
    assert [(r.role, r.count) for r in rows] == [("frigate", 3)]


def test_a_base_in_another_clause_is_not_the_place_of_a_group_whose_clause_names_one():
    rows = deployments("In Qatar, there are eight F-15 fighters; in Oman, the air force has stationed 12 F-16s "
                       "and in Turkey some Tornado jets operate from Incirlik.")
    assert {(8, "Qatar"), (12, "Oman")} <= {(r.count, r.place) for r in rows}


def test_drones_shot_down_are_munitions_but_a_named_drone_type_is_a_loss():
    assert not [r for r in deployments("A Danish frigate shot down five drones over the Gulf of Aden.")
                if r.category == "drone"]
    lost = [r for r in deployments("Rebels shot down an American MQ-9 Reaper drone over the Gulf of Aden.")
            if r.category == "drone"]
    assert [r.status for r in lost] == ["destroyed"]


def test_a_loss_told_with_the_makers_word_is_a_loss_of_its_owner():
    rows = deployments("Jets destroyed three Armenian anti-air batteries near Martuni. "
                       "The destroyed systems included Russian produced Tor-M2 and Osa systems.")
    defences = [r for r in rows if r.category == "air_defense"]
    assert defences and all(r.status == "destroyed" and r.actor == "Armenia" for r in defences)


def test_a_fleet_a_country_operates_is_no_deployment_but_operating_from_a_base_is():
    assert not deployments("Portugal still operates a dozen ageing F-16s and plans to replace them.")
    rows = deployments("The Portuguese air force operates four F-16s from Siauliai air base in Lithuania.")
    assert [(r.place, r.origin) for r in rows] == [("Siauliai", None)]


def test_a_states_forces_named_by_its_adjective_vote_for_the_owner():
    text = ("The Pakistani Army has moved armour towards Sialkot after Indian troops massed nearby. "
            "Satellite images show some 40 tanks parked near Sialkot on Friday. "
            "Pakistani forces also brought in artillery.")
    rows = deployments(text)
    assert [r.actor for r in rows if r.category == "tank"] == ["Pakistan"]


def test_the_plane_that_brought_the_cargo_is_no_row():
    rows = deployments("The minister received three attack helicopters brought by a Chinese transport plane "
                       "to the air base at Niamey airport.")
    assert [r.category for r in rows] == ["helicopter"]


def test_the_before_a_towns_name_in_a_story_of_ships_makes_it_a_ships_name():
    text = ("A Ukrainian drone struck a Russian training ship moored alongside the Tambov in the port of "
            "Novorossiysk. Shelling continued in the Kharkiv region.")
    toponyms, _, _ = default_extractor().linker_inputs(article_from_text(text))
    names = {t.text for t in toponyms}
    assert "Tambov" not in names and {"Novorossiysk", "Kharkiv"} <= names


@pytest.mark.parametrize("text, kind, place", [
    # a unit that operates a fleet and moves is a deployment (review of session 9)
    ("The 480th Fighter Squadron, which operates 24 F-16s, arrived at Lask air base on Monday.", "aircraft", "Lask"),
    ("The Netherlands operates eight F-35s stationed at Lask air base in Poland.", "aircraft", "Lask"),
    # drones sent with an offensive that someone launched are no munitions
    ("Turkey deployed 20 armed drones to Kilis for an offensive launched by its army.", "drone", "Kilis"),
    # towns listed before "regions" stay towns in a story of ships
    ("A Russian warship was seen off Sevastopol. Russia moved 40 tanks to the Belgorod and Kursk regions.",
     "tank", "Belgorod"),
    # a town with tanks in it is the town, whatever ship bears its name
    ("Ten tanks were seen in Portland on Monday. The USS Portland docked later.", "tank", "Portland"),
])
def test_readings_of_this_round_keep_the_groups_they_must_not_drop(text, kind, place):
    assert place in {r.place for r in deployments(text) if r.category == kind}


def test_a_capability_note_is_no_loss_and_names_in_a_list_keep_their_own_kinds():
    assert not deployments("The S-400 is capable of destroying aircraft at a range of 400 km.")
    rows = deployments("The destroyer USS Carney, the frigate HMS Diamond and a French frigate patrolled the Red Sea.")
    assert sorted((r.role, r.actor) for r in rows) == [("destroyer", "United States"), ("frigate", "France"),
                                                       ("frigate", "United Kingdom")]


def test_a_group_told_again_at_the_airport_beside_its_town_is_one_row_at_the_airport():
    rows = deployments("Russia has sent 12 Su-24 bombers to Latakia, officials said.\n\n"
                       "Satellite images taken on Monday show 12 Su-24 bombers parked at Bassel al-Assad "
                       "International Airport.")
    assert [(r.count, r.status, r.place) for r in rows] == [(12, "arrived", "Bassel Al-Assad International Airport")]
    # two towns near each other, or places across a border, are two sites
    rows = deployments("Israeli tanks massed near Sderot on Monday.\n\nIsraeli tanks also entered Beit Hanoun on Tuesday.")
    assert [r.place for r in rows] == ["Sderot", "Beit Hanoun"]
    # a group told again at a base in another country is no restatement of the first place
    rows = deployments("The U.S. Air Force sent four F-35 jets from RAF Lakenheath to Lask, Poland, on Monday. "
                       "The F-35s will stay in Poland for a month.")
    assert [(r.count, r.place) for r in rows] == [(4, "Lask")]


@pytest.mark.parametrize("text, rows", [
    ("Forty U.S. tanks arrived in Bremerhaven, Germany, on Friday en route to Poland.",
     [(40, "arrived", "Bremerhaven"), (40, "planned", "Poland")]),
    ("Six F-16s landed at Aviano on their way to Incirlik.",
     [(6, "arrived", "Aviano"), (6, "planned", "Incirlik Air Base")]),
    ("Leopard 2 tanks were unloaded in Klaipeda before proceeding to Rukla.",
     [(None, "arrived", "Klaipeda"), (None, "planned", "Rukla")]),
])
def test_a_group_at_a_stop_on_its_way_is_there_and_planned_where_it_goes(text, rows):
    assert [(r.count, r.status, r.place) for r in deployments(text)] == rows


def test_a_group_that_left_on_its_way_somewhere_is_planned_there_with_its_origin():
    # CONVENTIONS: where a group goes is its place, and where it came from its origin
    assert [(r.status, r.place, r.origin) for r in deployments("Six F-16s left Aviano on their way to Incirlik.")] == \
        [("planned", "Incirlik Air Base", "Aviano")]


def test_only_the_groups_own_clause_puts_it_on_its_way():
    rows = deployments("Four Patriot batteries are stationed in Krakow, while six Bradley fighting vehicles are en "
                       "route to Vilnius.")
    assert [(r.category, r.place) for r in rows] == [("air_defense", "Krakow"), ("armored_vehicle", "Vilnius")]
    # a stop told before the group reached its goal is no row of it
    rows = deployments("After a stop in Bremerhaven en route to Poland, forty U.S. tanks reached Drawsko Pomorskie "
                       "on Monday.")
    assert [(r.count, r.place) for r in rows] == [(40, "Drawsko Pomorskie")]
    # a list of goals: the group is at the stop, and planned at each goal without a split
    rows = deployments("Forty U.S. tanks arrived in Klaipeda en route to Vilnius, Kaunas and Riga.")
    assert [(r.count, r.status, r.place) for r in rows] == [
        (40, "arrived", "Klaipeda"), (None, "planned", "Vilnius"), (None, "planned", "Kaunas"), (None, "planned", "Riga")]


def test_a_broad_kind_listed_beside_a_specific_one_is_a_group_of_its_own():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    def kinds(text):
        return sorted(d.category for d in default_extractor()(Article(id="x", text=text, source="t")).deployments)
    assert kinds("Russian tanks and military vehicles were seen in Gori on Monday.") == ["tank", "vehicle"]
    # a broad kind that names the specific ones stays them
    assert kinds("Other aircraft, such as AH-64 Apache and CH-47 Chinook helicopters, will arrive at Powidz.") == \
        ["helicopter", "helicopter"]


def test_a_host_countrys_adjective_votes_for_the_owner():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    text = "Tanks and howitzers were seen in the Gomel region on Sunday, as Belarusian units took up positions."
    owners = {d.actor for d in default_extractor()(Article(id="x", text=text, source="t")).deployments}
    assert owners == {"Belarus"}


def test_a_group_sent_to_a_border_is_at_the_border_not_at_a_town_inside_the_country():
    from tracker.models import Article
    from tracker.pipelines.extract import default_extractor

    text = ("Syrian tanks were seen near Damascus. On Tuesday, Turkish media reported that Turkey had deployed "
            "a large number of military vehicles to its border with Syria.")
    rows = {d.category: d.place for d in default_extractor()(Article(id="x", text=text, source="t")).deployments}
    assert rows == {"tank": "Damascus", "vehicle": "Turkey–Syria border"}
