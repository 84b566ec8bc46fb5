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
      '<blockquote class="trk-quote">' + text(p.quote) + "</blockquote></div>";
  }

  // a move: the path and the arrowhead's angle come computed from Python; the arrow sits just
  // outside the place's marker (size px wide), pointing at it, so the marker never hides it
  function movement(m, p, style, size) {
    // a planned move has not happened: dashed
    var line = L.polyline(m.path, {color: style.color, weight: 2.5, opacity: 0.85, className: "trk-move-line",
                                   smoothFactor: 0.3, dashArray: p.status === "planned" ? "6 4" : null});
    var start = L.circleMarker(m.path[0], {radius: 3, color: style.color, weight: 2, fillColor: "#fff",
                                           fillOpacity: 1, className: "trk-move-origin"});
    var gap = size / 2 + 1, length = 12, box = 2 * (gap + length), c = box / 2;
    var angle = Number(m.angle) || 0;
    var points = [c, c + gap, c - 6, c + gap + length, c + 6, c + gap + length];
    var arrow = L.marker(m.path[m.path.length - 1], {keyboard: false, interactive: false, icon: L.divIcon({
      className: "trk-arrow", iconSize: [box, box], iconAnchor: [box / 2, box / 2],
      html: '<svg width="' + box + '" height="' + box + '" viewBox="0 0 ' + box + " " + box + '" style="transform:rotate(' +
            angle + 'deg)"><polygon points="' + points[0] + "," + points[1] + " " + points[2] + "," + points[3] + " " +
            points[4] + "," + points[5] + '" fill="' + style.color + '" stroke="#fff" stroke-width="1"/></svg>'})});
    var group = L.featureGroup([line, start, arrow]);
    group.bindPopup(deploymentPopup(p, style), {maxWidth: 360});
    group.bindTooltip(text("from " + p.origin + " to " + (p.place || "an unknown place") + ", " +
                           Math.round(Number(m.km) || 0) + " km"), {sticky: true});
    group.trk = p;
    group.trkLine = line;
    return group;
  }

  function placePopup(p) {
    return '<div class="trk-popup"><div class="trk-popup-head">' + text(p.name) + "</div>" +
      "<table><tr><th>Written as</th><td>" + text(p.written.join(", ")) + "</td></tr>" +
      "<tr><th>Mentions</th><td>" + text(p.mentions) + " in " + text(p.articles.length) + " article(s)</td></tr>" +
      "<tr><th>Articles</th><td>" + text(p.articles.slice(0, 10).join(", ")) + (p.articles.length > 10 ? " …" : "") + "</td></tr>" +
      "<tr><th>Kind</th><td>" + text(p.feature_code) + ", precision " + text(p.precision) + "</td></tr></table></div>";
  }

  function basemap(map, countries, tiles) {
    TrackerMap.lastMap = map;
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

  function deployments(map, rows, options) {
    var styles = options.styles, bases = options.bases;
    var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,
                                        maxClusterRadius: 40, spiderfyOnMaxZoom: true});
    var markers = [], moves = [], movesLayer = L.layerGroup();
    var overlays = {}, filters = {category: {}, actor: null, status: null};
    var dates = [];
    rows.features.forEach(function (f) {
      if (!f.geometry) { return; }
      var p = f.properties, style = styles[p.category] || styles.other;
      var size = radiusFor(p.count);
      // precision 3 (a whole country or region): hollow and dashed, so it does not read as a point
      var fill = p.precision === 3
        ? "background:rgba(255,255,255,.85);color:" + style.color + ";border:2px dashed " + style.color
        : "background:" + style.color;
      var icon = L.divIcon({
        className: p.precision === 3 ? "trk-marker trk-area" : "trk-marker",
        html: '<div style="' + fill + ";width:" + size + "px;height:" + size + "px;line-height:" + size +
              'px"><i class="fa-solid ' + style.icon + '"></i></div>',
        iconSize: [size, size], iconAnchor: [size / 2, size / 2]
      });
      var marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {icon: icon, title: p.category});
      marker.bindPopup(deploymentPopup(p, style), {maxWidth: 360});
      marker.trk = p;
      markers.push(marker);
      if (f.movement) { moves.push(movement(f.movement, p, style, size)); }
      if (p.published) { dates.push(String(p.published).slice(0, 10)); }
    });

    function addFilterLayers(kind, label) {
      var values = {};
      markers.forEach(function (m) { values[m.trk[kind] || "not stated"] = true; });
      filters[kind] = {};
      Object.keys(values).sort().forEach(function (value) {
        var token = L.layerGroup();
        token.trkFilter = [kind, value];
        filters[kind][value] = true;
        overlays[label + ": " + text(value)] = token.addTo(map);
      });
    }

    Object.keys(styles).forEach(function (category) {
      if (!markers.some(function (m) { return m.trk.category === category; })) { return; }
      var token = L.layerGroup();
      token.trkFilter = ["category", category];
      filters.category[category] = true;
      overlays['<i class="fa-solid ' + styles[category].icon + '" style="color:' + styles[category].color + '"></i> ' +
               text(category.replace("_", " "))] = token.addTo(map);
    });
    if (options.byActor) { addFilterLayers("actor", "Owner"); }
    if (options.byStatus) { addFilterLayers("status", "Status"); }

    var until = null;
    function visible(m) {
      var p = m.trk;
      if (!filters.category[p.category]) { return false; }
      if (filters.actor && !filters.actor[p.actor || "not stated"]) { return false; }
      if (filters.status && !filters.status[p.status || "not stated"]) { return false; }
      if (until && p.published && String(p.published).slice(0, 10) > until) { return false; }
      return true;
    }
    var heat = null;
    function refresh() {
      var shown = markers.filter(visible);
      cluster.clearLayers();
      cluster.addLayers(shown);
      movesLayer.clearLayers();
      moves.filter(visible).forEach(function (m) { movesLayer.addLayer(m); });
      if (heat) {
        // a row placed only to a whole country or region would make a hot spot at its middle
        heat.setLatLngs(shown.filter(function (m) { return m.trk.precision !== 3; }).map(function (m) {
          var ll = m.getLatLng();
          return [ll.lat, ll.lng, Math.min(1, (m.trk.count || 1) / 10)];
        }));
      }
      map.fire("trk:refresh", {shown: shown.length});
    }
    map.on("overlayadd overlayremove", function (e) {
      var f = e.layer.trkFilter;
      if (!f) { return; }
      filters[f[0]][f[1]] = (e.type === "overlayadd");
      refresh();
    });
    cluster.addTo(map);
    if (moves.length) { overlays["Movements"] = movesLayer.addTo(map); }
    if (options.heatmap && L.heatLayer) {
      heat = L.heatLayer([], {radius: 30, blur: 20, minOpacity: 0.3});
      overlays["Heatmap"] = heat;
    }
    refresh();

    if (options.timeSlider && dates.length > 1) {
      var unique = Array.from(new Set(dates)).sort();
      if (unique.length > 1) {
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
              until = unique[Number(input.value)];
              label.textContent = "Reported up to " + until;
              refresh();
            });
            return box;
          }
        });
        new Slider({position: "bottomleft"}).addTo(map);
      }
    }

    var labels = L.layerGroup(), labelled = {};
    markers.forEach(function (m) {
      var key = m.trk.place || "";  // one label a name: a town and its namesake region share it
      if (!m.trk.place || labelled[key]) { return; }
      labelled[key] = true;
      var label = L.DomUtil.create("span");
      label.textContent = m.trk.place;
      L.marker(m.getLatLng(), {interactive: false, keyboard: false,
        icon: L.divIcon({className: "trk-label", html: label.outerHTML, iconSize: null, iconAnchor: [-14, 8]})}).addTo(labels);
    });
    overlays["Place names"] = labels.addTo(map);

    var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
    moves.forEach(function (m) { bounds.extend(m.trkLine.getBounds()); });
    return {overlays: overlays, bounds: bounds, count: markers.length, markers: markers, moves: moves, movesLayer: movesLayer,
            heat: heat};
  }

  function places(map, rows) {
    var layer = L.layerGroup();
    rows.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 4 + Math.min(8, Math.sqrt(p.mentions)), color: "#3d3d3d", weight: 1,
                                      fillColor: "#ffffff", fillOpacity: 0.9})
        .bindPopup(placePopup(p), {maxWidth: 320})
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
          fitWhenSized: fitWhenSized};
})();
