// The map of public reports: one dot per report (no personal data), a tap shows what and its status.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("public-map-config").textContent);
  const picker = window.YiwangMap.create("public-map", config.map);
  window.__publicMap = picker.map;
  const status = document.getElementById("public-map-status");

  function popup(item) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = item.category;
    const state = document.createElement("div");
    state.textContent = item.status_words + " · " + item.reported;
    const link = document.createElement("a");
    link.href = config.trackUrl + "?code=" + encodeURIComponent(item.code);
    link.textContent = item.code;
    box.append(title, state, link);
    return box;
  }

  Promise.all([picker.ready, fetch(config.casesUrl).then(function (r) { return r.json(); })]).then(function (res) {
    const cases = res[1].cases;
    if (!cases.length) { status.textContent = config.strings.empty; }
    cases.forEach(function (item) {
      L.circleMarker([item.lat, item.lon], {
        radius: 9, weight: 2, color: "#fff", fillOpacity: 0.9,
        fillColor: item.done ? "#2e7d32" : "#b3261e", className: "public-case",
      }).bindPopup(popup(item)).addTo(picker.map);
    });
    document.getElementById("public-map").dataset.cases = String(cases.length);
  });
})();
