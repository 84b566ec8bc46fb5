/* tracker map runtime: builds the layers of a deployment map from embedded JSON.
 * Every string that comes from an article goes through text() or is set with textContent:
 * article text never becomes markup. Links are made only for http(s) URLs. */
var TrackerMap = (function () {
  "use strict";

  function text(value) {
    if (value === null || value === undefined) { return ""; }
    return String(value).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function safeUrl(value) {
    if (typeof value !== "string") { return null; }
    return /^https?:\/\/[^\s"'<>`]+$/i.test(value) ? value : null;
  }

  function radiusFor(count) {
    var n = (typeof count === "number" && count > 0) ? count : 1;
    return Math.round(Math.min(34, 14 + 5 * Math.sqrt(n)));
  }

  function countText(p) {
    if (p.count === null || p.count === undefined) {
      return p.count_qualifier === "vague" ? "several" : "unknown number";
    }
    switch (p.count_qualifier) {
      case "at_least": return "at least " + p.count;
      case "at_most": return "up to " + p.count;
      case "about": return "about " + p.count;
      case "range": return p.count + "–" + p.count_max;
      default: return String(p.count);
    }
  }

  var PRECISION = {1: "the place itself", 2: "near the place", 3: "somewhere in the region or country"};

  // a row placed to a whole country or region is no point: say so in words
  function placeText(p) {
    if (!p.place) { return "not placed"; }
    if (p.precision === 3) {
      return "somewhere in " + p.place + " (" + (p.area_level === "country" ? "country" : "region") + "-level)";
    }
    return p.place;
  }

  function deploymentPopup(p, style) {
    var what = text(p.model ? p.model + " (" + p.category.replace("_", " ") + ")" : (p.role !== "unknown" ? p.role + " " : "") + p.category.replace("_", " "));
    var source = safeUrl(p.source)
      ? '<a href="' + text(p.source) + '" target="_blank" rel="noopener noreferrer">' + text(p.title || p.source) + "</a>"
      : text(p.title ? p.title + " — " + p.source : p.source);
    return '<div class="trk-popup">' +
      '<div class="trk-popup-head" style="border-color:' + style.color + '"><i class="fa-solid ' + style.icon + '"></i> ' + what + "</div>" +
      "<table>" +
      "<tr><th>Count</th><td>" + text(countText(p)) + "</td></tr>" +
      "<tr><th>Owner</th><td>" + text(p.actor || "not stated") + "</td></tr>" +
      "<tr><th>Status</th><td>" + text(p.status) + "</td></tr>" +
      "<tr><th>Place</th><td>" + text(placeText(p)) + " <span class=\"trk-muted\">(" +
        text((p.precision === 3 || !PRECISION[p.precision] ? "" : PRECISION[p.precision] + ", ") + "confidence " + p.confidence) +
        ")</span></td></tr>" +
      (p.origin ? "<tr><th>Moved</th><td>" + text("from " + p.origin + " to " + (p.place || "an unknown place")) + "</td></tr>" : "") +
      "<tr><th>Date</th><td>" + text(p.published || "not given") + "</td></tr>" +
      "<tr><th>Source</th><td>" + source + "</td></tr>" +
      "</table>" +
      '<blockquote class="trk-quote">' + text(p.quote) + "</blockquote>" +
      (p.quoteIndex >= 0 && / …$/.test(p.quote || "") ? '<button type="button" class="trk-more" data-trk-quote="' + p.quoteIndex +
        '">Full quote</button>' : "") + "</div>";
  }

  function placePopup(p) {
    return '<div class="trk-popup"><div class="trk-popup-head">' + text(p.name) + "</div>" +
      "<table><tr><th>Written as</th><td>" + text(p.written.join(", ")) + "</td></tr>" +
      "<tr><th>Mentions</th><td>" + text(p.mentions) + " in " + text(p.articles.length) + " article(s)</td></tr>" +
      "<tr><th>Articles</th><td>" + text(p.articles.slice(0, 10).join(", ")) + (p.articles.length > 10 ? " …" : "") + "</td></tr>" +
      "<tr><th>Kind</th><td>" + text(p.feature_code) + ", precision " + text(p.precision) + "</td></tr></table></div>";
  }

  function basemap(map, countries, tiles) {
    if (!map.options.maxZoom) { map.setMaxZoom(18); }  // the cluster layer needs a maximum zoom
    map.createPane("trk-borders");
    map.getPane("trk-borders").style.zIndex = 250;
    L.geoJSON(countries, {
      pane: "trk-borders",
      interactive: false,
      style: function (f) {
        return f.properties.disputed
          ? {color: "#7a5c00", weight: 1.5, dashArray: "4 3", fillColor: "#f2e4b8", fillOpacity: 0.6}
          : {color: "#8a8f98", weight: 0.8, fillColor: "#f3f1ec", fillOpacity: 1};
      }
    }).addTo(map);
    map.getContainer().style.background = "#cfdfea";
    var bases = {"Borders only (offline)": L.layerGroup().addTo(map)};
    tiles.forEach(function (t) {
      bases[t.name + " (online)"] = L.tileLayer(t.url, {attribution: t.attribution, maxZoom: 18,
        referrerPolicy: "strict-origin-when-cross-origin", crossOrigin: true});
    });
    return bases;
  }

  // the data blocks: JSON, or gzipped JSON in base64 that the browser's own DecompressionStream inflates
  function load(id) {
    var block = document.getElementById(id);
    if (!block) { return Promise.resolve(null); }
    if (block.getAttribute("data-encoding") !== "gzip-base64") { return Promise.resolve(JSON.parse(block.textContent)); }
    var bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(block.textContent);
    } else {
      var binary = atob(block.textContent);
      bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    }
    // inflated whole, then decoded once: a third faster than reading the stream as text
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return JSON.parse(new TextDecoder().decode(buffer)); });
  }

  // one row of the columns as the object the popups read (built when a popup opens)
  function rowObject(rows, i) {
    function value(column) { var k = rows[column][i]; return k >= 0 ? rows[column + "_values"][k] : null; }
    var article = rows.articles, a = rows.article[i], place = rows.place[i];
    return {category: value("category") || "other", role: value("role") || "unknown", model: value("model"),
            count: rows.count[i], count_qualifier: value("count_qualifier"), count_max: rows.count_max[i],
            actor: value("actor"), status: value("status"), origin: value("origin"),
            place: rows.places.name[place], area_level: rows.places.level[place], precision: rows.precision[i],
            confidence: rows.confidence[i], article_id: article.article_id[a], published: article.published[a],
            source: article.source[a], title: article.title[a],
            quote: rows.quote[i] >= 0 ? rows.quote_values[rows.quote[i]] : null, quoteIndex: rows.quote[i]};
  }

  function rowIcon(p, style, size) {
    // precision 3 (a whole country or region): hollow and dashed, so it does not read as a point
    var fill = p.precision === 3
      ? "background:rgba(255,255,255,.85);color:" + style.color + ";border:2px dashed " + style.color
      : "background:" + style.color;
    return L.divIcon({className: p.precision === 3 ? "trk-marker trk-area" : "trk-marker",
      html: '<div style="' + fill + ";width:" + size + "px;height:" + size + "px;line-height:" + size +
            'px"><i class="fa-solid ' + style.icon + '"></i></div>', iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
  }

  function clusterIcon(rows) {
    var size = rows < 10 ? "small" : (rows < 100 ? "medium" : "large");
    return L.divIcon({className: "marker-cluster trk-cluster marker-cluster-" + size,
      html: "<div><span>" + rows + "</span></div>", iconSize: [40, 40], iconAnchor: [20, 20]});
  }

  // the labels: in rank order, each at the first of four spots around its marker where its box
  // meets no label already placed; the rest wait for a zoom that makes room
  var LABEL_FONT = "600 12px system-ui, sans-serif", LABEL_HEIGHT = 16;
  var labelWidths = {}, measuring = null;
  function labelWidth(name) {
    if (labelWidths[name] === undefined) {
      measuring = measuring || document.createElement("canvas").getContext("2d");
      measuring.font = LABEL_FONT;
      labelWidths[name] = Math.ceil(measuring.measureText(name).width) + 6;
    }
    return labelWidths[name];
  }

  function placeLabels(candidates, width, height) {
    var placed = [], names = {};
    // a label does not cover another marker either (its own is never in the way: it sits beside it)
    var markers = candidates.map(function (c) { return {x: c.x - c.radius, y: c.y - c.radius, w: 2 * c.radius, h: 2 * c.radius}; });
    function free(box) {
      function apart(o) { return !(box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h); }
      return placed.every(apart) && markers.every(apart);
    }
    candidates.forEach(function (c) {
      if (!c.name || names[c.name]) { return; }
      var w = labelWidth(c.name), h = LABEL_HEIGHT, g = c.radius + 3;
      var spots = [[c.x + g, c.y - h / 2], [c.x - g - w, c.y - h / 2], [c.x - w / 2, c.y - g - h], [c.x - w / 2, c.y + g]];
      for (var s = 0; s < spots.length; s++) {
        var box = {x: spots[s][0], y: spots[s][1], w: w, h: h, name: c.name, lat: c.lat, lng: c.lng};
        if (box.x < 0 || box.y < 0 || box.x + w > width || box.y + h > height) { continue; }
        if (!free(box)) { continue; }
        placed.push(box);
        names[c.name] = true;
        return;
      }
    });
    return placed;
  }

  // moves on one canvas: the path (computed in Python), a dot at the origin and the arrowhead
  // just outside the place's marker; clicks and hovers find the nearest path
  var MoveLayer = L.Layer.extend({
    initialize: function (rows, styles) {
      var m = rows.moves;
      this._rows = rows; this._styles = styles; this._shown = m.row.map(function (_, k) { return k; });
      this._x = m.path.map(function (path) {
        var xs = new Float64Array(path.length / 2);
        for (var v = 0; v < xs.length; v++) { xs[v] = TrackerIndex.projectX(path[2 * v + 1] / 1e4); }
        return xs;
      });
      this._y = m.path.map(function (path) {
        var ys = new Float64Array(path.length / 2);
        for (var v = 0; v < ys.length; v++) { ys[v] = TrackerIndex.projectY(path[2 * v] / 1e4); }
        return ys;
      });
    },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "trk-moves leaflet-zoom-hide");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend resize", this.redraw, this);
      map.on("click", this._click, this);
      map.on("mousemove", this._hover, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend resize", this.redraw, this);
      map.off("click", this._click, this);
      map.off("mousemove", this._hover, this);
      if (this._tip) { map.closeTooltip(this._tip); }
    },
    setShown: function (shown) { this._shown = shown; if (this._map) { this.redraw(); } },
    shown: function () { return this._shown.length; },
    _screen: function (k) {
      var map = this._map, scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
      var xs = this._x[k], ys = this._y[k], points = [];
      for (var v = 0; v < xs.length; v++) { points.push([xs[v] * scale - origin.x, ys[v] * scale - origin.y]); }
      return points;
    },
    tooltip: function (k) {
      var m = this._rows.moves, p = rowObject(this._rows, m.row[k]);
      return text("from " + p.origin + " to " + (p.place || "an unknown place") + ", " + Math.round(Number(m.km[k]) || 0) + " km");
    },
    redraw: function () {
      var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      var context = canvas.getContext("2d"), rows = this._rows, m = rows.moves, self = this, groups = {};
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      this._drawn = 0;
      // moves are gathered by colour and dash and each group drawn in one stroke and one fill:
      // ten thousand moves are a few dozen canvas calls, not fifty thousand
      this._shown.forEach(function (k) {
        var points = self._screen(k), row = m.row[k], style = self._styles[rows.category_values[rows.category[row]]] || self._styles.other;
        var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        points.forEach(function (p) {
          minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
        });
        if (maxX < -20 || maxY < -20 || minX > size.x + 20 || minY > size.y + 20) { return; }  // out of view
        var planned = rows.status[row] >= 0 && rows.status_values[rows.status[row]] === "planned";
        var key = style.color + (planned ? "|planned" : ""), group = groups[key];
        if (!group) { group = groups[key] = {color: style.color, planned: planned, lines: [], arrows: []}; }
        var end = points[points.length - 1], angle = (Number(m.angle[k]) || 0) * Math.PI / 180;
        var gap = radiusFor(rows.count[row]) / 2 + 1, length = 12, ux = Math.sin(angle), uy = -Math.cos(angle);
        var bx = end[0] - ux * (gap + length), by = end[1] - uy * (gap + length);
        group.lines.push(points);
        group.arrows.push([end[0] - ux * gap, end[1] - uy * gap, bx - uy * 6, by + ux * 6, bx + uy * 6, by - ux * 6]);
        self._drawn++;
      });
      Object.keys(groups).forEach(function (key) {
        var group = groups[key];
        context.strokeStyle = group.color; context.lineWidth = 2.5; context.globalAlpha = 0.85;
        context.setLineDash(group.planned ? [6, 4] : []);  // a planned move has not happened: dashed
        context.beginPath();
        group.lines.forEach(function (points) {
          points.forEach(function (p, v) { if (v) { context.lineTo(p[0], p[1]); } else { context.moveTo(p[0], p[1]); } });
        });
        context.stroke();
        context.setLineDash([]); context.globalAlpha = 1;
        context.beginPath();  // the origins: small rings
        group.lines.forEach(function (points) {
          context.moveTo(points[0][0] + 3, points[0][1]); context.arc(points[0][0], points[0][1], 3, 0, 2 * Math.PI);
        });
        context.fillStyle = "#fff"; context.fill(); context.lineWidth = 2; context.stroke();
        context.beginPath();  // the arrowheads, just outside the place's marker
        group.arrows.forEach(function (a) {  // closed by hand: closePath is slow on a path of many figures
          context.moveTo(a[0], a[1]); context.lineTo(a[2], a[3]); context.lineTo(a[4], a[5]); context.lineTo(a[0], a[1]);
        });
        context.fillStyle = group.color; context.fill(); context.strokeStyle = "#fff"; context.lineWidth = 1; context.stroke();
      });
    },
    drawn: function () { return this._drawn; },
    nearest: function (point) {
      var best = null, bestDistance = 6, self = this;
      this._shown.forEach(function (k) {
        var points = self._screen(k);
        for (var v = 1; v < points.length; v++) {
          var ax = points[v - 1][0], ay = points[v - 1][1], dx = points[v][0] - ax, dy = points[v][1] - ay;
          var t = Math.max(0, Math.min(1, ((point.x - ax) * dx + (point.y - ay) * dy) / (dx * dx + dy * dy || 1)));
          var d = Math.hypot(point.x - ax - t * dx, point.y - ay - t * dy);
          if (d < bestDistance) { bestDistance = d; best = k; }
        }
      });
      return best;
    },
    _click: function (e) {
      var k = this.nearest(e.containerPoint);
      if (k === null) { return; }
      var row = this._rows.moves.row[k], p = rowObject(this._rows, row);
      this._map.openPopup(deploymentPopup(p, this._styles[p.category] || this._styles.other), e.latlng, {maxWidth: 360});
    },
    _hover: function (e) {
      var k = this.nearest(e.containerPoint);
      if (k === null) { if (this._tip) { this._map.closeTooltip(this._tip); } return; }
      this._tip = this._tip || L.tooltip({sticky: true});
      this._tip.setLatLng(e.latlng).setContent(this.tooltip(k));
      this._map.openTooltip(this._tip);
    }
  });

  function deployments(map, rows, options) {
    var styles = options.styles, n = rows.n, overlays = {};
    var lat = Int32Array.from(rows.lat), lon = Int32Array.from(rows.lon), place = Int32Array.from(rows.place);
    var filters = {category: {}, actor: null, status: null}, until = null;
    var markers = L.layerGroup().addTo(map), drawnMarkers = {}, index = null, placedLabels = [];
    map.createPane("trk-labels");
    map.getPane("trk-labels").style.zIndex = 640;
    map.getPane("trk-labels").style.pointerEvents = "none";
    var labels = L.layerGroup();
    var moves = rows.moves.row.length ? new MoveLayer(rows, styles) : null;
    var byRank = Array.from({length: n}, function (_, i) { return i; }).sort(function (a, b) { return place[a] - place[b] || a - b; });

    function style(i) { return styles[rows.category_values[rows.category[i]]] || styles.other; }
    function popup(i) { return deploymentPopup(rowObject(rows, i), style(i)); }
    function published(i) { var d = rows.articles.published[rows.article[i]]; return d ? String(d).slice(0, 10) : null; }
    function visible(i) {
      var value = function (column) { var k = rows[column][i]; return k >= 0 ? rows[column + "_values"][k] : null; };
      var category = value("category");
      if (!filters.category[styles[category] ? category : "other"]) { return false; }
      if (filters.actor && !filters.actor[value("actor") || "not stated"]) { return false; }
      if (filters.status && !filters.status[value("status") || "not stated"]) { return false; }
      var date = until && published(i);
      return !(date && date > until);
    }

    function listPopup(z, entry) {
      var ids = TrackerIndex.rowsOf(index, z, entry, 50), total = index.levels[z].rows[entry];
      return '<div class="trk-popup"><div class="trk-popup-head">' + text(total) + " deployments here</div><ol class=\"trk-list\">" +
        ids.map(function (i) {
          var p = rowObject(rows, i);
          return '<li><a href="#" data-trk-row="' + i + '">' + text(countText(p) + " " + (p.model || p.category.replace("_", " ")) +
            ", " + (p.actor || "owner not stated") + ", " + p.status + (p.published ? ", " + p.published : "")) + "</a></li>";
        }).join("") + "</ol>" + (total > ids.length ? '<div class="trk-muted">and ' + (total - ids.length) + " more: zoom in or filter</div>" : "") +
        "</div>";
    }

    function entryMarker(z, level, entry) {
      var latlng = map.unproject([level.x[entry] * 256, level.y[entry] * 256], 0), marker;
      if (level.rows[entry] === 1) {
        var i = z === index.leafZoom ? index.rowList[index.rowStart[entry]] : TrackerIndex.rowsOf(index, z, entry, 1)[0];
        var p = rowObject(rows, i);
        marker = L.marker(latlng, {icon: rowIcon(p, style(i), radiusFor(p.count)), title: p.category, pane: "markerPane"});
        marker.bindPopup(function () { return popup(i); }, {maxWidth: 360});
        marker.trkRow = i;
        return {marker: marker, radius: radiusFor(p.count) / 2, latlng: latlng};
      }
      marker = L.marker(latlng, {icon: clusterIcon(level.rows[entry])});
      var single = level.minX[entry] === level.maxX[entry] && level.minY[entry] === level.maxY[entry];
      if (single || z >= index.leafZoom) {
        marker.bindPopup(function () { return listPopup(z, entry); }, {maxWidth: 380});
      } else {
        marker.on("click", function () {
          map.fitBounds(L.latLngBounds(map.unproject([level.minX[entry] * 256, level.maxY[entry] * 256], 0),
                                       map.unproject([level.maxX[entry] * 256, level.minY[entry] * 256], 0)).pad(0.2),
                        {maxZoom: Math.max(map.getZoom() + 2, z + 1)});
        });
      }
      return {marker: marker, radius: 20, latlng: latlng};
    }

    function render() {
      if (!index) { return; }
      var size = map.getSize(), bounds = map.getPixelBounds(), scale = 256 * Math.pow(2, map.getZoom()), pad = 60;
      var found = TrackerIndex.within(index, map.getZoom(), (bounds.min.x - pad) / scale, (bounds.min.y - pad) / scale,
                                      (bounds.max.x + pad) / scale, (bounds.max.y + pad) / scale);
      // markers still in view are kept, not drawn again: an open popup (and Leaflet's pan to show
      // it, which ends here too) stays open
      var kept = {}, candidates = [];
      found.items.forEach(function (entry) {
        var key = found.zoom + ":" + entry, drawn = drawnMarkers[key] || entryMarker(found.zoom, found.level, entry);
        if (!drawnMarkers[key]) { markers.addLayer(drawn.marker); }
        kept[key] = drawn;
        var point = map.latLngToContainerPoint(drawn.latlng);
        candidates.push({name: rows.places.name[found.level.place[entry]], rank: found.level.place[entry], x: point.x, y: point.y,
                         radius: drawn.radius, lat: drawn.latlng.lat, lng: drawn.latlng.lng});
      });
      Object.keys(drawnMarkers).forEach(function (key) { if (!kept[key]) { markers.removeLayer(drawnMarkers[key].marker); } });
      drawnMarkers = kept;
      candidates.sort(function (a, b) { return a.rank - b.rank; });
      labels.clearLayers();
      placedLabels = map.hasLayer(labels) ? placeLabels(candidates, size.x, size.y) : [];
      placedLabels.forEach(function (box) {
        var anchor = map.containerPointToLatLng([box.x, box.y]), label = document.createElement("span");
        label.textContent = box.name;
        L.marker(anchor, {interactive: false, keyboard: false, pane: "trk-labels",
          icon: L.divIcon({className: "trk-label", html: label.outerHTML, iconSize: [box.w, box.h], iconAnchor: [0, 0]})}).addTo(labels);
      });
      map.fire("trk:render", {items: found.items.length, labels: placedLabels.length});
    }

    var heat = null;
    function heatPoints(shown) {
      // a row placed only to a whole country or region would make a hot spot at its middle
      return shown.filter(function (i) { return rows.precision[i] !== 3; }).map(function (i) {
        return [lat[i] / 1e5, lon[i] / 1e5, Math.min(1, (rows.count[i] || 1) / 10)];
      });
    }
    var shown = [];
    function refresh() {
      shown = byRank.filter(visible);
      var started = performance.now();
      index = TrackerIndex.build(shown, lat, lon, place);
      markers.clearLayers();  // a new index numbers its entries anew
      drawnMarkers = {};
      document.body.setAttribute("data-trk-index-ms", String(Math.round(performance.now() - started)));
      if (moves) {
        moves.setShown(rows.moves.row.map(function (row, k) { return visible(row) ? k : -1; }).filter(function (k) { return k >= 0; }));
      }
      if (heat && map.hasLayer(heat)) { heat.setLatLngs(heatPoints(shown)); }
      render();
      map.fire("trk:refresh", {shown: shown.length});
    }

    function addFilterLayers(kind, label) {
      filters[kind] = {};
      var values = rows[kind + "_values"].slice();
      if (rows[kind].indexOf(-1) >= 0) { values.push("not stated"); }
      values.sort().forEach(function (value) {
        var token = L.layerGroup();
        token.trkFilter = [kind, value];
        filters[kind][value] = true;
        overlays[label + ": " + text(value)] = token.addTo(map);
      });
    }
    var unstyled = rows.category.indexOf(-1) >= 0 || rows.category_values.some(function (c) { return !styles[c]; });
    Object.keys(styles).forEach(function (category) {
      if (rows.category_values.indexOf(category) < 0 && !(category === "other" && unstyled)) { return; }
      var token = L.layerGroup();
      token.trkFilter = ["category", category];
      filters.category[category] = true;
      overlays['<i class="fa-solid ' + styles[category].icon + '" style="color:' + styles[category].color + '"></i> ' +
               text(category.replace("_", " "))] = token.addTo(map);
    });
    if (options.byActor) { addFilterLayers("actor", "Owner"); }
    if (options.byStatus) { addFilterLayers("status", "Status"); }
    map.on("overlayadd overlayremove", function (e) {
      var f = e.layer.trkFilter;
      if (!f) { return; }
      filters[f[0]][f[1]] = (e.type === "overlayadd");
      refresh();
    });
    if (moves) { overlays["Movements"] = moves.addTo(map); }
    if (options.heatmap && L.heatLayer) {
      heat = L.heatLayer([], {radius: 30, blur: 20, minOpacity: 0.3});
      heat.on("add", function () { heat.setLatLngs(heatPoints(shown)); });
      overlays["Heatmap"] = heat;
    }
    overlays["Place names"] = labels.addTo(map);
    labels.on("add remove", function () { setTimeout(render, 0); });
    map.on("moveend", render);
    map.on("zoomstart", function () { labels.clearLayers(); });
    refresh();
    timeSlider(map, options, n, published, function (date) { until = date; refresh(); });

    var bounds = L.latLngBounds([]);
    for (var i = 0; i < n; i++) { bounds.extend([lat[i] / 1e5, lon[i] / 1e5]); }
    rows.moves.path.forEach(function (path) {
      for (var v = 0; v < path.length; v += 2) { bounds.extend([path[v] / 1e4, path[v + 1] / 1e4]); }
    });
    map.on("popupopen", function (e) {
      var body = e.popup.getElement();
      if (!body) { return; }
      body.querySelectorAll("[data-trk-row]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          e.popup.setContent(popup(Number(link.getAttribute("data-trk-row"))));
        });
      });
      body.querySelectorAll("[data-trk-quote]").forEach(function (button) {
        button.addEventListener("click", function () {
          fullQuotes().then(function (full) {
            var quote = button.parentNode.querySelector(".trk-quote");
            quote.textContent = full[button.getAttribute("data-trk-quote")] || quote.textContent;
            button.remove();
          });
        });
      });
    });
    return {overlays: overlays, bounds: bounds, count: n, popup: popup, moves: moves, heat: heat, refresh: refresh,
            labels: function () { return placedLabels; }, index: function () { return index; }, markers: markers};
  }

  var fullQuoteText = null;
  // the full text of the quotes cut for popups: parsed only when a reader asks for one
  function fullQuotes() {
    fullQuoteText = fullQuoteText || load(document.querySelector("[data-trk-full-quotes]") ?
      document.querySelector("[data-trk-full-quotes]").id : "trk-none").then(function (v) { return v || {}; });
    return fullQuoteText;
  }

  function timeSlider(map, options, n, published, onChange) {
    if (!options.timeSlider) { return; }
    var dates = {};
    for (var i = 0; i < n; i++) { var d = published(i); if (d) { dates[d] = true; } }
    var unique = Object.keys(dates).sort();
    if (unique.length < 2) { return; }
    var pending = null;
    var Slider = L.Control.extend({
      onAdd: function () {
        var box = L.DomUtil.create("div", "trk-box trk-slider");
        var label = L.DomUtil.create("div", "trk-slider-label", box);
        var input = L.DomUtil.create("input", "", box);
        input.type = "range"; input.min = 0; input.max = unique.length - 1; input.value = unique.length - 1;
        input.setAttribute("aria-label", "Show deployments reported up to this date");
        label.textContent = "Reported up to " + unique[unique.length - 1];
        L.DomEvent.disableClickPropagation(box);
        input.addEventListener("input", function () {
          var date = unique[Number(input.value)];
          label.textContent = "Reported up to " + date;
          clearTimeout(pending);  // the index is rebuilt once the slider rests, not on every step
          pending = setTimeout(function () { onChange(date); }, 120);
        });
        return box;
      }
    });
    new Slider({position: "bottomleft"}).addTo(map);
  }

  function places(map, rows) {
    var layer = L.layerGroup();
    rows.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 4 + Math.min(8, Math.sqrt(p.mentions)), color: "#3d3d3d", weight: 1,
                                      fillColor: "#ffffff", fillOpacity: 0.9})
        .bindPopup(function () { return placePopup(p); }, {maxWidth: 320})
        .bindTooltip(text(p.name))
        .addTo(layer);
    });
    return layer;
  }

  // A map in a frame (the report's sandboxed srcdoc) can run before its frame is laid out: the
  // container is 0x0 then, Leaflet caches that size, and a view fitted to it is drawn at another
  // zoom than the one the frame's size asks for (land small, markers elsewhere, labels in a
  // corner). So: fit only at a real size, and again on each change of size until the reader
  // moves the map, telling Leaflet the new size first.
  function fitWhenSized(map, bounds, options) {
    var moved = false;
    function fit() {
      map.invalidateSize({pan: false});
      var size = map.getSize();
      if (moved || !size.x || !size.y || !bounds || !bounds.isValid()) { return; }
      map.fitBounds(bounds, options);
      document.body.setAttribute("data-trk-fitted", size.x + "x" + size.y);
    }
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { moved = true; }, {passive: true});
    });
    if (window.ResizeObserver) {
      new ResizeObserver(fit).observe(map.getContainer());
    }
    window.addEventListener("resize", fit);
    fit();
  }

  function legend(map, styles, counts, title, notes) {
    var Legend = L.Control.extend({
      onAdd: function () {
        var box = L.DomUtil.create("div", "trk-box trk-legend");
        var head = L.DomUtil.create("div", "trk-legend-title", box);
        head.textContent = title;
        Object.keys(styles).forEach(function (category) {
          if (!counts[category]) { return; }
          var row = L.DomUtil.create("div", "trk-legend-row", box);
          row.innerHTML = '<span class="trk-swatch" style="background:' + styles[category].color + '"><i class="fa-solid ' +
            styles[category].icon + '"></i></span> ';
          row.appendChild(document.createTextNode(category.replace("_", " ") + " (" + counts[category] + ")"));
        });
        if (notes && notes.areas) {
          var area = L.DomUtil.create("div", "trk-legend-row", box);
          area.innerHTML = '<span class="trk-swatch trk-area-swatch"></span> ';
          area.appendChild(document.createTextNode("somewhere in a country or region"));
        }
        if (notes && notes.moves) {
          var move = L.DomUtil.create("div", "trk-legend-row", box);
          move.innerHTML = '<svg width="18" height="10" style="vertical-align:middle"><line x1="0" y1="5" x2="12" y2="5" ' +
            'stroke="#555" stroke-width="2"/><polygon points="11,1 18,5 11,9" fill="#555"/></svg> ';
          move.appendChild(document.createTextNode("moved from origin to place"));
        }
        var note = L.DomUtil.create("div", "trk-muted", box);
        note.textContent = "Marker size grows with the count.";
        return box;
      }
    });
    new Legend({position: "bottomright"}).addTo(map);
  }

  return {text: text, safeUrl: safeUrl, basemap: basemap, deployments: deployments, places: places, legend: legend,
          fitWhenSized: fitWhenSized, load: load, placeLabels: placeLabels};
})();
