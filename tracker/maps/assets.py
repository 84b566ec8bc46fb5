"""Third-party JavaScript and CSS, read from installed registry packages and inlined at render time.

Nothing here is copied into the repository. Sources (PyPI):

* ``xstatic-leaflet`` — Leaflet 1.9.3 (BSD-2-Clause);
* ``xstatic-leaflet-markercluster`` — Leaflet.markercluster 1.4.1's cluster styles (MIT);
* ``folium-offline`` — Leaflet.heat with the weights patch, ``offlinefolium/templates`` (MIT);
* ``xstatic-font-awesome`` — Font Awesome Free 6.2.1 solid icons (icons CC BY 4.0, fonts OFL 1.1,
  code MIT).

Images and fonts referenced by the CSS are turned into ``data:`` URIs, so a map opened from disk
on an air-gapped laptop makes no request at all.
"""

from __future__ import annotations

import base64
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.errors import DataError


@dataclass(frozen=True, slots=True)
class Asset:
    package: str  # importable module holding the file
    path: str  # path inside the package folder
    kind: str  # "js" or "css"


LEAFLET = (Asset("xstatic.pkg.leaflet", "data/leaflet.css", "css"), Asset("xstatic.pkg.leaflet", "data/leaflet.js", "js"))
#: the cluster markers' look only: the clustering itself is our index (templates/cluster_index.js),
#: which draws what is in view instead of keeping one DOM marker per row
MARKER_CLUSTER = (Asset("xstatic.pkg.leaflet_markercluster", "data/MarkerCluster.css", "css"),
                  Asset("xstatic.pkg.leaflet_markercluster", "data/MarkerCluster.Default.css", "css"))
HEAT = (Asset("offlinefolium", "templates/leaflet_heat.min.js", "js"),)
FONT_AWESOME = (Asset("xstatic.pkg.font_awesome", "data/css/fontawesome.min.css", "css"),
                Asset("xstatic.pkg.font_awesome", "data/css/solid.min.css", "css"))
ALL = LEAFLET + MARKER_CLUSTER + HEAT + FONT_AWESOME
_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")
_MIME = {".png": "image/png", ".woff2": "font/woff2", ".svg": "image/svg+xml"}  # woff2 only: every browser that runs Leaflet reads it


def _package_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"the package providing {package} is not installed; reinstall the tracker "
                        "(pip install -e .) to get its map assets")
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=None)
def asset_text(asset: Asset) -> str:
    """The file's text; for CSS, with every url(...) it references inlined as a data: URI."""
    file = _package_folder(asset.package) / asset.path
    if not file.is_file():
        raise DataError(f"map asset {file} is missing; reinstall the tracker")
    text = file.read_text(encoding="utf-8")
    if asset.kind == "css":
        text = _CSS_URL.sub(lambda m: _inline_url(file.parent, m.group(2)), text)
    return text


def _inline_url(folder: Path, url: str) -> str:
    if url.startswith("data:"):
        return f"url({url})"
    target = (folder / url.split("?")[0].split("#")[0]).resolve()
    mime = _MIME.get(target.suffix.lower())
    if mime is None or not target.is_file():
        return "url(data:,)"  # a font format we do not ship (ttf beside woff2): nothing to fetch
    return f"url(data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"


def inline_tags(assets: tuple[Asset, ...] = ALL) -> str:
    """<style> and <script> elements holding the assets, CSS first."""
    styles = [f"<style>{asset_text(a)}</style>" for a in assets if a.kind == "css"]
    scripts = [f"<script>{_safe_script(asset_text(a))}</script>" for a in assets if a.kind == "js"]
    return "\n".join(styles + scripts)


def _safe_script(code: str) -> str:
    # a literal "</script" inside inlined code would end the element early
    return code.replace("</script", "<\\/script")
