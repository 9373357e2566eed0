// The community's map: a small slippy map (tiles in Web Mercator, drag and keyboard panning,
// zoom buttons) that shows the server's points or clusters (Open City reports, CNAP offices,
// cameras, stops), or lets a resident pick a point for a form. Every page works without it: the
// lists and the form fields carry everything.
(function () {
  'use strict';
  var TILE = 256;

  function pixels(lat, lon, zoom) {
    var size = TILE * Math.pow(2, zoom);
    var l = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
    return {
      x: (lon + 180) / 360 * size,
      y: (1 - Math.log(Math.tan(l) + 1 / Math.cos(l)) / Math.PI) / 2 * size,
    };
  }

  function point(x, y, zoom) {
    var size = TILE * Math.pow(2, zoom);
    var lon = x / size * 360 - 180;
    var n = Math.PI - 2 * Math.PI * y / size;
    var lat = 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
    return { lat: lat, lon: lon };
  }

  function el(tag, cls, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }

  function PlaceMap(box) {
    var d = box.dataset;
    this.box = box;
    this.tileUrl = d.tiles;
    this.zoom = parseInt(d.zoom, 10) || 12;
    this.center = { lat: parseFloat(d.lat), lon: parseFloat(d.lon) };
    this.mode = d.mode || 'browse';
    box.classList.add('map');
    box.tabIndex = 0;
    this.tiles = el('div', 'tiles', box);
    this.markers = el('div', 'markers', box);
    var controls = el('div', 'controls', box);
    var self = this;
    [['+', d.zoomIn, 1], ['−', d.zoomOut, -1]].forEach(function (c) {
      var b = el('button', 'secondary', controls);
      b.type = 'button';
      b.textContent = c[0];
      b.setAttribute('aria-label', c[1]);
      b.addEventListener('click', function () { self.setZoom(self.zoom + c[2]); });
    });
    var attribution = el('div', 'attribution', box);
    attribution.textContent = d.attribution || '';
    this.bindPanning();
    if (this.mode === 'pick') this.bindPicking();
    if (this.mode === 'point') this.picked = { lat: this.center.lat, lon: this.center.lon };
    this.draw();
  }

  PlaceMap.prototype.setZoom = function (z) {
    this.zoom = Math.max(3, Math.min(19, z));
    this.draw();
  };

  PlaceMap.prototype.origin = function () {
    var c = pixels(this.center.lat, this.center.lon, this.zoom);
    return { x: c.x - this.box.clientWidth / 2, y: c.y - this.box.clientHeight / 2 };
  };

  PlaceMap.prototype.draw = function () {
    var o = this.origin();
    var w = this.box.clientWidth, h = this.box.clientHeight, n = Math.pow(2, this.zoom);
    this.tiles.textContent = '';
    for (var tx = Math.floor(o.x / TILE); tx * TILE < o.x + w; tx++) {
      for (var ty = Math.floor(o.y / TILE); ty * TILE < o.y + h; ty++) {
        if (ty < 0 || ty >= n) continue;
        var img = el('img', '', this.tiles);
        img.alt = '';
        img.src = this.tileUrl.replace('{z}', this.zoom).replace('{x}', ((tx % n) + n) % n).replace('{y}', ty);
        img.style.left = (tx * TILE - o.x) + 'px';
        img.style.top = (ty * TILE - o.y) + 'px';
      }
    }
    this.drawMarkers();
    if (this.mode === 'browse') this.load();
  };

  PlaceMap.prototype.place = function (m, lat, lon) {
    var o = this.origin(), p = pixels(lat, lon, this.zoom);
    m.style.left = (p.x - o.x) + 'px';
    m.style.top = (p.y - o.y) + 'px';
  };

  PlaceMap.prototype.drawMarkers = function () {
    var self = this;
    this.markers.textContent = '';
    (this.clusters || []).forEach(function (c) {
      var m;
      if (c.href) {
        m = el('a', 'marker', self.markers);
        m.href = c.href;
        var label = String(c.label != null ? c.label : c.number);
        if (/[\p{L}\p{N}]/u.test(label)) {
          // The visible number stays part of the name, as speech input users say what they see.
          m.textContent = label;
          m.setAttribute('aria-label', c.title ? label + '. ' + c.title : self.box.dataset.reportLabel + ' ' + label);
        } else {
          var dot = el('span', '', m);
          dot.textContent = label;
          dot.setAttribute('aria-hidden', 'true');
          m.setAttribute('aria-label', c.title || label);
        }
      } else {
        m = el('button', 'marker cluster', self.markers);
        m.type = 'button';
        m.textContent = c.count;
        m.setAttribute('aria-label', self.box.dataset.clusterLabel + ': ' + c.count);
        m.addEventListener('click', function () {
          self.center = { lat: c.lat, lon: c.lon };
          self.setZoom(self.zoom + 2);
        });
      }
      self.place(m, c.lat, c.lon);
    });
    if (this.picked) {
      var p = el('span', 'marker picked', this.markers);
      p.textContent = '●';
      p.setAttribute('aria-hidden', 'true');
      this.place(p, this.picked.lat, this.picked.lon);
    }
  };

  PlaceMap.prototype.load = function () {
    var self = this, o = this.origin();
    var nw = point(o.x, o.y, this.zoom);
    var se = point(o.x + this.box.clientWidth, o.y + this.box.clientHeight, this.zoom);
    var bbox = [nw.lon, se.lat, se.lon, nw.lat].map(function (v) { return v.toFixed(6); }).join(',');
    var url = this.box.dataset.points + '?bbox=' + bbox + '&zoom=' + this.zoom + '&' + (this.box.dataset.query || '');
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { clusters: [] }; })
        .then(function (data) { self.clusters = data.clusters; self.drawMarkers(); })
        .catch(function () {});
    }, 150);
  };

  PlaceMap.prototype.bindPanning = function () {
    var self = this, start = null;
    this.box.addEventListener('pointerdown', function (e) {
      if (e.target.closest('button, a')) return;
      start = { x: e.clientX, y: e.clientY, c: pixels(self.center.lat, self.center.lon, self.zoom), moved: false };
    });
    window.addEventListener('pointermove', function (e) {
      if (!start) return;
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) start.moved = true;
      if (start.moved) {
        self.center = point(start.c.x - dx, start.c.y - dy, self.zoom);
        self.draw();
      }
    });
    window.addEventListener('pointerup', function (e) {
      if (start && !start.moved && self.onTap) self.onTap(e);
      start = null;
    });
    this.box.addEventListener('keydown', function (e) {
      var step = { ArrowLeft: [-64, 0], ArrowRight: [64, 0], ArrowUp: [0, -64], ArrowDown: [0, 64] }[e.key];
      if (e.key === '+' || e.key === '=') { self.setZoom(self.zoom + 1); e.preventDefault(); }
      if (e.key === '-') { self.setZoom(self.zoom - 1); e.preventDefault(); }
      if (!step) return;
      var c = pixels(self.center.lat, self.center.lon, self.zoom);
      self.center = point(c.x + step[0], c.y + step[1], self.zoom);
      self.draw();
      e.preventDefault();
    });
  };

  PlaceMap.prototype.bindPicking = function () {
    var self = this, d = this.box.dataset;
    var lat = document.getElementById(d.latInput), lon = document.getElementById(d.lonInput);
    var status = document.getElementById(d.status);
    if (lat && lon && lat.value && lon.value) this.picked = { lat: parseFloat(lat.value), lon: parseFloat(lon.value) };
    this.onTap = function (e) {
      var r = self.box.getBoundingClientRect(), o = self.origin();
      self.picked = point(o.x + e.clientX - r.left, o.y + e.clientY - r.top, self.zoom);
      if (lat && lon) {
        lat.value = self.picked.lat.toFixed(6);
        lon.value = self.picked.lon.toFixed(6);
      }
      if (status) status.textContent = d.pickedLabel + ' ' + lat.value + ', ' + lon.value;
      self.drawMarkers();
    };
  };

  document.querySelectorAll('[data-map]').forEach(function (box) {
    box.hidden = false;
    new PlaceMap(box);
  });
})();
