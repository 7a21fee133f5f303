// The territory map: units per level from /api/v1/territory/units, a click shows the unit chain.
// Drawn on a plain background; a tile layer only when settings.MAP["TILE_URL"] is set.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("territory-map-config").textContent);
  const t = config.strings;
  const STYLES = {
    1: { color: "#1b1f24", weight: 3, fill: false },
    2: { color: "#b3261e", weight: 2.5, fillColor: "#f4d7d4", fillOpacity: 0.25 },
    3: { color: "#3b6ea5", weight: 1, fillOpacity: 0, dashArray: "4 3" },
    4: { color: "#2e7d32", weight: 0.5, fillColor: "#a5d6a7", fillOpacity: 0.45 },
  };

  const map = L.map("territory-map", { zoomSnap: 0.25 });
  window.__territoryMap = map; // for tests and the console
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution }).addTo(map);
  }
  map.setView([31.23, 121.47], 12);
  const layers = {};
  let marker = null;

  function unitLayer(level, features) {
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function () {
        return Object.assign({ className: "unit unit-level-" + level }, STYLES[level]);
      },
      onEachFeature: function (feature, layer) {
        const p = feature.properties;
        layer.bindTooltip(p.name + " · " + p.code, { sticky: true });
        layer.on("add", function () {
          const el = layer.getElement();
          if (el) { el.dataset.code = p.code; el.dataset.level = String(p.level); }
        });
      },
    });
  }

  function checkedLevels() {
    return Array.from(document.querySelectorAll(".map-levels input[name=level]:checked")).map(function (i) {
      return i.value;
    });
  }

  function showLevels() {
    const wanted = checkedLevels();
    Object.keys(layers).forEach(function (level) {
      if (wanted.indexOf(level) >= 0) { layers[level].addTo(map); } else { map.removeLayer(layers[level]); }
    });
    // stacking, bottom to top: level-4 fills, subdistrict tint, grid lines, district outline
    ["1", "3", "2", "4"].forEach(function (level) {
      if (layers[level] && map.hasLayer(layers[level])) { layers[level].bringToBack(); }
    });
  }

  function loadUnits() {
    return fetch(config.unitsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (collection) {
        const byLevel = {};
        collection.features.forEach(function (f) {
          (byLevel[f.properties.level] = byLevel[f.properties.level] || []).push(f);
        });
        Object.keys(byLevel).forEach(function (level) { layers[level] = unitLayer(level, byLevel[level]); });
        if (!collection.features.length) { setPanel([text("p", t.noUnits)]); return; }
        showLevels();
        const all = L.featureGroup(Object.values(layers));
        map.fitBounds(all.getBounds(), { padding: [12, 12], animate: false });  // still once "loaded"
        document.getElementById("territory-map").dataset.loaded = "true";
      });
  }

  function text(tag, value, className) {
    const el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }

  function unitItem(unit) {
    const li = document.createElement("li");
    li.dataset.code = unit.code;
    const label = unit.level === 4 ? t.kinds[unit.kind] : t.levels[String(unit.level)];
    li.appendChild(text("strong", (label || unit.kind) + ": "));
    li.appendChild(text("span", unit.name + " "));
    li.appendChild(text("span", unit.code, "code"));
    if (unit.org_unit) { li.appendChild(text("div", t.responsible + ": " + unit.org_unit.name)); }
    return li;
  }

  function setPanel(children) {
    const panel = document.getElementById("map-chain");
    panel.replaceChildren.apply(panel, children);
  }

  function showChain(answer) {
    if (answer.outside) { setPanel([text("p", t.outside, "outside")]); return; }
    const chain = document.createElement("ol");
    chain.className = "chain";
    answer.chain.forEach(function (unit) { chain.appendChild(unitItem(unit)); });
    const l4 = document.createElement("ul");
    l4.className = "level4";
    answer.level4.forEach(function (unit) { l4.appendChild(unitItem(unit)); });
    setPanel([chain, text("h3", t.level4), answer.level4.length ? l4 : text("p", t.none)]);
  }

  map.on("click", function (e) {
    const lon = e.latlng.lng.toFixed(7), lat = e.latlng.lat.toFixed(7);
    if (marker) { marker.setLatLng(e.latlng); } else { marker = L.circleMarker(e.latlng, { radius: 5, color: "#000" }).addTo(map); }
    setPanel([text("p", t.loading)]);
    fetch(config.locateUrl + "?lon=" + lon + "&lat=" + lat, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(showChain)
      .catch(function () { setPanel([text("p", t.failed, "outside")]); });
  });

  document.querySelectorAll(".map-levels input[name=level]").forEach(function (input) {
    input.addEventListener("change", showLevels);
  });
  loadUnits();
})();
