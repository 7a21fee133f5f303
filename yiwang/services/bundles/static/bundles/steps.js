// Elder mode (长辈模式): the bundle's one form shown a step of a few materials at a time.
// Without this script every step shows and the form works the same: it always sends every file at once.
(function () {
  "use strict";
  const steps = Array.prototype.slice.call(document.querySelectorAll("fieldset.elder-step"));
  const submit = document.getElementById("submit-bundle");
  if (steps.length < 2) { return; }
  let current = 0;
  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    if (submit) { submit.hidden = current !== steps.length - 1; }
    const legend = steps[current].querySelector("legend");
    if (focus && legend) { legend.tabIndex = -1; legend.focus(); }  // screen readers hear the new step
  }
  steps.forEach(function (step) {
    const nav = step.querySelector(".elder-step-nav");
    if (nav) { nav.hidden = false; }
    const back = step.querySelector(".step-back");
    const next = step.querySelector(".step-next");
    if (back) { back.addEventListener("click", function () { show(current - 1, true); }); }
    if (next) { next.addEventListener("click", function () { show(current + 1, true); }); }
  });
  show(0, false);
})();
