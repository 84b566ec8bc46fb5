"""Dates as the tracker reads them: feed dates to ISO 8601, durations ("15m", "7d"), and the
``--since``/``--until`` values of the verbs that filter a store (a date, or a span back from now)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(value: str) -> timedelta:
    """``"90s"``, ``"15m"``, ``"24h"``, ``"7d"``, ``"2w"`` as a ``timedelta``; ``ValueError`` names the value."""
    match = _DURATION.fullmatch(value)
    if not match:
        raise ValueError(f"a duration should be a number and a unit (s, m, h, d, w), such as 15m or 7d; "
                         f"got {value!r} instead")
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])


def since_or_until(value: str, *, now: datetime | None = None) -> str:
    """A store filter bound as YYYY-MM-DD: a date as given, or a span back from ``now`` ("7d",
    "24h"), rounded to its day because stored dates are compared by day."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date.fromisoformat(text)
        except ValueError as error:
            raise ValueError(f"should be a calendar date, got {value!r} instead") from error
        return text
    try:
        span = parse_duration(text)
    except ValueError:
        raise ValueError(f"should be a date as YYYY-MM-DD or a span back from now such as 7d or 24h, "
                         f"got {value!r} instead") from None
    moment = (now or datetime.now(timezone.utc)) - span
    return moment.date().isoformat()


def feed_date(value: str | None) -> str | None:
    """An RSS (RFC 822) or Atom/Dublin Core (ISO 8601) date as ISO 8601, or None when unreadable.

    A datetime keeps its offset (UTC when the feed says GMT); a bare date stays a date.
    """
    if not value or not value.strip():
        return None
    text = " ".join(value.split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return moment.isoformat()
