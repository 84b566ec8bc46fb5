"""Compose a deployment map from layers: one function per layer kind, all offline by default.

``render_map(deployments, places)`` returns a ``folium.Map`` (it displays in Jupyter);
``save_map`` writes it as one self-contained HTML file. The page carries Leaflet and its plugins
inline (``tracker.maps.assets``), the country outlines of ``data/basemap``, and the rows in
columns (``tracker.maps.page_data``) in a data block of the page, from which the browser builds a
clustering index (``templates/cluster_index.js``) and draws only what is in view: 100,000 rows are
a page of about 11 MB drawn in a few seconds. Article text reaches the page only as JSON data,
shown through textContent or an HTML-escaping function; popups are built when they open.

Layers: country borders (always; an online tile layer is offered as a second base layer with
``tiles``); one toggleable overlay per equipment category, and optionally per owner and per
status, filtering the rows the index is built from; the moves ("Movements": a great-circle line
from origin to place with an arrowhead, paths computed in ``tracker.maps.movements``, drawn on one
canvas); a heatmap; place names, placed in rank order where they meet no other label or marker
and placed again on every zoom and pan; every place mention; a time slider when rows carry dates;
a categorical legend; a scale bar. A row placed only to a whole country or region (precision 3)
gets a hollow, dashed marker and a popup that says "somewhere in", so no one reads it as a point.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from tracker.errors import OutputError
from tracker.maps.assets import inline_tags
from tracker.maps.page_data import PageData, area_level, data_block, page_data
from tracker.common.resources import data_file

TileChoice = Literal["none", "osm", "carto"]
CATEGORY_STYLES: dict[str, dict[str, str]] = {
    "tank": {"color": "#b2182b", "icon": "fa-shield-halved"},
    "armored_vehicle": {"color": "#d6604d", "icon": "fa-truck-field"},
    "artillery": {"color": "#8c510a", "icon": "fa-crosshairs"},
    "air_defense": {"color": "#5e3c99", "icon": "fa-satellite-dish"},
    "aircraft": {"color": "#2166ac", "icon": "fa-jet-fighter"},
    "helicopter": {"color": "#4393c3", "icon": "fa-helicopter"},
    "drone": {"color": "#1b7837", "icon": "fa-plane-up"},
    "ship": {"color": "#01665e", "icon": "fa-ship"},
    "missile": {"color": "#e08214", "icon": "fa-rocket"},
    "vehicle": {"color": "#737373", "icon": "fa-truck"},
    "other": {"color": "#404040", "icon": "fa-circle"},
}
TILES = {
    "osm": {"name": "OpenStreetMap", "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "&copy; OpenStreetMap contributors"},
    "carto": {"name": "CARTO Positron", "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
              "attribution": "&copy; OpenStreetMap contributors &copy; CARTO"},
}
ATTRIBUTION = ("Places: <a href='https://www.geonames.org'>GeoNames</a> (CC BY 4.0) · Borders: Natural Earth · "
               "Icons: Font Awesome Free (CC BY 4.0) · Map: Leaflet")
MAP_CSS = """
.trk-marker div{border-radius:50%;color:#fff;text-align:center;border:2px solid #fff;box-shadow:0 0 3px rgba(0,0,0,.5);font-size:12px}
.trk-box{background:#fff;padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.4 system-ui,sans-serif}
.trk-legend-title{font-weight:600;margin-bottom:4px}
.trk-swatch{display:inline-block;width:18px;height:18px;border-radius:50%;color:#fff;text-align:center;line-height:18px;font-size:10px;vertical-align:middle}
.trk-muted{color:#666;font-size:11px}
.trk-popup{font:12px/1.4 system-ui,sans-serif}.trk-popup-head{font-weight:600;font-size:13px;border-left:4px solid #999;padding-left:6px;margin-bottom:4px}
.trk-popup th{text-align:left;padding-right:8px;vertical-align:top;color:#444}.trk-quote{margin:6px 0 0;padding-left:8px;border-left:3px solid #ccc;color:#333;max-height:9em;overflow:auto}
.trk-label{line-height:16px;padding-left:3px;box-sizing:border-box}.trk-label span{font:600 12px system-ui,sans-serif;color:#222;white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}
.trk-slider input{width:220px}.trk-title{font-weight:600;font-size:14px}
.trk-label{pointer-events:none}.trk-list{margin:4px 0;padding-left:18px}.trk-more{margin-top:4px;font-size:11px}.trk-area-swatch{background:#fff;border:2px dashed #555;box-sizing:border-box}
"""


def _json_for_script(value: Any) -> str:
    """JSON that can sit inside <script>: no "</script>", no "<!--", no line separators."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _runtime_js() -> str:
    """The clustering index and the map runtime, both ours (``templates/``)."""
    folder = resources.files("tracker.maps").joinpath("templates")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in ("cluster_index.js", "tracker_map.js"))


@lru_cache(maxsize=1)
def _basemap_json() -> str:
    text = data_file("basemap", "countries.geojson").read_text(encoding="utf-8")
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class OfflineMap(folium.Map):
    """A folium.Map that links no CDN: its JavaScript and CSS are inlined by ``InlineAssets``."""

    default_js: list = []
    default_css: list = []


class InlineAssets(Element):
    """Leaflet, plugins, icon font and the tracker runtime, inlined in the page header."""

    def render(self, **kwargs):  # noqa: D102 - branca hook
        figure = self.get_root()
        figure.header.add_child(Element(inline_tags()), name="tracker_assets")
        figure.header.add_child(Element(f"<style>{MAP_CSS}</style>"), name="tracker_css")
        figure.header.add_child(Element(f"<script>{_runtime_js()}</script>"), name="tracker_runtime")
        super().render(**kwargs)


class _ScriptLayer(MacroElement):
    """A layer whose JavaScript is a small template calling the tracker runtime."""

    def __init__(self, script: str, **values: Any) -> None:
        super().__init__()
        self._name = "TrackerLayer"
        self.values = values
        self._template = Template("{% macro script(this, kwargs) %}" + script + "{% endmacro %}")


def add_basemap(fmap: folium.Map, tiles: TileChoice) -> None:
    online = [TILES[tiles]] if tiles in TILES else []
    fmap.add_child(_ScriptLayer(
        "var trk_bases = TrackerMap.basemap({{ this._parent.get_name() }}, {{ this.values.countries }}, "
        "{{ this.values.tiles }});", countries=_basemap_json(), tiles=_json_for_script(online)))


def _add_data_block(fmap: folium.Map, element_id: str, value: Any, *, marker: str = "") -> None:
    """Rows travel in a ``<script type="application/json">`` block of the page body (``page_data``)."""
    block = data_block(element_id, value)
    if marker:
        block = block.replace("<script ", f"<script {marker} ", 1)
    fmap.get_root().html.add_child(Element(block), name=element_id)


def add_deployment_layers(fmap: folium.Map, data: PageData, *, by_actor: bool, by_status: bool,
                          heatmap: bool, time_slider: bool) -> None:
    """The rows, drawn through the page's clustering index; their quotes' full text in a block of its own."""
    options = {"styles": CATEGORY_STYLES, "byActor": by_actor, "byStatus": by_status, "heatmap": heatmap,
               "timeSlider": time_slider}
    rows_id, quotes_id = f"trk-rows-{fmap.get_name()}", f"trk-quotes-{fmap.get_name()}"
    _add_data_block(fmap, rows_id, data.rows)
    _add_data_block(fmap, quotes_id, data.full_quotes, marker="data-trk-full-quotes")
    fmap.add_child(_ScriptLayer(
        "var trk_deployments = TrackerMap.load({{ this.values.rows_id }}).then(function (rows) {"
        " return TrackerMap.deployments({{ this._parent.get_name() }}, rows, {{ this.values.options }}); });",
        rows_id=_json_for_script(rows_id), options=_json_for_script(options)))


def add_place_layer(fmap: folium.Map, places: list[dict]) -> None:
    places_id = f"trk-places-{fmap.get_name()}"
    _add_data_block(fmap, places_id, places)
    fmap.add_child(_ScriptLayer(
        "var trk_places = TrackerMap.load({{ this.values.places_id }}).then(function (rows) {"
        " return TrackerMap.places({{ this._parent.get_name() }}, rows); });", places_id=_json_for_script(places_id)))


def add_legend(fmap: folium.Map, counts: dict[str, int], title: str, *, areas: bool = False,
               moves: bool = False) -> None:
    """The categories shown, and a key to the hollow area marker and the move line when the map has them."""
    fmap.add_child(_ScriptLayer(
        "TrackerMap.legend({{ this._parent.get_name() }}, {{ this.values.styles }}, {{ this.values.counts }}, "
        "{{ this.values.title }}, {{ this.values.notes }});", styles=_json_for_script(CATEGORY_STYLES),
        counts=_json_for_script(counts), title=_json_for_script(title),
        notes=_json_for_script({"areas": areas, "moves": moves})))


def add_layer_control_and_bounds(fmap: folium.Map) -> None:
    """Once the rows are read: the layer control, the view fitted to them, and ``trk_view`` for scripts."""
    fmap.add_child(_ScriptLayer(
        "(function (map) {"
        " var started = performance.now();"
        " Promise.all([(typeof trk_deployments !== 'undefined') ? trk_deployments : null,"
        "              (typeof trk_places !== 'undefined') ? trk_places : null]).then(function (layers) {"
        "  var deployments = layers[0], places = layers[1];"
        "  var overlays = Object.assign({}, deployments ? deployments.overlays : {});"
        "  if (places) { overlays['All place mentions'] = places; }"
        "  L.control.layers(trk_bases, overlays, {collapsed: false, position: 'topright'}).addTo(map);"
        "  var b = deployments ? deployments.bounds : null;"
        "  if (b && b.isValid()) { TrackerMap.fitWhenSized(map, b.pad(0.3), {maxZoom: 7, animate: false}); }"
        "  else if (places && places.getLayers().length) {"
        "    TrackerMap.fitWhenSized(map, L.featureGroup(places.getLayers()).getBounds().pad(0.2),"
        "                            {maxZoom: 6, animate: false}); }"
        "  map.attributionControl.addAttribution({{ this.values.attribution }});"
        "  window.trk_view = {deployments: deployments, places: places, map: map};"
        "  document.body.setAttribute('data-trk-draw-ms', String(Math.round(performance.now() - started)));"
        "  document.body.setAttribute('data-trk-ready-ms', String(Math.round(performance.now())));"
        "  document.body.setAttribute('data-trk-ready', 'true');"
        " }).catch(function (error) { document.body.setAttribute('data-trk-error', String(error)); throw error; });"
        "})({{ this._parent.get_name() }});", attribution=_json_for_script(ATTRIBUTION)))


def render_map(deployments, places=None, *, tiles: TileChoice = "none", title: str = "Equipment deployments",
               by_actor: bool = False, by_status: bool = False, heatmap: bool = True,
               time_slider: bool = True) -> folium.Map:
    """A folium.Map of deployments (GeoDataFrame from ``tracker.extract``) and place mentions.

    ``places`` is the ``places`` layer (GeoDataFrame of toponyms) or None. ``tiles`` adds an
    online base layer ("osm" or "carto") beside the offline borders; it stays empty offline.
    """
    if tiles not in ("none", "osm", "carto"):
        raise OutputError(f"'tiles' should be one of 'none', 'osm' or 'carto', got {tiles!r} instead")
    fmap = OfflineMap(location=[30, 20], zoom_start=3, tiles=None, control_scale=True, prefer_canvas=True)
    fmap.get_root().header.add_child(Element(f"<title>{_escape(title)}</title>"), name="trk_title")
    fmap.get_root().header.add_child(Element('<meta name="referrer" content="strict-origin-when-cross-origin">'),
                                     name="trk_referrer")
    fmap.add_child(InlineAssets())
    add_basemap(fmap, tiles)
    data = page_data(deployments)
    add_deployment_layers(fmap, data, by_actor=by_actor, by_status=by_status, heatmap=heatmap,
                          time_slider=time_slider)
    if places is not None:
        add_place_layer(fmap, place_summaries(places))
    add_legend(fmap, data.category_counts, title, areas=data.has_areas, moves=data.has_moves)
    add_layer_control_and_bounds(fmap)
    return fmap


def save_map(fmap: folium.Map, path: str | Path) -> Path:
    """Write the map as one HTML file, atomically (``tracker.common.atomic``)."""
    from tracker.common.atomic import write_text

    target = Path(path)
    write_text(target, fmap.get_root().render())
    return target


# ---------------------------------------------------------------------------- data for the page


def deployment_features(deployments) -> dict:
    """GeoJSON-like dict of the rows, one feature per row with its move's path (nulls, not NaN): a
    readable view of what a map draws. The page itself carries ``page_data``'s columns."""
    features = []
    if deployments is not None and len(deployments):
        keep = [c for c in ("article_id", "published", "source", "title", "category", "role", "model", "count",
                            "count_qualifier", "count_max", "actor", "status", "place", "precision", "confidence",
                            "quote") if c in deployments.columns]
        extras = _columns_or_none(deployments, ("origin", "origin_lat", "origin_lon", "geonameid", "country_code"))
        for record, geometry, extra in zip(deployments[keep].to_dict("records"), deployments.geometry, extras):
            properties = {key: _plain(value) for key, value in record.items()}
            if geometry is None or geometry.is_empty:
                continue
            feature = {"type": "Feature", "properties": properties,
                       "geometry": {"type": "Point", "coordinates": [round(geometry.x, 5), round(geometry.y, 5)]}}
            if properties.get("precision") == 3 and properties.get("place"):
                properties["area_level"] = area_level(extra["geonameid"], extra["country_code"], properties["place"])
            if extra["origin"] is not None:
                properties["origin"] = extra["origin"]
            movement = _movement(extra, geometry)
            if movement is not None:
                feature["movement"] = movement
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _columns_or_none(deployments, columns: tuple[str, ...]) -> list[dict]:
    """These columns of each row, None where absent: files written before origins existed have none."""
    present = [c for c in columns if c in deployments.columns]
    records = deployments[present].to_dict("records") if present else [{} for _ in range(len(deployments))]
    return [{c: _plain(record.get(c)) for c in columns} for record in records]


def _movement(row: dict, geometry) -> dict | None:
    """The path, arrowhead angle and length the page draws for a moved row, or None."""
    from tracker.maps.movements import movement_path

    if row["origin_lat"] is None or row["origin_lon"] is None:
        return None
    path = movement_path(float(row["origin_lat"]), float(row["origin_lon"]), geometry.y, geometry.x)
    if path is None:
        return None
    return {"path": [list(vertex) for vertex in path.vertices], "angle": path.angle, "km": path.length_km}


def place_summaries(places) -> list[dict]:
    """One entry per distinct placed location: its name, the ways it was written, its articles."""
    summaries: dict[tuple, dict] = {}
    if places is None or not len(places):
        return []
    for record, geometry in zip(places.to_dict("records"), places.geometry):
        if geometry is None or geometry.is_empty:
            continue
        key = (_plain(record.get("name")), round(geometry.y, 4), round(geometry.x, 4))
        entry = summaries.setdefault(key, {"name": key[0], "lat": key[1], "lon": key[2], "written": [], "articles": [],
                                           "mentions": 0, "feature_code": _plain(record.get("feature_code")),
                                           "precision": _plain(record.get("precision"))})
        entry["mentions"] += 1
        written, article = _plain(record.get("text")), _plain(record.get("article_id"))
        if written not in entry["written"] and len(entry["written"]) < 8:
            entry["written"].append(written)
        if article not in entry["articles"]:
            entry["articles"].append(article)
    return list(summaries.values())


def _plain(value: Any) -> Any:
    """pandas/numpy scalars and missing values as JSON-ready Python values."""
    if value is None:
        return None
    try:
        import pandas

        if pandas.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
