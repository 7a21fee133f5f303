// The filtered cases on a plain background (subdistrict and grid lines only; no tile server).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("case-map-config").textContent);
  const t = config.strings;
  const status = document.getElementById("map-status");
  const map = L.map("case-map", { zoomSnap: 0.25 });
  window.__caseMap = map;
  map.setView([31.23, 121.47], 12);
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }
  function popup(p) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = p.url; link.textContent = p.code;
    box.appendChild(link);
    const lines = [p.category, p.status, p.due ? t.due + " " + p.due : "", p.overdue ? t.overdue : ""];
    lines.filter(Boolean).forEach(function (line) {
      const div = document.createElement("div"); div.textContent = line; box.appendChild(div);
    });
    return box;
  }
  const outlines = L.featureGroup().addTo(map);
  Promise.all([getJson(config.unitsUrl), getJson(config.gridsUrl)]).then(function (sets) {
    L.geoJSON(sets[1], { style: { color: "#3b6ea5", weight: 1, fillOpacity: 0, dashArray: "4 3" }, interactive: false }).addTo(outlines);
    L.geoJSON(sets[0], { style: { color: "#b3261e", weight: 2, fillColor: "#f4d7d4", fillOpacity: 0.15 }, interactive: false }).addTo(outlines);
    outlines.bringToBack();
  }).catch(function () {});
  getJson(config.casesUrl).then(function (data) {
    const layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        const p = feature.properties;
        return L.circleMarker(latlng, { radius: 7, weight: 2, color: p.overdue ? "#7a0000" : "#1b1f24", fillColor: p.overdue ? "#b3261e" : "#3b6ea5", fillOpacity: 0.85, className: "case-point" });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties));
        layer.on("add", function () { const el = layer.getElement(); if (el) { el.dataset.code = feature.properties.code; } });
      },
    }).addTo(map);
    const n = data.features.length;
    status.textContent = n ? t.shown.replace("%(n)s", n) : t.none;
    // No zoom animation: the points stand still once the map says it is loaded (a click lands on them).
    if (n) { map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 14, animate: false }); }
    else if (outlines.getLayers().length) { map.fitBounds(outlines.getBounds(), { animate: false }); }
    document.getElementById("case-map").dataset.loaded = "true";
  }).catch(function () { status.textContent = "!"; });
})();
