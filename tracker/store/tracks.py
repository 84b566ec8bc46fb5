"""Link reports of the same group across articles, instead of summing them.

Several articles often report one deployment ("four Russian helicopters arrived" on Monday, "the
helicopters are based near Latakia" on Tuesday). Rows of the same category, role, owner and
place whose dates lie within ``window_days`` of each other form one group: its count is the
largest (the most precise) count reported, its status the latest, its origin the latest one any
report names ("moved from Germany" on Monday stays when Tuesday's report names none), and it
keeps every source.
"""

from __future__ import annotations

from datetime import date

from tracker.pipelines.frame import ORIGIN_COLUMNS

WINDOW_DAYS = 7


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _latest_origin(rows: list[dict]) -> dict:
    """The origin columns of the latest report that names an origin, or nothing to change."""
    import pandas

    named = [r for r in rows if isinstance(r.get("origin"), str) or
             (r.get("origin_lat") is not None and not pandas.isna(r.get("origin_lat")))]
    if not named:
        return {}
    latest = max(named, key=lambda r: str(r.get("published") or ""))
    return {column: latest.get(column) for column in ORIGIN_COLUMNS if column in latest}


def link_reports(deployments, *, window_days: int = WINDOW_DAYS):
    """One row per linked group, with ``reports`` (how many rows), ``sources`` and first/last dates."""
    import geopandas
    import pandas

    if deployments is None or not len(deployments):
        frame = deployments.copy() if deployments is not None else geopandas.GeoDataFrame()
        for column in ("reports", "sources", "first_reported", "last_reported"):
            frame[column] = pandas.Series(dtype="object")
        return frame
    records = deployments.to_dict("records")
    geometries = list(deployments.geometry)

    def key(record, geometry):
        where = record.get("geonameid")
        if where is None or pandas.isna(where):
            where = (round(geometry.x, 3), round(geometry.y, 3)) if geometry is not None else record.get("place")
        return (record.get("category"), record.get("role"), record.get("actor") or None, where)

    order = sorted(range(len(records)), key=lambda i: (str(key(records[i], geometries[i])),
                                                       str(records[i].get("published") or "")))
    groups: list[dict] = []
    open_group: dict[tuple, dict] = {}
    for index in order:
        record, geometry = records[index], geometries[index]
        group_key = key(record, geometry)
        day = _day(record.get("published"))
        group = open_group.get(group_key)
        if group is not None and (day is None or group["last"] is None or (day - group["last"]).days <= window_days):
            group["rows"].append(index)
            group["last"] = day or group["last"]
            continue
        group = {"rows": [index], "first": day, "last": day, "geometry": geometry}
        open_group[group_key] = group
        groups.append(group)

    linked = []
    for group in groups:
        rows = [records[i] for i in group["rows"]]
        best = max(rows, key=lambda r: (r.get("count") is not None and not pandas.isna(r.get("count")),
                                        r.get("count") if r.get("count") is not None and not pandas.isna(r.get("count")) else -1))
        latest = max(rows, key=lambda r: str(r.get("published") or ""))
        merged = dict(best)
        merged["status"] = latest.get("status")
        merged.update(_latest_origin(rows))
        merged["reports"] = len(rows)
        merged["sources"] = "; ".join(dict.fromkeys(str(r.get("article_id")) for r in rows))
        merged["first_reported"] = group["first"].isoformat() if group["first"] else None
        merged["last_reported"] = group["last"].isoformat() if group["last"] else None
        merged["geometry"] = group["geometry"]
        linked.append(merged)
    return geopandas.GeoDataFrame(linked, geometry="geometry", crs="EPSG:4326")
