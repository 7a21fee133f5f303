// Idle timeout: after data-idle seconds without a touch, a countdown of data-warn seconds; then the
// session is wiped on the server and the home screen loaded (replacing history, so "back" shows nothing).
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idle || "60", 10) * 1000;
  var warn = parseInt(body.dataset.warn || "20", 10);
  var dialog = document.getElementById("idle-dialog");
  var count = document.getElementById("idle-count");
  var idleTimer = null, tick = null, left = warn;

  function wipe() {
    var form = document.getElementById("wipe-form");
    var data = new FormData(form);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .catch(function () {})
      .then(function () { window.location.replace(body.dataset.home); });
  }

  function countdown() {
    left = warn;
    count.textContent = left;
    if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    tick = setInterval(function () {
      left -= 1;
      count.textContent = Math.max(left, 0);
      if (left <= 0) { clearInterval(tick); wipe(); }
    }, 1000);
  }

  function reset() {
    if (tick) { clearInterval(tick); tick = null; }
    if (dialog.open) { dialog.close(); }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(countdown, idle);
  }

  document.getElementById("idle-continue").addEventListener("click", reset);
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () { if (!dialog.open) { reset(); } }, { passive: true });
  });
  // pages restored from the back/forward cache start their clock again
  window.addEventListener("pageshow", function (event) { if (event.persisted) { window.location.reload(); } });
  // the untouched home screen holds nothing of anyone: no clock there
  if (window.location.pathname === body.dataset.home && !window.location.search && !body.dataset.card) { return; }
  reset();
})();
