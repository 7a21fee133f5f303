// Shelters and depots (capacity, occupancy), open flood alerts and cases on a plain background (no tile server).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("flood-map-config").textContent);
  const t = config.strings;
  const status = document.getElementById("map-status");
  const box = document.getElementById("flood-map");
  const map = L.map("flood-map", { zoomSnap: 0.25 });
  map.setView([31.23, 121.47], 12);
  const COLOURS = { shelter: "#2e7d32", material_depot: "#6a3d9a", pumping_station: "#6a3d9a", alert: "#b3261e", "case": "#1f5fbf" };
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }
  function line(parent, text) { const d = document.createElement("div"); d.textContent = text; parent.appendChild(d); }
  function popup(p) {
    const el = document.createElement("div");
    if (p.url) { const a = document.createElement("a"); a.href = p.url; a.textContent = p.code; el.appendChild(a); }
    else { line(el, p.name || p.code); }
    if (p.capacity !== undefined && p.capacity !== null) { line(el, t.capacity + ": " + p.capacity); }
    if (p.occupancy !== undefined && p.occupancy !== null) { line(el, t.occupancy + ": " + p.occupancy + (p.open ? " (" + t.open + ")" : "")); }
    if (p.level) { line(el, t.level + ": " + p.level); }
    if (p.category) { line(el, p.category + " · " + p.status); }
    return el;
  }
  getJson(config.unitsUrl).then(function (units) {
    const outlines = L.geoJSON(units, { style: { color: "#555", weight: 1.5, fillOpacity: 0 }, interactive: false }).addTo(map);
    outlines.bringToBack();
    if (!box.dataset.loaded || box.dataset.count === "0") { map.fitBounds(outlines.getBounds(), { animate: false }); }
  }).catch(function () {});
  getJson(config.dataUrl).then(function (data) {
    const layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        const p = feature.properties;
        // an alert's ring is larger than its case's dot, so both show where the case sits on the gauge
        const radius = p.layer === "alert" ? 11 : (p.layer === "case" ? 7 : 6);
        return L.circleMarker(latlng, { radius: radius, weight: 2, color: "#1b1f24", fillColor: COLOURS[p.layer] || "#555", fillOpacity: 0.85, className: "flood-point flood-" + p.layer });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties));
        layer.on("add", function () { const el = layer.getElement(); if (el) { el.dataset.code = feature.properties.code; el.dataset.layer = feature.properties.layer; } });
      },
    }).addTo(map);
    const n = data.features.length;
    status.textContent = t.shown.replace("%(n)s", n);
    // no animation: the markers are where they will stay once the page says it is loaded
    if (n) { map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false }); }
    box.dataset.count = String(n);
    box.dataset.loaded = "true";
  }).catch(function () { status.textContent = "!"; });
})();
