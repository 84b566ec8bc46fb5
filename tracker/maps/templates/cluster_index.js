/* tracker clustering index: the points of a map grouped per zoom level, after supercluster's
 * approach (one greedy pass per zoom, coarsest from the next finer), with a uniform grid in place
 * of a k-d tree: at a zoom, a point's neighbours within the cluster radius lie in its own cell
 * and the eight around it. Built in typed arrays: 100,000 points take a fraction of a second.
 *
 * Points come in rank order (best place first), and each pass takes its seeds in that order, so
 * every cluster is seeded by, and named after, the best-ranked place among its members.
 * The finest level holds one entry per distinct location, with the rows there. */
var TrackerIndex = (function () {
  "use strict";

  var MIN_ZOOM = 0, MAX_ZOOM = 13, RADIUS = 40, TILE = 256;

  function projectX(lon) { return lon / 360 + 0.5; }

  function projectY(lat) {
    var s = Math.sin(lat * Math.PI / 180);
    var y = 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
    return y < 0 ? 0 : (y > 1 ? 1 : y);
  }

  function Level(size) {
    this.length = 0;
    this.x = new Float64Array(size); this.y = new Float64Array(size);
    this.rows = new Uint32Array(size); this.place = new Int32Array(size);
    this.minX = new Float64Array(size); this.minY = new Float64Array(size);
    this.maxX = new Float64Array(size); this.maxY = new Float64Array(size);
    this.childStart = null; this.children = null;  // members in the next finer level
  }

  // the finest level: one entry per distinct location, in the order of its best row, and each
  // location's rows (CSR: rowStart[i]..rowStart[i+1])
  function locations(rowIds, lat, lon, place) {
    var n = rowIds.length, seen = new Map(), at = new Int32Array(n), counts = [], firsts = [];
    for (var k = 0; k < n; k++) {
      var row = rowIds[k], key = lat[row] * 4e7 + lon[row], found = seen.get(key);
      if (found === undefined) { found = firsts.length; seen.set(key, found); firsts.push(row); counts.push(0); }
      at[k] = found;
      counts[found]++;
    }
    var m = firsts.length, level = new Level(m), rowStart = new Uint32Array(m + 1), rowList = new Uint32Array(n);
    for (var i = 0; i < m; i++) {
      var first = firsts[i], x = projectX(lon[first] / 1e5), y = projectY(lat[first] / 1e5);
      level.x[i] = level.minX[i] = level.maxX[i] = x;
      level.y[i] = level.minY[i] = level.maxY[i] = y;
      level.rows[i] = counts[i];
      level.place[i] = place[first];
      rowStart[i + 1] = rowStart[i] + counts[i];
    }
    var fill = rowStart.slice(0, m);
    for (var r = 0; r < n; r++) { rowList[fill[at[r]]++] = rowIds[r]; }
    level.length = m;
    return {level: level, rowStart: rowStart, rowList: rowList};
  }

  // a spatial hash on typed arrays (open addressing on the cell, a linked list of its points), each
  // slot's cell and first point side by side: a probe touches one cache line, and a million points
  // leave no garbage
  function Grid(n) {
    var capacity = 1;
    while (capacity < 2 * n) { capacity *= 2; }
    this.mask = capacity - 1;
    this.slots = new Int32Array(3 * capacity).fill(-1);  // cell x, cell y, first point
    this.next = new Int32Array(n);
  }
  Grid.prototype.slot = function (cx, cy) {
    var h = Math.imul(Math.imul(cx, 0x9E3779B1) ^ cy, 0x85EBCA77), slots = this.slots;
    h = (h ^ (h >>> 15)) & this.mask;
    while (slots[3 * h + 2] !== -1 && (slots[3 * h] !== cx || slots[3 * h + 1] !== cy)) { h = (h + 1) & this.mask; }
    return 3 * h;
  };
  Grid.prototype.add = function (i, cx, cy) {
    var at = this.slot(cx, cy);
    this.slots[at] = cx; this.slots[at + 1] = cy;
    this.next[i] = this.slots[at + 2];
    this.slots[at + 2] = i;
  };
  Grid.prototype.first = function (cx, cy) { return this.slots[this.slot(cx, cy) + 2]; };

  // one greedy pass: each entry not yet taken seeds a cluster of the untaken entries within r.
  // Cells are 2r wide, so the neighbours of a point lie in its cell and the three cells on the
  // side of the quadrant it sits in: four look-ups, not nine
  function coarser(finer, zoom) {
    var r = RADIUS / (TILE * Math.pow(2, zoom)), r2 = r * r, size = 2 * r, n = finer.length;
    var grid = new Grid(n), cx = new Int32Array(n), cy = new Int32Array(n), sx = new Int8Array(n), sy = new Int8Array(n);
    for (var i = n - 1; i >= 0; i--) {  // added backwards, so each cell lists its points in rank order
      var fx = finer.x[i] / size, fy = finer.y[i] / size;
      cx[i] = Math.floor(fx); cy[i] = Math.floor(fy);
      sx[i] = fx - cx[i] < 0.5 ? -1 : 1; sy[i] = fy - cy[i] < 0.5 ? -1 : 1;
      grid.add(i, cx[i], cy[i]);
    }
    var level = new Level(n), taken = new Uint8Array(n);
    level.childStart = new Uint32Array(n + 1);
    level.children = new Uint32Array(n);
    var c = 0;
    for (var s = 0; s < n; s++) {
      if (taken[s]) { continue; }
      taken[s] = 1;
      var out = level.length++, wx = finer.x[s] * finer.rows[s], wy = finer.y[s] * finer.rows[s], total = finer.rows[s];
      var minX = finer.minX[s], minY = finer.minY[s], maxX = finer.maxX[s], maxY = finer.maxY[s];
      level.childStart[out] = c;
      level.children[c++] = s;
      for (var q = 0; q < 4; q++) {
        var dx = (q & 1) ? sx[s] : 0, dy = (q & 2) ? sy[s] : 0;
        for (var j = grid.first(cx[s] + dx, cy[s] + dy); j !== -1; j = grid.next[j]) {
          if (taken[j]) { continue; }
          var ex = finer.x[j] - finer.x[s], ey = finer.y[j] - finer.y[s];
          if (ex * ex + ey * ey > r2) { continue; }
          taken[j] = 1;
          level.children[c++] = j;
          wx += finer.x[j] * finer.rows[j]; wy += finer.y[j] * finer.rows[j]; total += finer.rows[j];
          if (finer.minX[j] < minX) { minX = finer.minX[j]; }
          if (finer.minY[j] < minY) { minY = finer.minY[j]; }
          if (finer.maxX[j] > maxX) { maxX = finer.maxX[j]; }
          if (finer.maxY[j] > maxY) { maxY = finer.maxY[j]; }
        }
      }
      level.x[out] = wx / total; level.y[out] = wy / total; level.rows[out] = total;
      level.place[out] = finer.place[s];  // the seed's: the best-ranked place of the cluster
      level.minX[out] = minX; level.minY[out] = minY; level.maxX[out] = maxX; level.maxY[out] = maxY;
    }
    level.childStart[level.length] = c;
    return level;
  }

  /* The index of the rows `rowIds` (in rank order) at `lat`/`lon` (integers of 1e-5 degree). */
  function build(rowIds, lat, lon, place) {
    var leaves = locations(rowIds, lat, lon, place);
    var levels = [];
    levels[MAX_ZOOM + 1] = leaves.level;
    for (var z = MAX_ZOOM; z >= MIN_ZOOM; z--) { levels[z] = coarser(levels[z + 1], z); }
    return {levels: levels, rowStart: leaves.rowStart, rowList: leaves.rowList, rowCount: rowIds.length,
            leafZoom: MAX_ZOOM + 1};
  }

  function levelAt(index, zoom) {
    return Math.max(MIN_ZOOM, Math.min(index.leafZoom, Math.floor(zoom)));
  }

  /* Entries of the level for `zoom` inside the box (projected 0..1 coordinates). */
  function within(index, zoom, minX, minY, maxX, maxY) {
    var z = levelAt(index, zoom), level = index.levels[z], found = [];
    for (var i = 0; i < level.length; i++) {
      var x = level.x[i], y = level.y[i];
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) { found.push(i); }
    }
    return {zoom: z, level: level, items: found};
  }

  /* Up to `limit` rows of an entry of level `z`, best first. */
  function rowsOf(index, z, entry, limit) {
    var out = [];
    (function collect(zoom, i) {
      if (out.length >= limit) { return; }
      if (zoom === index.leafZoom) {
        for (var k = index.rowStart[i]; k < index.rowStart[i + 1] && out.length < limit; k++) { out.push(index.rowList[k]); }
        return;
      }
      var level = index.levels[zoom];
      for (var c = level.childStart[i]; c < level.childStart[i + 1]; c++) { collect(zoom + 1, level.children[c]); }
    })(z, entry);
    return out;
  }

  return {build: build, within: within, rowsOf: rowsOf, levelAt: levelAt, projectX: projectX, projectY: projectY,
          MAX_ZOOM: MAX_ZOOM, RADIUS: RADIUS};
})();
