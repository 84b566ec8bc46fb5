"""Feed dates, durations and the relative --since/--until of store queries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tracker.sources.dates import feed_date, parse_duration, since_or_until

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, expected", [
    ("Mon, 30 Nov 2026 08:15:00 GMT", "2026-11-30T08:15:00+00:00"),
    ("Tue, 01 Dec 2026 10:00:00 +0200", "2026-12-01T10:00:00+02:00"),
    ("2026-12-01T07:30:00Z", "2026-12-01T07:30:00+00:00"),
    ("2026-12-01", "2026-12-01"),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_feed_dates_become_iso_8601(value, expected):
    assert feed_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("7d", "2026-11-24"), ("24h", "2026-11-30"), ("2w", "2026-11-17"), ("90m", "2026-12-01"),
    ("2024-03-05", "2024-03-05"),
])
def test_since_and_until_take_a_date_or_a_span_back_from_now(value, expected):
    assert since_or_until(value, now=NOW) == expected


@pytest.mark.parametrize("value", ["March", "7 days", "2024-02-30", "-7d"])
def test_a_bad_since_names_the_value(value):
    with pytest.raises(ValueError, match="got"):
        since_or_until(value, now=NOW)


def test_durations():
    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("1.5h") == timedelta(minutes=90)
    with pytest.raises(ValueError, match="such as 15m"):
        parse_duration("soon")
