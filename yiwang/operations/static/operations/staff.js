// Queue: "select all" for bulk dispatch, and a count on the button (works without it too).
(function () {
  "use strict";
  const all = document.getElementById("pick-all");
  const picks = Array.from(document.querySelectorAll("input[name=pick]"));
  const button = document.getElementById("bulk-submit");
  if (!button) { return; }
  const label = button.textContent;
  function update() {
    const n = picks.filter(function (p) { return p.checked; }).length;
    button.textContent = n ? label + " (" + n + ")" : label;
  }
  if (all) {
    all.addEventListener("change", function () {
      picks.forEach(function (p) { p.checked = all.checked; });
      update();
    });
  }
  picks.forEach(function (p) { p.addEventListener("change", update); });
})();
