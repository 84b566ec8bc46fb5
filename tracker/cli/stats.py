"""``tracker stats``: what a store holds, by category, actor, place and week."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date

from tracker.cli.common import CliReporter, add_store_query_options, store_query

EXAMPLE = """example:
  tracker stats --store tracker.gpkg
  tracker stats --store tracker.gpkg --since 2024-01-01 --actor Russia --format json
Counts are of linked groups: one group reported by several articles counts once.
"""


def add_parser(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "stats", help="count a store's deployments by category, actor, place and week",
        description="Count the deployments of a store (linked across articles: the same group reported by several "
                    "articles counts once) by category, actor, place and ISO week.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_query_options(parser, store_required=True)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run)


def week_of(value) -> str:
    try:
        year, week, _ = date.fromisoformat(str(value)[:10]).isocalendar()
        return f"{year}-W{week:02d}"
    except (TypeError, ValueError):
        return "undated"


#: How a missing owner, place or category is shown, and what ``--actor`` finds it by.
UNKNOWN = "unknown"


def label(value) -> str:
    """A value as the table shows it: None, NaN and empty text are ``unknown``."""
    import pandas

    if value is None or (not isinstance(value, str) and pandas.isna(value)) or str(value).strip() == "":
        return UNKNOWN
    return str(value)


def summarize(groups) -> dict:
    records = groups.to_dict("records") if len(groups) else []
    def count(key):
        return dict(Counter(label(r.get(key)) for r in records).most_common())
    return {"groups": len(records), "reports": int(sum(r.get("reports", 1) for r in records)),
            "by_category": count("category"), "by_actor": count("actor"), "by_place": count("place"),
            "by_week": dict(sorted(Counter(week_of(r.get("published")) for r in records).items()))}


def run(args: argparse.Namespace, reporter: CliReporter) -> int:
    from tracker.store.database import open_store
    from tracker.store.tracks import link_reports

    store = open_store(args.store)
    try:
        deployments, _ = store.read(store_query(args))
    finally:
        store.close()
    summary = summarize(link_reports(deployments))
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"{summary['groups']} deployment groups from {summary['reports']} reports in {store.location}")
    for title, key in (("category", "by_category"), ("actor", "by_actor"), ("place", "by_place"), ("week", "by_week")):
        print(f"\nby {title}:")
        for name, value in summary[key].items():
            print(f"  {value:6d}  {name}")
    sys.stdout.flush()
    return 0
