"""Resolution: the document's context, qualifiers and feature types choose among candidates."""

from __future__ import annotations

import pytest

from tracker.models import Mention
from tracker.resolve.resolver import Resolver


def by_text(toponyms):
    return {t.text: t for t in toponyms}


def test_sample_article_places(geoparser, sample_text):
    toponyms = geoparser(sample_text)
    names = {(t.name, t.country_code) for t in toponyms}
    assert ("Syria", "SY") in names and ("Ukraine", "UA") in names
    crimea = [t for t in toponyms if t.text == "Crimean"]
    assert crimea and crimea[0].country_code == "UA" and crimea[0].mention == "adjective"
    latakia = [t for t in toponyms if t.text == "Latakia"]
    assert latakia and all(t.country_code == "SY" for t in latakia)


def test_qualifier_state_picks_the_small_town(geoparser):
    toponyms = by_text(geoparser("Flooding closed roads in Paris, Texas, on Monday."))
    assert (toponyms["Paris"].country_code, toponyms["Paris"].admin1_code) == ("US", "TX")


def test_a_second_name_of_the_town_after_a_comma_keeps_the_capital(geoparser):
    # "D.C." names Washington itself; in an article about New Jersey towns it still outweighs
    # the Washington of New Jersey
    text = ("Tickets were sold in Morristown and Riverdale, New Jersey, and in Morris County. "
            "Players in 44 states, Washington, D.C., and the U.S. Virgin Islands can take part.")
    toponyms = by_text(geoparser(text))
    assert toponyms["Washington"].admin1_code == "DC"


def test_a_region_after_a_town_is_the_one_holding_it(geoparser):
    # the article's other places are in the US state of Georgia; the town written before it is not
    toponyms = by_text(geoparser("Mayors from Atlanta and Savannah met their counterparts in Tbilisi, Georgia."))
    assert (toponyms["Georgia"].feature_code, toponyms["Georgia"].country_code) == ("PCLI", "GE")
    toponyms = by_text(geoparser("A baker from Tacoma, Washington shares tips for decorating cookies."))
    assert (toponyms["Washington"].feature_code, toponyms["Washington"].admin1_code) == ("ADM1", "WA")


def test_a_border_belongs_to_a_country_or_region(geoparser):
    toponyms = by_text(geoparser("Tolls were removed from West Stockbridge near the New York border."))
    assert toponyms["New York"].feature_code == "ADM1"
    toponyms = by_text(geoparser("Shelling hit villages near the Syria-Turkey border."))
    assert (toponyms["Syria"].feature_code, toponyms["Turkey"].feature_code) == ("PCLI", "PCLI")


def test_abbreviated_saint_and_mount_find_every_namesake(geoparser):
    # Mount Pleasant, Iowa has no "Mt." alternate name of its own; the key joins the spellings
    toponyms = by_text(geoparser("New London police met officials from Mt. Pleasant and Winfield, Iowa."))
    assert toponyms["Mt. Pleasant"].admin1_code == "IA"
    assert by_text(geoparser("The US consulate in St. Petersburg will close, Moscow said."))["St. Petersburg"].country_code == "RU"


def test_a_short_form_of_a_longer_name_is_that_place(geoparser):
    toponyms = geoparser("Residents of Avondale Estates met in Decatur. Avondale voters approved the plan.")
    avondale = [t for t in toponyms if t.text == "Avondale"]
    assert avondale and (avondale[0].name, avondale[0].admin1_code) == ("Avondale Estates", "GA")
    # a base's name ends with its town's: "Mayport" beside "Naval Station Mayport" is the base,
    # not Mayport, Pennsylvania, whichever is named first
    for text in ("The destroyer returned to Naval Station Mayport. Families waited at Mayport.",
                 "Families waited at Mayport as the destroyer returned to Naval Station Mayport."):
        mayport = by_text(geoparser(text))["Mayport"]
        assert (mayport.country_code, round(mayport.lat)) == ("US", 30), text
    # a town of note keeps its name beside a base named for it
    assert by_text(geoparser("Two Ospreys flew from Camp Pendleton to Pendleton, Oregon."))["Pendleton"].admin1_code == "OR"
    # a country or state is never read as a short form: "Kansas" beside "Kansas City"
    assert by_text(geoparser("Kansas City police and Kansas troopers met."))["Kansas"].feature_code == "ADM1"


def test_a_dateline_names_a_town(geoparser):
    # wire datelines name the city a story was filed from, never the state of the same name
    toponyms = by_text(geoparser("WASHINGTON (AP) — An effort to restrict methane emissions is off again."))
    assert (toponyms["WASHINGTON"].feature_code, toponyms["WASHINGTON"].admin1_code) == ("PPLC", "DC")
    assert by_text(geoparser("New York (Reuters) - Stocks fell on Monday."))["New York"].feature_code == "PPL"
    assert by_text(geoparser("Syria - the war goes on."))["Syria"].feature_code == "PCLI"  # a heading


def test_a_town_of_unknown_population_counts_as_the_smallest_listed(gazetteer):
    # a post-office town has no population count; it is not weighed as an empty place
    import math

    from tracker.resolve.ranking import UNKNOWN_TOWN_POPULATION, prior_features_of

    unknown = next(c for c in gazetteer.lookup("Cookville") if c.place.population == 0 and c.place.is_settlement)
    mention = Mention(start=0, end=9, text="Cookville", key="cookville", kind="name", label="GAZ")
    features = prior_features_of(mention, unknown, [unknown], False, {}, 0)
    assert features["log_population"] == pytest.approx(math.log10(UNKNOWN_TOWN_POPULATION + 1))


def test_a_capital_beats_its_namesake_region_unless_the_article_supports_the_region(geoparser):
    foreign = by_text(geoparser("Trinidad and Tobago failed to attend a meeting at the OAS in Washington on March 15th."))
    assert (foreign["Washington"].feature_code, foreign["Washington"].admin1_code) == ("PPLC", "DC")
    for text in ("The governor of Washington visited Seattle and Tacoma.",   # a place inside it
                 "The first case was found in the state of Washington.",    # a region word before it
                 "Tech firms avoid western states such as California or Washington."):  # other states
        assert by_text(geoparser(text))["Washington"].feature_code == "ADM1", text


def test_capital_without_context(geoparser):
    toponyms = by_text(geoparser("Talks resumed in Paris on Monday."))
    assert toponyms["Paris"].country_code == "FR"


def test_one_sense_per_article(geoparser):
    toponyms = geoparser("Officials in Paris, Texas, met on Monday. Later the Paris council voted.")
    assert {t.admin1_code for t in toponyms if t.text == "Paris"} == {"TX"}


def test_region_word_picks_the_province_and_precision_follows(geoparser):
    province = [t for t in geoparser("Fighting spread across Latakia province.") if t.text == "Latakia"][0]
    town = [t for t in geoparser("Jets landed near Latakia on Friday.") if t.text == "Latakia"][0]
    assert province.feature_code == "ADM1" and province.precision == 3
    assert town.feature_code.startswith("PPL") and town.precision == 1


def test_confidence_is_lower_for_an_ambiguous_bare_name(geoparser):
    springfield = by_text(geoparser("The mayor of Springfield spoke."))["Springfield"]
    syria = by_text(geoparser("The army of Syria advanced."))["Syria"]
    assert 0 < springfield.confidence < syria.confidence <= 1


def test_unknown_place_is_kept_without_coordinates(geoparser):
    toponyms = geoparser("Residents of Zzyzxburg Heights fled to Kharkiv.")
    placed = {t.text: t.is_placed for t in toponyms}
    assert placed.get("Kharkiv") is True
    assert all(t.lat is None and t.confidence == 0.0 for t in toponyms if not t.is_placed)


def test_state_named_elsewhere_in_the_article_picks_the_town(geoparser):
    toponyms = geoparser("Gainesville police said the fire started downtown. Officials across Texas "
                         "expect more dry weather, and Texas crews were sent to Gainesville.")
    assert {t.admin1_code for t in toponyms if t.text == "Gainesville"} == {"TX"}
    bare = by_text(geoparser("Gainesville police said the fire started downtown."))
    assert bare["Gainesville"].admin1_code == "FL"  # the largest namesake when nothing else is said


def test_ranker_weights_cover_every_feature_and_say_how_to_refit(tmp_path):
    import json

    import pytest

    from tracker.errors import DataError
    from tracker.resolve.ranking import FEATURE_NAMES, RankingModel

    model = RankingModel.load()
    assert set(model.weights) == set(FEATURE_NAMES)
    assert model.score({"named_admin1": 1.0}) > 0 > model.score({"alternate_name": 1.0})
    broken = tmp_path / "ranker.json"
    broken.write_text(json.dumps({"features": ["country"], "weights": ["x"]}), encoding="utf-8")
    with pytest.raises(DataError, match="fit_resolver"):
        RankingModel.load(broken)


def test_places_without_a_country_do_not_make_a_country_focus(gazetteer):
    """A continent, a sea and a UN region have no country code; they share no country."""
    from tracker.pipelines.geoparse import default_geoparser

    text = "Ministers from Europe met in Asia to discuss the Black Sea."
    mentions = default_geoparser().recognizer(text)
    for scored in Resolver(gazetteer).score(mentions, text):
        for candidate, features in zip(scored.candidates, scored.features):
            if not candidate.place.country_code:
                assert features.get("focus_country", 0.0) == 0.0 and features.get("mentions_in_country", 0.0) == 0.0


def test_a_facility_the_language_model_names_is_the_facility(spacy_geoparser):
    text = "Russian jets landed at Hmeimim Air Base near Latakia on Friday."
    found = by_text(spacy_geoparser(text))
    assert found["Hmeimim Air Base"].feature_code in ("AIRB", "AIRP")


def test_a_country_written_as_a_dateline_is_the_country(geoparser):
    text = "Convoy crosses into Syria\n\nSYRIA -- A convoy of Turkish tanks crossed the border into Syria on Monday."
    dateline = next(t for t in geoparser(text) if t.text == "SYRIA")
    assert dateline.country_code == "SY" and (dateline.feature_code or "").startswith("PCL")


def test_a_roll_of_member_countries_makes_none_of_them_the_articles():
    from tracker.gazetteer.index import default_gazetteer
    from tracker.resolve.article_rules import _countries_in_rolls

    text = ("In Syria, allied jets bombed militant depots near Raqqa. The allies taking part so far are "
            "Norway, Canada, Australia, Spain, Belgium, the Netherlands and the United States.")
    resolver = Resolver(default_gazetteer())
    from tracker.pipelines.geoparse import default_geoparser

    mentions = default_geoparser().recognizer(text)
    rolled = {mentions[i].text for i in _countries_in_rolls(mentions, resolver.rank(mentions, text), text)}
    assert {"Australia", "Belgium", "Netherlands", "United States"} <= rolled
    assert "Syria" not in rolled


def test_a_name_that_says_water_is_the_water_not_the_province_named_after_it(geoparser):
    toponyms = by_text(geoparser("Two frigates steamed north through the Red Sea on Friday."))
    assert (toponyms["Red Sea"].feature_code, toponyms["Red Sea"].country_code) == ("SEA", "")
    toponyms = by_text(geoparser("Floods cut the road to Port Sudan in the Red Sea state."))
    assert toponyms["Red Sea"].feature_code == "ADM1"


def test_korea_alone_is_south_korea(geoparser):
    toponyms = by_text(geoparser("BUSAN, KOREA (Reuters) - Two more Patriot batteries will go to Korea this year."))
    assert {toponyms[name].country_code for name in ("KOREA", "Korea")} == {"KR"}


def test_an_ap_state_abbreviation_is_the_state_whatever_the_towns_around_it(geoparser):
    toponyms = by_text(geoparser("Pasadena and Burbank, Calif., sent firefighters to La. on Friday."))
    assert (toponyms["La."].name, toponyms["La."].feature_code) == ("Louisiana", "ADM1")


def test_a_countrys_adjective_before_its_forces_is_the_country_not_a_province_of_that_name(geoparser):
    places = geoparser("Turkey donated armored carriers to the Somali army. Clashes spread in the Somali "
                       "region of Ethiopia.")
    somali = [(p.text, p.feature_code) for p in places if p.text == "Somali"]
    assert somali == [("Somali", "PCLI"), ("Somali", "ADM1")]
