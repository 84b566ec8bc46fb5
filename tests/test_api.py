"""The public Python API and properties that must hold for any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracker
from tracker.models import Toponym


def test_geoparse_returns_typed_records():
    toponyms = tracker.geoparse("Russian jets landed near Latakia, Syria.")
    assert toponyms and all(isinstance(t, Toponym) for t in toponyms)
    latakia = next(t for t in toponyms if t.text == "Latakia")
    assert latakia.country_code == "SY" and latakia.precision == 1 and 0 < latakia.confidence <= 1


def test_geoparse_rejects_non_text():
    import pytest

    with pytest.raises(tracker.InputError):
        tracker.geoparse(b"bytes are not text")  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_geoparses_and_offsets_slice_back(text):
    for toponym in tracker.geoparse(text):
        assert text[toponym.start:toponym.end] == toponym.text
        assert toponym.precision in (None, 1, 2, 3)
        assert 0.0 <= toponym.confidence <= 1.0


def test_extract_returns_a_geodataframe():
    frame = tracker.extract(text="Four Russian attack helicopters arrived in Latakia on Friday.")
    assert frame.crs.to_epsg() == 4326
    row = frame.iloc[0]
    assert (row["category"], row["role"], row["count"], row["actor"], row["status"]) == (
        "helicopter", "attack", 4, "Russia", "arrived")
    assert row.geometry.y == pytest.approx(35.5, abs=0.3)


def test_extract_needs_exactly_one_source():
    with pytest.raises(tracker.InputError):
        tracker.extract()


def test_the_api_stays_whole_and_the_map_renderer_is_imported_on_first_use():
    import subprocess
    import sys

    script = ("import sys, tracker.pipelines.geoparse, tracker.pipelines.extract, tracker; "
              "assert callable(tracker.geoparse) and callable(tracker.extract); "
              "assert 'folium' not in sys.modules; "
              "from tracker import render_map; assert callable(render_map) and 'folium' in sys.modules")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
