"""The fast gazetteer recogniser, its tokeniser, its learned filter and sites placed by context.

Sentences written for these tests, not taken from any benchmark.
"""

from __future__ import annotations

import json

import pytest

from tracker.errors import DataError
from tracker.pipelines.geoparse import Geoparser
from tracker.sources.articles import article_from_text
from tracker.recognize.toponym_evidence import FEATURE_NAMES
from tracker.recognize.toponym_filter import LinearFilter
from tracker.recognize.tokens import tokenize


def test_tokens_slice_back_to_the_text():
    text = "Brooklyn's mayor met officials from the U.S. and W.Va. in St. Louis -- O'Brien said (AP)."
    tokens = tokenize(text)
    for start, end, word in zip(tokens.starts, tokens.ends, tokens.words):
        assert text[start:end] == word
    assert "U.S." in tokens.words and "W.Va." in tokens.words and "O'Brien" in tokens.words
    assert tokens.words[:2] == ("Brooklyn", "'s")
    louis = tokens.words.index("Louis")
    assert not tokens.sentence_start[louis]  # "St." does not end a sentence


def test_sentence_starts_after_a_full_stop_and_a_line_break():
    tokens = tokenize("Troops left.\nHelicopters arrived. Tanks too")
    starts = {w for w, s in zip(tokens.words, tokens.sentence_start) if s}
    assert starts == {"Troops", "Helicopters", "Tanks"}


def texts(geoparser, text):
    return {t.text: t for t in geoparser(text)}


def test_people_named_like_towns_are_not_places(geoparser):
    found = texts(geoparser, "Paris Hilton said on Monday that Sen. Jackson had told Mr. Lincoln nothing.")
    assert not {"Paris", "Jackson", "Lincoln"} & set(found)


def test_a_city_of_millions_named_like_a_surname_is_the_city_unless_a_given_name_comes_first(geoparser):
    assert texts(geoparser, "The clinic would be built in north London, developers said.")["London"].country_code == "GB"
    assert "London" not in texts(geoparser, "Jack London wrote the novel in 1903.")


def test_towns_with_place_cues_are_places(geoparser):
    found = texts(geoparser, "Police in Lincoln, Neb., said a Jackson County man was arrested near Paris, Texas.")
    assert found["Lincoln"].admin1_code == "NE"
    assert found["Paris"].admin1_code == "TX"
    assert "Jackson County" in found


def test_off_before_a_name_says_its_coast(geoparser):
    # "Brittany" is also a given name: "off" says place as "in" and "near" do
    found = texts(geoparser, "A Russian submarine surfaced off Brittany on Monday, the French navy said.")
    assert found["Brittany"].country_code == "FR"


def test_names_listed_before_counties_are_the_counties(geoparser):
    found = texts(geoparser, "Flood warnings covered Walton, Oconee and Morgan counties on Friday.")
    assert {found[name].feature_code for name in ("Walton", "Oconee", "Morgan")} == {"ADM2"}
    assert {found[name].admin1_code for name in ("Walton", "Oconee", "Morgan")} == {"GA"}
    alone = texts(geoparser, "Flood warnings covered Walton on Friday.")
    assert "Walton" not in alone or alone["Walton"].feature_code != "ADM2"


def test_names_listed_after_counties_are_the_counties(geoparser):
    found = texts(geoparser, "The state's three largest counties — Douglas, Lancaster and Sarpy — grew last year.")
    assert {(found[name].feature_code, found[name].admin1_code) for name in ("Douglas", "Lancaster", "Sarpy")} \
        == {("ADM2", "NE")}
    assert "Smith" not in texts(geoparser, "Rain fell in 12 counties, Smith said.")


def test_names_with_lowercase_links_are_one_name(geoparser):
    found = texts(geoparser, "Aid reached the Democratic Republic of the Congo, and Trinidad and Tobago sent doctors.")
    assert found["Democratic Republic of the Congo"].country_code == "CD"
    assert found["Trinidad and Tobago"].country_code == "TT"
    assert "Congo" not in found and "Trinidad" not in found
    pair = texts(geoparser, "Texas and Oklahoma signed the compact.")
    assert {"Texas", "Oklahoma"} <= set(pair)


def test_a_demonym_that_only_small_towns_share_is_the_demonym(geoparser):
    # English, Indiana and Canadian, Texas are towns; in news the words are England's and Canada's
    toponyms = geoparser("Police sealed off a park in the southern English city of Salisbury. "
                         "Canadian officials flew to Ottawa.")
    readings = {t.text: (t.mention, t.country_code) for t in toponyms}
    assert readings["English"] == ("adjective", "GB")
    assert readings["Canadian"] == ("adjective", "CA")


def test_institution_words_alone_are_not_towns(geoparser):
    # University (Florida), Union (New Jersey) and Police (Poland) are towns too
    found = texts(geoparser, "Students at the University of California met the European Union envoy in Paris. "
                             "Police said the Capitol was closed.")
    assert not {"University", "Union", "Police", "Capitol"} & set(found)
    assert "Paris" in found
    found = texts(geoparser, "Rain is expected across the Valley and the Bay on Monday, forecasters in Ohio said.")
    assert not {"Valley", "Bay"} & set(found) and "Ohio" in found
    found = texts(geoparser, "The Liberal MPP said a Green councillor in Woodstock, Ontario had resigned.")
    assert not {"Liberal", "Green"} & set(found) and "Woodstock" in found


def test_months_and_holidays_are_dates_unless_a_place_follows(geoparser):
    found = texts(geoparser, "There were more murders in March than in any month. Shoppers spent a lot at "
                             "Christmas in Leeds. The fen town of March, Cambridgeshire flooded.")
    assert "Christmas" not in found and "Leeds" in found
    march = [t for t in geoparser("There were more murders in March than in any month. The fen town of "
                                  "March, Cambridgeshire flooded.") if t.text == "March"]
    assert len(march) == 1 and march[0].country_code == "GB"


def test_a_name_after_saint_or_new_is_another_place(geoparser):
    # St. Paris (Ohio) and New Paris (Indiana) are not Paris; the gazetteer lacks them
    found = texts(geoparser, "The fair in St. Paris drew crowds from Springfield. New Paris held one too.")
    assert "Paris" not in found and "Springfield" in found
    assert "St. Petersburg" in texts(geoparser, "Troops left St. Petersburg on Monday.")


def test_a_name_listed_between_places_is_a_place(geoparser):
    # Orlando is also a given name and a surname; between Tampa and Jacksonville it is the city
    found = texts(geoparser, "The ad ran for six weeks in Tampa, Orlando, Jacksonville, Tallahassee and Miami.")
    assert found["Orlando"].admin1_code == "FL"


def test_ste_does_not_end_a_sentence(geoparser):
    found = texts(geoparser, "His roots extend to Canada - Sault Ste. Marie, Ontario, to be exact.")
    assert found["Sault Ste. Marie"].country_code == "CA"


def test_short_acronyms_are_places_only_as_abbreviations(geoparser):
    # Hiv, Sos and Un are towns; "HIV", "SOS" and "UN" are not them
    found = texts(geoparser, "The SOS Children's Village in Malakal treats HIV patients, the UN said.")
    assert set(found) == {"Malakal"}
    assert "HIV" not in texts(geoparser, "Leaders vowed to turn the tide of HIV, said Felicita Hikuam.")
    assert {"US", "UK", "NSW"} <= set(texts(geoparser, "US and UK troops met in NSW on Monday."))


def test_holidays_ordinals_and_games_are_not_towns(geoparser):
    found = texts(geoparser, "People spent a lot at Christmas, but things are picking up. St. Patrick's Day "
                             "began in Chicago; the First United Methodist Church in Macon hosted the Olympic team.")
    assert set(found) == {"Chicago", "Macon"}


def test_a_place_naming_a_disease_is_not_mentioned(geoparser):
    found = texts(geoparser, "Most West Nile virus cases happen in Texas; the Marburg virus killed 300 in Angola.")
    assert set(found) == {"Texas", "Angola"}


def test_a_place_naming_a_clock_is_not_mentioned(geoparser):
    """A strike report's "Greenwich Mean Time" gave the United States a place of its own, and
    "Near Palmyra" became a town in Pennsylvania."""
    found = texts(geoparser, "All times are Greenwich Mean Time; the strikes near Raqqa began at 0600 Moscow time.")
    assert set(found) == {"Raqqa"}


def test_a_sentence_ending_after_an_acronym_leaves_the_period_out(geoparser):
    assert "UAE" in texts(geoparser, "Troops met in the UAE. Then they left.")
    assert "Va." in texts(geoparser, "He lives in Alexandria, Va. and works downtown.")


def test_a_currency_prefix_is_not_a_country(geoparser):
    toponyms = geoparser("A US$543 million lawsuit was filed in the US against the miner.")
    assert [t.start for t in toponyms if t.text == "US"] == [42]


def test_dateline_in_capitals(geoparser):
    found = texts(geoparser, "WINNIPEG — The province said on Tuesday that flooding had eased.")
    assert found["WINNIPEG"].country_code == "CA"
    found = texts(geoparser, "OKLAHOMA CITY The Latest on teachers rallying for more school funding.")
    assert found["OKLAHOMA CITY"].admin1_code == "OK"


def test_street_is_placed_in_the_town_written_after_it(geoparser):
    found = texts(geoparser, "The crash closed Collins Avenue in Miami Beach for three hours.")
    street, town = found["Collins Avenue"], found["Miami Beach"]
    assert street.mention == "site" and street.feature_code == "SITE"
    assert (street.lat, street.lon) == (town.lat, town.lon)
    assert street.confidence < town.confidence


def test_street_placed_in_a_county_has_the_county_precision(geoparser):
    found = texts(geoparser, "Deputies in Henderson County said a truck closed Elm Street on Friday.")
    street, county = found["Elm Street"], found["Henderson County"]
    assert (street.lat, street.lon) == (county.lat, county.lon)
    assert street.precision == county.precision == 2


def test_street_without_a_town_stays_unplaced(geoparser):
    found = texts(geoparser, "Traffic was stopped on Elm Street for an hour.")
    assert found["Elm Street"].lat is None


def test_county_heading_a_court_is_the_county(geoparser):
    found = texts(geoparser, "The Henderson County Commissioners Court lifted the burn ban on Tuesday.")
    assert found["Henderson County"].feature_code == "ADM2"


def test_town_heading_a_building_name_is_the_candidate(geoparser):
    candidates = {c.text: c for c in geoparser.recognizer.candidates(
        "Students at the Denver Public Library and the Barclays Center met.")}
    assert candidates["Denver"].label == "GAZ" and "Denver Public Library" not in candidates
    assert candidates["Barclays Center"].kind == "site"


def test_weights_cover_every_feature_and_load():
    model = LinearFilter.load()
    assert set(model.weights) == set(FEATURE_NAMES)
    assert 0.0 < model.threshold < 1.0
    assert model.probability({"bias": 1.0, "country": 1.0}) > model.probability({"bias": 1.0, "given_name": 1.0})


def test_unreadable_weights_say_how_to_refit(tmp_path):
    broken = tmp_path / "weights.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="fit_recognizer"):
        LinearFilter.load(broken)
    broken.write_text(json.dumps({"features": ["bias"]}), encoding="utf-8")
    with pytest.raises(DataError):
        LinearFilter.load(broken)


def test_two_worker_processes_give_the_same_toponyms(geoparser):
    sentences = ["Russian jets landed near Latakia, Syria.", "Floods closed roads in Fargo, N.D., and Moorhead.",
                 "Nothing here.", "Talks in Geneva and Vienna ended."] * 5
    articles = [article_from_text(text) for text in sentences]
    one = [r.toponyms for r in geoparser.parse_articles(articles, processes=1)]
    two = [r.toponyms for r in geoparser.parse_articles(articles, processes=2, batch_size=2)]
    assert one == two and any(one)


def test_unknown_recognizer_is_refused():
    with pytest.raises(ValueError, match="gazetteer"):
        Geoparser.default(recognizer="bert")


def test_a_base_the_gazetteer_lacks_is_no_other_base_of_its_kind(geoparser):
    # "Air Force Base" alone was the short name of a German airfield: an unknown base became it
    found = geoparser("Two tankers left Altus Air Force Base on Friday.")
    assert all(t.country_code != "DE" for t in found)


@pytest.mark.parametrize("sentence, code, country", [
    ("Six attack jets flew from Moody Air Force Base to the Middle East.", "AIRB", "US"),
    ("The destroyer returned to Naval Station Mayport after seven months.", "NVB", "US"),
    ("A coast guard cutter was seen off Pratas Island on Sunday.", "ISL", "TW"),
    ("Launchers were moved into South Hamgyeong Province last week.", "ADM1", "KP"),
])
def test_bases_and_islands_of_military_reporting_are_in_the_gazetteer(geoparser, sentence, code, country):
    assert (code, country) in {(t.feature_code, t.country_code) for t in geoparser(sentence)}


def test_chinese_names_of_the_spratly_and_paracel_islands(geoparser):
    found = geoparser("Chinese survey ships sailed from the Xisha Islands to the Nansha Islands.")
    assert {t.name for t in found} >= {"Paracel Islands", "Spratly Islands"}


def test_a_town_named_with_its_sector_of_a_front_is_a_place(geoparser):
    found = geoparser("Despite the talks, some 200 tanks remain massed along the border (in the strategic "
                      "Pasrur sector). The Pasrur bulge buildup worries planners.")
    assert "Pasrur" in {t.text for t in found}


def test_a_towns_plain_spelling_before_region_is_the_town(geoparser):
    # the name without its diacritics is a minor alternate; "region" after it says place
    found = geoparser("The flight ended in the Zabludow region, with the ministry saying the helicopters flew low.")
    assert "Zabludow" in {t.text for t in found}


def test_the_arctic_circle_is_the_arctic_not_a_street(geoparser):
    found = geoparser("The bombers returned from flights over the Arctic Circle, the RAF said from Fairford.")
    assert "Arctic" in {t.name for t in found}
