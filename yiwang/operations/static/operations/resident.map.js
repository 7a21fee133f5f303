// A Leaflet map of the district for picking a place: grid outlines on a plain background
// (a tile layer only when settings.MAP["TILE_URL"] is set). Used by the resident and hotline pages.
(function () {
  "use strict";

  function create(elementId, config, options) {
    const map = L.map(elementId, Object.assign({ zoomSnap: 0.25, keyboard: true }, options || {}));
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution }).addTo(map);
    }
    map.setView([31.23, 121.47], 12);
    let marker = null;
    const ready = fetch(config.unitsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (collection) {
        const layer = L.geoJSON(collection, {
          style: function () { return { color: "#3b6ea5", weight: 1, fillColor: "#dbe7f3", fillOpacity: 0.35 }; },
          interactive: false,
        }).addTo(map);
        if (collection.features && collection.features.length) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });  // still once "loaded"
        }
        document.getElementById(elementId).dataset.loaded = "true";
        return map;
      })
      .catch(function () { document.getElementById(elementId).dataset.loaded = "failed"; return map; });

    function mark(lat, lon, zoom) {
      const latlng = L.latLng(lat, lon);
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 11, color: "#b3261e", weight: 4, fillColor: "#fff", fillOpacity: 0.9 }).addTo(map);
      }
      if (zoom) { map.setView(latlng, Math.max(map.getZoom(), zoom)); }
      return marker;
    }

    return { map: map, ready: ready, mark: mark };
  }

  window.YiwangMap = { create: create };
})();
