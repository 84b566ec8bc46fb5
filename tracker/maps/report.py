"""One self-contained HTML report: the map, a sortable table of deployments, summaries, sources.

The map sits in an ``<iframe srcdoc>`` sandboxed to ``allow-scripts`` (no same-origin), so the
report and any page the fragment is pasted into stay apart from the map's scripts. Every value
from an article is HTML-escaped; links are made only for http(s) URLs.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import datetime, timezone
from typing import Literal

from tracker.maps.render import render_map

ReportFormat = Literal["html", "fragment"]
TABLE_COLUMNS = ("published", "category", "role", "model", "count", "count_qualifier", "actor", "status", "place",
                 "precision", "confidence", "article_id")
SORT_SCRIPT = """
document.querySelectorAll('table.trk-sortable th').forEach(function (th, index) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[index].getAttribute('data-value'), y = b.cells[index].getAttribute('data-value');
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? c : -c;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""
REPORT_CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px}.muted{color:#666}
iframe.trk-map{width:100%;height:560px;border:1px solid #ccc;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e4e4e4;padding:4px 6px;text-align:left;vertical-align:top}
table.trk-sortable th{cursor:pointer;background:#f6f6f6;position:sticky;top:0}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:24px}
"""


def _e(value) -> str:
    if value is None:
        return ""
    try:
        import pandas

        if pandas.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(str(value), quote=True)


def _link(url, label) -> str:
    text = _e(label or url)
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">{text}</a>'
    return text


def table_columns(rows: list[dict]) -> tuple[str, ...]:
    """The table's columns: ``origin`` after ``place`` when any row is a move, else left out."""
    if not any(_e(r.get("origin")) for r in rows):
        return TABLE_COLUMNS
    at = TABLE_COLUMNS.index("place") + 1
    return (*TABLE_COLUMNS[:at], "origin", *TABLE_COLUMNS[at:])


def map_iframe(deployments, places, *, title: str, tiles: str = "none") -> str:
    page = render_map(deployments, places, tiles=tiles, title=title).get_root().render()
    return (f'<iframe class="trk-map" title="{_e(title)}" sandbox="allow-scripts" loading="lazy" '
            f'style="width:100%;height:560px;border:0" srcdoc="{html.escape(page, quote=True)}"></iframe>')


def build_report(deployments, places=None, *, title: str = "Equipment deployments", tiles: str = "none",
                 output_format: ReportFormat = "html") -> str:
    """The report as HTML text; ``fragment`` is the map iframe alone, to paste into other pages."""
    frame = map_iframe(deployments, places, title=title, tiles=tiles)
    if output_format == "fragment":
        return frame + "\n"
    rows = deployments.to_dict("records") if len(deployments) else []
    by_place = Counter(_e(r.get("place")) or "not placed" for r in rows)
    by_actor = Counter(_e(r.get("actor")) or "not stated" for r in rows)
    by_category = Counter(_e(r.get("category")) for r in rows)
    columns = table_columns(rows)
    table_rows = "\n".join(
        "<tr>" + "".join(f'<td data-value="{_e(r.get(c))}">{_e(r.get(c))}</td>' for c in columns) +
        f'<td data-value="{_e(r.get("quote"))}">{_e(r.get("quote"))}</td></tr>' for r in rows)
    sources = {}
    for r in rows:
        sources.setdefault(str(r.get("article_id")), (r.get("source"), r.get("title"), r.get("published")))
    source_items = "\n".join(
        f"<li><b>{_e(aid)}</b> — {_link(src, title_ or src)}{(' (' + _e(pub) + ')') if _e(pub) else ''}</li>"
        for aid, (src, title_, pub) in sorted(sources.items()))
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    def summary(counter: Counter, heading: str) -> str:
        items = "".join(f"<tr><td>{name}</td><td>{count}</td></tr>" for name, count in counter.most_common())
        return f"<div><h2>{heading}</h2><table><tr><th>{heading.split(' ')[-1].title()}</th><th>Rows</th></tr>{items}</table></div>"

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin"><title>{_e(title)}</title><style>{REPORT_CSS}</style></head>
<body>
<h1>{_e(title)}</h1>
<p class="muted">{len(rows)} deployments from {len(sources)} articles · generated {generated} by tracker ·
places: GeoNames (CC BY 4.0) · borders: Natural Earth</p>
{frame}
<div class="grid">{summary(by_category, "Deployments per category")}{summary(by_actor, "Deployments per actor")}{summary(by_place, "Deployments per place")}</div>
<h2>Deployments</h2>
<p class="muted">Click a column heading to sort.</p>
<table class="trk-sortable"><thead><tr>{''.join(f'<th scope="col">{c.replace("_", " ")}</th>' for c in columns)}<th scope="col">quote</th></tr></thead>
<tbody>
{table_rows}
</tbody></table>
<h2>Sources</h2>
<ul>
{source_items}
</ul>
<script>{SORT_SCRIPT}</script>
</body></html>
"""
