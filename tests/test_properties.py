"""Property-based tests (hypothesis): arbitrary Unicode never breaks a stage, offsets always
slice back, exporters give back what they were given. Inputs that once broke a stage are kept
in tests/regressions/ and replayed by test_regressions_replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.errors import InputError
from tracker.pipelines.extract import default_extractor
from tracker.pipelines.frame import write_extraction
from tracker.sources.articles import clean_text
from tracker.sources.files import read_articles
from tracker.models import Article
from tracker.recognize.counts import parse_count
from tracker.recognize.equipment import default_lexicon
from tracker.recognize.toponyms import load_language_model

REGRESSIONS = Path(__file__).parent / "regressions"
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
words = st.sampled_from(["four", "Russian", "tanks", "at least", "twenty-eight", "F-35s", "1,000", "a dozen",
                         "of", "the", "Latakia", "-", "14-20", "jets", "up to", "half a", "MLRS", "\u200b", "é",
                         "\n\n", "<script>", "Su-24", "howitzers", "dozens", "a day", "Us", "U.S."])
phrases = st.lists(words, min_size=0, max_size=25).map(" ".join)
any_text = st.one_of(st.text(max_size=400), phrases)


@SLOW
@given(any_text)
@example("the 14-20 20-14 tanks")
@example("a a a a a a tanks")
def test_count_parser_never_raises_and_keeps_its_contract(text):
    nlp = load_language_model(parse=True)
    doc = nlp(text)
    for match in default_lexicon().find(text):
        assert text[match.start:match.end] == match.text
        span = doc.char_span(match.start, match.end, alignment_mode="expand")
        if span is None:
            continue
        count = parse_count(doc, span.start, span.end)
        assert count.qualifier in ("exact", "at_least", "at_most", "about", "range", "vague", "unknown")
        assert count.count is None or count.count >= 0
        assert count.count_max is None or (count.qualifier == "range" and count.count_max > count.count)


@SLOW
@given(any_text)
def test_extraction_never_raises_and_offsets_slice_back(text):
    result = default_extractor()(Article(id="p", text=text, source="hypothesis"))
    for toponym in result.toponyms:
        assert text[toponym.start:toponym.end] == toponym.text
    for row in result.deployments + result.untyped:
        assert 0 <= row.start < row.end <= len(text)
        assert row.status in ("arrived", "present", "planned", "departed", "seized", "destroyed", "damaged")


printable = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quote=printable, actor=printable, place=printable, article_id=printable.filter(str.strip))
def test_exporters_give_back_what_they_were_given(tmp_path_factory, quote, actor, place, article_id):
    import geopandas

    from tracker.pipelines.extract import ExtractedArticle
    from tracker.models import Deployment

    row = Deployment(article_id=article_id, published=None, source="s", title=None, category="tank", role="unknown",
                     model=None, count=3, count_qualifier="exact", count_max=None, actor=actor or None,
                     status="present", place=place or None, geonameid=None, country_code=None, precision=1,
                     confidence=0.5, quote=quote, start=0, end=1, lat=10.0, lon=20.0)
    item = ExtractedArticle(Article(id=article_id, text="x", source="s"), (), (row,), ())
    folder = tmp_path_factory.mktemp("export")
    for name in ("rows.gpkg", "rows.geojson"):
        write_extraction([item], folder / name)
        back = geopandas.read_file(folder / name, layer="deployments") if name.endswith("gpkg") \
            else geopandas.read_file(folder / name)
        assert back.loc[0, "quote"] == clean_text(quote)
        assert back.loc[0, "article_id"] == clean_text(article_id)
        assert (back.loc[0, "actor"] or None) == (clean_text(actor) if actor else None)
        assert back.geometry[0].x == 20.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv"]))
def test_ingest_fuzz_raises_only_input_errors(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    errors: list[InputError] = []
    try:
        articles = list(read_articles([path], on_error=errors.append))
    except Exception as error:  # keep the input: it becomes a regression case
        (REGRESSIONS / f"crash-{abs(hash(data)) % 10**8}{suffix}").write_bytes(data)
        raise AssertionError(f"ingest raised {type(error).__name__}: {error}") from error
    for article in articles:
        assert article.text.strip() and "\x00" not in article.text
    assert all("\n" not in str(e) for e in errors)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*")), ids=lambda p: p.name)
def test_regressions_replay(path):
    """Inputs that once broke ingest or extraction: each must now read cleanly or fail in one line."""
    errors: list[InputError] = []
    articles = list(read_articles([path], on_error=errors.append))
    for article in articles:
        default_extractor()(article)
    assert articles or errors
